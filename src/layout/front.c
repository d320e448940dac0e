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
                        double baseline, align_mode al, double measure, int artifact)
{
    span sp;
    memset(&sp, 0, sizeof sp);
    sp.text = text;
    sp.len = strlen(text);
    /* no more text than a page of this size could hold (a letter takes
     * at least a tenth of size * size; four bytes a letter at most) */
    double fit = 40 * L->s->page_w * L->s->page_h / (size * size);
    if ((double)sp.len > fit) {
        sp.len = (size_t)fit;
        while (sp.len > 0 && ((unsigned char)text[sp.len] & 0xC0) == 0x80)
            sp.len--;
    }
    sp.st.font = font;
    sp.st.size = size;
    sp.st.color = color;
    para_opts o = popts(L, measure, al, 0);
    o.line = L->line;
    pline *lines;
    int nl = para_break(&L->pc, &sp, 1, &o, &lines);
    double y = baseline;
    for (int i = 0; i < nl && y <= L->out->height; i++) {
        size_t before = pg->n;
        emit_line(L, pg, &lines[i], x, y);
        for (size_t k = before; k < pg->n; k++)
            pg->items[k].artifact = artifact;
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

/* The PDF outline mirrors every heading: chapters, then their sections
 * nested by level (a skipped level nests one deeper only). */
void build_outline(lay *L)
{
    const book *b = L->b;
    for (int ci = 0; ci < b->nch; ci++) {
        const chapter *ch = &b->ch[ci];
        if (!ch->doc)
            continue;
        GROW(L->out->outline, L->out->capoutline, L->out->noutline + 1);
        L->out->outline[L->out->noutline++] =
            (outline_entry){scrubbed(L, ch->title), ch->title_id ? ch->title_id : arena_printf(L->a, "_ch%d", ci + 1), 0};
        int base = ch->title_node ? cmark_node_get_heading_level(ch->title_node) : 1;
        int prev = 0;
        cmark_iter *it = cmark_iter_new(ch->doc);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *n = cmark_iter_get_node(it);
            if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING || n == ch->title_node)
                continue;
            const anno *a = node_anno(n);
            if (!a || !a->text[0])
                continue;
            int depth = cmark_node_get_heading_level(n) - base;
            if (depth < 1)
                depth = 1;
            if (depth > prev + 1)
                depth = prev + 1;
            prev = depth;
            GROW(L->out->outline, L->out->capoutline, L->out->noutline + 1);
            L->out->outline[L->out->noutline++] = (outline_entry){scrubbed(L, a->text), a->id, depth};
        }
        cmark_iter_free(it);
    }
}

/* "2021-01-01" as a reader writes it: "1 januari 2021" in a Dutch book. */
static const char *long_date(lay *L, const char *date)
{
    static const char *const nl[] = {"januari", "februari", "maart", "april", "mei", "juni", "juli",
                                     "augustus", "september", "oktober", "november", "december"};
    static const char *const en[] = {"January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"};
    int y = 0, m = 0, d = 0;
    int n = sscanf(date, "%d-%d-%d", &y, &m, &d);
    int dutch = !strncmp(L->b->meta.lang, "nl", 2);
    const char *const *months = dutch ? nl : en;
    if (n >= 2 && m >= 1 && m <= 12) {
        if (n == 3)
            return arena_printf(L->a, "%d %s %d", d, months[m - 1], y);
        return arena_printf(L->a, "%s %d", months[m - 1], y);
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
    y = text_line(L, pg, m->title, FONT_HEADING, L->size * 2.6, L->s->accent, x, y, ALIGN_CENTER, measure, 0);
    ptag(pg, 0, "P", NULL);
    if (m->subtitle) {
        ptag(pg, 1, "P", NULL);
        L->line = m->subtitle_line;
        y = text_line(L, pg, m->subtitle, FONT_HEADING_REGULAR, L->size * 1.35, L->s->muted, x, y + L->size,
                      ALIGN_CENTER, measure, 0);
        ptag(pg, 0, "P", NULL);
    }
    y += L->size * 4;
    L->line = m->author_line;
    for (int i = 0; i < m->nauthors; i++) {
        ptag(pg, 1, "P", NULL);
        y = text_line(L, pg, m->authors[i], FONT_BODY, L->size * 1.2, L->s->text, x, y, ALIGN_CENTER, measure, 0);
        ptag(pg, 0, "P", NULL);
    }
    double py = L->out->height * 0.82;
    if (m->publisher) {
        ptag(pg, 1, "P", NULL);
        L->line = m->publisher_line;
        py = text_line(L, pg, m->publisher, FONT_BODY_ITALIC, L->size, L->s->muted, x, py, ALIGN_CENTER, measure, 0);
        ptag(pg, 0, "P", NULL);
    }
    ptag(pg, 1, "P", NULL);
    text_line(L, pg, long_date(L, m->date), FONT_BODY, L->size * 0.9, L->s->muted, x, py + L->size * 0.5, ALIGN_CENTER,
              measure, 0);
    ptag(pg, 0, "P", NULL);
    ptag(pg, 0, "Div", NULL);
    L->file = NULL;
    L->line = 0;
}

/* The table of contents: entries with dot leaders and page numbers. */
void toc_pages(lay *L, const strmap *dests, const char *const *body_labels)
{
    const book *b = L->b;
    page *pg = NULL;
    double x0 = margin_left(L);
    double y = 0, bottom = margin_top(L) + L->area_h;
    int npages = 0;
    double numw = L->size * 2.2;
    for (int ci = 0; ci <= b->nch; ci++) {
        /* entries: the chapter, then its sections (level 2 relative) */
        const chapter *ch = ci < b->nch ? &b->ch[ci] : NULL;
        if (ch && !ch->doc)
            continue;
        cmark_iter *it = ch ? cmark_iter_new(ch->doc) : NULL;
        int first = 1;
        int base = ch && ch->title_node ? cmark_node_get_heading_level(ch->title_node) : 1;
        while (ch) {
            const char *text, *dest;
            int depth;
            if (first) {
                text = ch->title;
                dest = ch->title_id ? ch->title_id : arena_printf(L->a, "_ch%d", ci + 1);
                depth = 0;
                first = 0;
            } else {
                cmark_event_type ev;
                cmark_node *h = NULL;
                while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
                    cmark_node *n = cmark_iter_get_node(it);
                    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING &&
                        n != ch->title_node && cmark_node_get_heading_level(n) == base + 1) {
                        h = n;
                        break;
                    }
                }
                if (!h)
                    break;
                const anno *a = node_anno(h);
                if (!a || !a->text[0])
                    continue;
                text = a->text;
                dest = a->id;
                depth = 1;
            }
            int pidx = find_dest_page(dests, dest);
            const char *num = pidx >= 0 ? body_labels[pidx] : "";
            double size = depth == 0 ? L->size * 1.05 : L->size;
            int font = depth == 0 ? FONT_HEADING : FONT_BODY;
            double indent = depth * L->size * 1.5;
            double lh = size * 1.45 + (depth == 0 ? L->size * 0.5 : 0);
            if (!pg || y + lh > bottom) {
                pg = new_page(L->out, PAGE_TOC, -1);
                npages++;
                y = margin_top(L);
                if (npages == 1) {
                    ptag(pg, 1, "TOC", NULL);
                    pitem d;
                    memset(&d, 0, sizeof d);
                    d.kind = PI_DEST;
                    d.x = x0;
                    d.y = y;
                    d.dest = "_toc";
                    page_add(pg, &d);
                    ptag(pg, 1, "Caption", NULL);
                    y = text_line(L, pg, l10n(b->meta.lang, L_TOC), FONT_HEADING, style_pt(L->s->h_size[0], L->size),
                                  L->s->accent, x0, y + L->size * 2, ALIGN_LEFT, L->measure, 0);
                    ptag(pg, 0, "Caption", NULL);
                    y += L->size * 1.5;
                }
            }
            double baseline = y + (depth == 0 ? L->size * 0.5 : 0) + size;
            ptag(pg, 1, "TOCI", NULL);
            ptag(pg, 1, "Reference", NULL);
            /* the whole entry is a link (its area is set below) */
            pitem *lopen = page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = PI_LINK_OPEN, .dest = dest, .alt = text});
            size_t lopen_at = (size_t)(lopen - pg->items);
            double measure = L->measure - indent - numw - L->size;
            double endx = text_line(L, pg, text, font, size, L->s->text, x0 + indent,
                                    baseline, ALIGN_LEFT, measure, 0);
            int nlines = (int)((endx - baseline) / (size * 1.25) + 0.5);
            double last_base = baseline + (nlines - 1) * size * 1.25;
            /* width of the last line: from the last glyph run added */
            double text_end = x0 + indent;
            for (size_t k = pg->n; k-- > 0;) {
                if (pg->items[k].kind == PI_GLYPHS) {
                    text_end = pg->items[k].x + pg->items[k].w;
                    break;
                }
            }
            /* dot leaders at a fixed pitch so they line up */
            double pitch = L->size * 0.55;
            double lx = ceil((text_end - x0 + L->size * 0.6) / pitch) * pitch + x0;
            double lend = x0 + L->measure - numw;
            int ndots = (int)floor((lend - lx) / pitch);
            if (ndots > 0) {
                /* one shaped dot, repeated at the pitch; leaders are
                 * decoration: no text, marked as an artifact */
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
                    pitem dl;
                    memset(&dl, 0, sizeof dl);
                    dl.kind = PI_GLYPHS;
                    dl.x = lx;
                    dl.y = last_base;
                    dl.w = ndots * pitch;
                    dl.font = FONT_BODY;
                    dl.size = size;
                    dl.color = L->s->muted;
                    dl.text = "";
                    dl.g = g;
                    dl.ng = ndots;
                    dl.cl = cl;
                    dl.ncl = 1;
                    dl.artifact = 1;
                    page_add(pg, &dl);
                }
                shaped_free(&dot);
            }
            /* the page number, right-aligned, tabular figures */
            span sp;
            memset(&sp, 0, sizeof sp);
            sp.text = num;
            sp.len = strlen(num);
            sp.st.font = font;
            sp.st.size = size;
            sp.st.color = L->s->text;
            sp.st.tabular = 1;
            para_opts o = popts(L, numw, ALIGN_LEFT, 0);
            pline *nl_lines;
            int nn = para_break(&L->pc, &sp, 1, &o, &nl_lines);
            if (nn > 0)
                emit_line(L, pg, &nl_lines[0], x0 + L->measure - nl_lines[0].width, last_base);
            pitem *lo = &pg->items[lopen_at];
            lo->x = x0 + indent;
            lo->y = baseline - size;
            lo->w = L->measure - indent;
            lo->h = last_base - baseline + size * 1.3;
            page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = PI_LINK_CLOSE});
            ptag(pg, 0, "Reference", NULL);
            ptag(pg, 0, "TOCI", NULL);
            y = last_base + size * 0.45;
        }
        if (it)
            cmark_iter_free(it);
    }
    if (pg)
        ptag(pg, 0, "TOC", NULL);
}
