/* front — the front matter: the title page, the table of contents (laid
 * out last, once every page number is known) and the PDF outline. See
 * lay.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/l10n.h"
#include "layout/lay.h"

/* Lines of text at a position (front matter, table of contents); lines
 * whose baseline would pass the page's bottom edge are not drawn (a title
 * of any length stays on its page; the EPUB and the chapter keep it whole). */
static double text_line(lay *L, page *pg, const char *text, int font, double size, rgb color, double x,
                        double baseline, align_mode al, double measure)
{
    /* no more text than a page of this size could hold (a letter takes
     * at least a tenth of size * size; four bytes a letter at most) */
    size_t len = strlen(text);
    double fit = 40 * L->s->page_w * L->s->page_h / (size * size);
    if ((double)len > fit) {
        len = (size_t)fit;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    span sp = text_span(text, len, font, size, color);
    pline *lines;
    int nl = break_span(L, &sp, measure, al, L->line, &lines);
    double y = baseline;
    for (int i = 0; i < nl && y <= L->out->height; i++) {
        emit_line(L, pg, &lines[i], x, y);
        y += size * 1.25;
    }
    return y;
}

const char *roman(arena *a, int n)
{
    static const char *const r[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
                                    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
    if (n >= 1 && n <= 20)
        return r[n];
    return arena_printf(a, "%d", n);
}

static int find_dest_page(const strmap *m, const char *dest)
{
    uintptr_t v = (uintptr_t)strmap_get(m, dest);
    return v ? (int)(v - 1) : -1;
}

/* A copy of s (in the layout's arena) without noncharacters, which cairo
 * refuses in outline titles (see para_scrub). */
static const char *scrubbed(lay *L, const char *s)
{
    if (!s)
        return s;
    char *c = arena_strdup(L->a, s);
    para_scrub(c, strlen(c));
    return c;
}

/* The level of ch's title, to which its headings' levels are relative. */
static int title_level(const chapter *ch)
{
    return ch->title_node ? cmark_node_get_heading_level(ch->title_node) : 1;
}

/* The next heading of ch in the walk it, other than its title, that has
 * text (its anno in *a); NULL when none is left. */
static cmark_node *next_heading(cmark_iter *it, const chapter *ch, const anno **a)
{
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING || n == ch->title_node)
            continue;
        *a = node_anno(n);
        if (*a && (*a)->text[0])
            return n;
    }
    return NULL;
}

static void outline_add(lay *L, const char *title, const char *dest, int level)
{
    GROW(L->out->outline, L->out->capoutline, L->out->noutline + 1);
    L->out->outline[L->out->noutline++] = (outline_entry){scrubbed(L, title), dest, level};
}

/* The PDF outline mirrors every heading: chapters, then their sections
 * nested by level (a skipped level nests one deeper only). */
void build_outline(lay *L)
{
    const book *b = L->b;
    for (int ci = 0; ci < b->nch; ci++) {
        const chapter *ch = &b->ch[ci];
        if (!ch->doc)
            continue;
        outline_add(L, ch->title, chapter_dest(L, ci), 0);
        int base = title_level(ch);
        int prev = 0;
        cmark_iter *it = cmark_iter_new(ch->doc);
        cmark_node *n;
        const anno *a;
        while ((n = next_heading(it, ch, &a))) {
            int depth = cmark_node_get_heading_level(n) - base;
            if (depth < 1)
                depth = 1;
            if (depth > prev + 1)
                depth = prev + 1;
            prev = depth;
            outline_add(L, a->text, a->id, depth);
        }
        cmark_iter_free(it);
    }
}

/* "2021-01-01" as a reader writes it: "1 januari 2021" in a Dutch book. */
static const char *long_date(lay *L, const char *date)
{
    int y = 0, m = 0, d = 0;
    int n = sscanf(date, "%d-%d-%d", &y, &m, &d);
    const char *month = n >= 2 ? l10n_month(L->b->meta.lang, m) : NULL;
    if (month) {
        if (n == 3)
            return arena_printf(L->a, "%d %s %d", d, month, y);
        return arena_printf(L->a, "%s %d", month, y);
    }
    return date;
}

void title_page(lay *L, page *pg)
{
    const meta *m = &L->b->meta;
    double x = margin_left(L), measure = L->measure;
    double y = L->out->height * 0.28;
    ptag(pg, 1, "Div", NULL);
    ptag(pg, 1, "P", NULL);
    L->file = L->b->yaml_name;
    L->line = m->title_line;
    y = text_line(L, pg, m->title, FONT_HEADING, L->size * 2.6, L->s->accent, x, y, ALIGN_CENTER, measure);
    ptag(pg, 0, "P", NULL);
    if (m->subtitle) {
        ptag(pg, 1, "P", NULL);
        L->line = m->subtitle_line;
        y = text_line(L, pg, m->subtitle, FONT_HEADING_REGULAR, L->size * 1.35, L->s->muted, x, y + L->size,
                      ALIGN_CENTER, measure);
        ptag(pg, 0, "P", NULL);
    }
    y += L->size * 4;
    L->line = m->author_line;
    for (int i = 0; i < m->nauthors; i++) {
        ptag(pg, 1, "P", NULL);
        y = text_line(L, pg, m->authors[i], FONT_BODY, L->size * 1.2, L->s->text, x, y, ALIGN_CENTER, measure);
        ptag(pg, 0, "P", NULL);
    }
    double py = L->out->height * 0.82;
    if (m->publisher) {
        ptag(pg, 1, "P", NULL);
        L->line = m->publisher_line;
        py = text_line(L, pg, m->publisher, FONT_BODY_ITALIC, L->size, L->s->muted, x, py, ALIGN_CENTER, measure);
        ptag(pg, 0, "P", NULL);
    }
    ptag(pg, 1, "P", NULL);
    text_line(L, pg, long_date(L, m->date), FONT_BODY, L->size * 0.9, L->s->muted, x, py + L->size * 0.5, ALIGN_CENTER,
              measure);
    ptag(pg, 0, "P", NULL);
    ptag(pg, 0, "Div", NULL);
    L->file = NULL;
    L->line = 0;
}

/* ---- the table of contents ---- */

/* One entry: a chapter (depth 0) or one of its sections (depth 1). */
typedef struct toc_entry {
    const char *text, *dest;
    int depth;
} toc_entry;

/* Where the table of contents has got to. */
typedef struct toc_state {
    page *pg;             /* the page being filled, NULL before the first */
    int npages;
    double x0, y, bottom; /* left edge, top of the next entry, bottom edge */
    double numw;          /* the page numbers' column */
} toc_state;

/* The next section of ch for the table of contents: a heading one level
 * below the chapter's title (base), with text. Returns 0 when none is
 * left. */
static int toc_next_section(cmark_iter *it, const chapter *ch, int base, toc_entry *e)
{
    cmark_node *n;
    const anno *a;
    while ((n = next_heading(it, ch, &a)))
        if (cmark_node_get_heading_level(n) == base + 1) {
            *e = (toc_entry){a->text, a->id, 1};
            return 1;
        }
    return 0;
}

/* Starts a page of the table of contents; the first opens the TOC element
 * with its destination and caption. */
static void toc_new_page(lay *L, toc_state *ts)
{
    ts->pg = new_page(L->out, PAGE_TOC, -1);
    ts->npages++;
    ts->y = margin_top(L);
    if (ts->npages > 1)
        return;
    page *pg = ts->pg;
    ptag(pg, 1, "TOC", NULL);
    page_add(pg, &(pitem){.kind = PI_DEST, .x = ts->x0, .y = ts->y, .dest = "_toc"});
    ptag(pg, 1, "Caption", NULL);
    ts->y = text_line(L, pg, l10n(L->b->meta.lang, L_TOC), FONT_HEADING, style_pt(L->s->h_size[0], L->size),
                      L->s->accent, ts->x0, ts->y + L->size * 2, ALIGN_LEFT, L->measure);
    ptag(pg, 0, "Caption", NULL);
    ts->y += L->size * 1.5;
}

/* Dot leaders from text_end to the page numbers' column, on the baseline
 * base: one shaped dot, repeated at a fixed pitch so that the leaders of
 * all entries line up. Leaders are decoration: no text, an artifact. */
static void toc_leaders(lay *L, const toc_state *ts, double text_end, double base, double size)
{
    double x0 = ts->x0;
    double pitch = L->size * 0.55;
    double lx = ceil((text_end - x0 + L->size * 0.6) / pitch) * pitch + x0;
    double lend = x0 + L->measure - ts->numw;
    int ndots = (int)floor((lend - lx) / pitch);
    if (ndots <= 0)
        return;
    shaped dot;
    shape(&L->fs->f[FONT_BODY], size, ".", 1, "liga=0", L->b->meta.lang, &dot);
    if (dot.n == 1) {
        pglyph *g = arena_alloc(L->a, (size_t)ndots * sizeof *g);
        for (int q = 0; q < ndots; q++) {
            g[q].id = dot.gid[0];
            g[q].x = (float)(q * pitch);
            g[q].y = 0;
        }
        pcluster *cl = arena_alloc(L->a, sizeof *cl);
        cl->bytes = 0;
        cl->glyphs = ndots;
        page_add(ts->pg, &(pitem){.kind = PI_GLYPHS, .x = lx, .y = base, .w = ndots * pitch, .font = FONT_BODY,
                                  .size = size, .color = L->s->muted, .text = "", .g = g, .ng = ndots, .cl = cl,
                                  .ncl = 1, .artifact = 1});
    }
    shaped_free(&dot);
}

/* The page number num, right-aligned on the baseline base, in tabular
 * figures. */
static void toc_number(lay *L, const toc_state *ts, const char *num, int font, double size, double base)
{
    span sp = text_span(num, strlen(num), font, size, L->s->text);
    sp.st.tabular = 1;
    pline *lines;
    if (break_span(L, &sp, ts->numw, ALIGN_LEFT, 0, &lines) > 0)
        emit_line(L, ts->pg, &lines[0], ts->x0 + L->measure - lines[0].width, base);
}

/* The right edge of the last glyph run on pg, or x when there is none. */
static double last_glyphs_end(const page *pg, double x)
{
    for (size_t k = pg->n; k-- > 0;)
        if (pg->items[k].kind == PI_GLYPHS)
            return pg->items[k].x + pg->items[k].w;
    return x;
}

/* One entry, on a new page if it does not fit: its text, leaders and page
 * number (num), the whole a link to the entry's destination. */
static void toc_entry_add(lay *L, toc_state *ts, const toc_entry *e, const char *num)
{
    double size = e->depth == 0 ? L->size * 1.05 : L->size;
    int font = e->depth == 0 ? FONT_HEADING : FONT_BODY;
    double indent = e->depth * L->size * 1.5;
    double lh = size * 1.45 + (e->depth == 0 ? L->size * 0.5 : 0);
    if (!ts->pg || ts->y + lh > ts->bottom)
        toc_new_page(L, ts);
    page *pg = ts->pg;
    double x0 = ts->x0;
    double baseline = ts->y + (e->depth == 0 ? L->size * 0.5 : 0) + size;
    ptag(pg, 1, "TOCI", NULL);
    ptag(pg, 1, "Reference", NULL);
    /* the whole entry is a link (its area is set below) */
    pitem *lopen = page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = LINK_OPEN, .dest = e->dest, .alt = e->text});
    size_t lopen_at = (size_t)(lopen - pg->items);
    double measure = L->measure - indent - ts->numw - L->size;
    double endx = text_line(L, pg, e->text, font, size, L->s->text, x0 + indent, baseline, ALIGN_LEFT, measure);
    int nlines = (int)((endx - baseline) / (size * 1.25) + 0.5);
    double last_base = baseline + (nlines - 1) * size * 1.25;
    toc_leaders(L, ts, last_glyphs_end(pg, x0 + indent), last_base, size);
    toc_number(L, ts, num, font, size, last_base);
    pitem *lo = &pg->items[lopen_at];
    lo->x = x0 + indent;
    lo->y = baseline - size;
    lo->w = L->measure - indent;
    lo->h = last_base - baseline + size * 1.3;
    page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = LINK_CLOSE});
    ptag(pg, 0, "Reference", NULL);
    ptag(pg, 0, "TOCI", NULL);
    ts->y = last_base + size * 0.45;
}

/* The table of contents: each chapter, then its sections (one level below
 * its title), with dot leaders and page numbers. */
void toc_pages(lay *L, const strmap *dests, const char *const *body_labels)
{
    const book *b = L->b;
    toc_state ts = {.x0 = margin_left(L), .bottom = margin_top(L) + L->area_h, .numw = L->size * 2.2};
    for (int ci = 0; ci < b->nch; ci++) {
        const chapter *ch = &b->ch[ci];
        if (!ch->doc)
            continue;
        int base = title_level(ch);
        toc_entry e = {ch->title, chapter_dest(L, ci), 0};
        cmark_iter *it = cmark_iter_new(ch->doc);
        do {
            int pidx = find_dest_page(dests, e.dest);
            toc_entry_add(L, &ts, &e, pidx >= 0 ? body_labels[pidx] : "");
        } while (toc_next_section(it, ch, base, &e));
        cmark_iter_free(it);
    }
    if (ts.pg)
        ptag(ts.pg, 0, "TOC", NULL);
}
