/* cover — see cover.h.
 *
 * Design: a restrained government look. A vertical band in the accent
 * colour at the left (a ribbon, without any logo), the title large in the
 * heading face, the subtitle, then the book's themes as coloured discs
 * (the "fruit" of the goodiebag) with their labels, and the author and
 * publisher at the foot. Everything is proportional to the page width, so
 * the same layout serves A4, A5 and the 2:3 e-book cover.
 */
#include "layout/cover.h"

#include <string.h>

#include "text/para.h"

/* What laying out one cover needs. */
typedef struct cover_ctx {
    page *pg;
    const book *b;
    const style *s;
    para_ctx pc;
    double w, h;          /* the page */
    double u;             /* one unit: a hundredth of the width */
} cover_ctx;

static void add_box(cover_ctx *c, pitem_kind k, double x, double y, double w, double h, rgb color)
{
    page_add(c->pg, &(pitem){.kind = k, .x = x, .y = y, .w = w, .h = h, .color = color});
}

/* Breaks text into lines of at most measure, ragged right, in one font.
 * Returns the number of lines (*out in the arena). */
static int break_text(cover_ctx *c, const char *text, int font, double size, rgb color, double measure,
                      pline **out)
{
    span sp;
    memset(&sp, 0, sizeof sp);
    sp.text = text;
    sp.len = strlen(text);
    /* no more text than the page could hold (a letter takes at least a
     * tenth of size * size; four bytes a letter at most) */
    double fit = 40 * c->w * c->h / (size * size);
    if ((double)sp.len > fit) {
        sp.len = (size_t)fit;
        while (sp.len > 0 && ((unsigned char)text[sp.len] & 0xC0) == 0x80)
            sp.len--;
    }
    sp.st.font = font;
    sp.st.size = size;
    sp.st.color = color;
    para_opts o;
    memset(&o, 0, sizeof o);
    o.measure = measure;
    o.align = ALIGN_LEFT;
    o.lang = c->b->meta.lang;
    return para_break(&c->pc, &sp, 1, &o, out);
}

/* Adds lines at x, the first baseline at *y and the next ones lh apart,
 * leaving out those whose baseline would pass the foot of the page; *y
 * ends at the last line's baseline. */
static void put_lines(cover_ctx *c, const pline *lines, int n, double x, double *y, double lh)
{
    for (int i = 0; i < n; i++) {
        if (i > 0) {
            if (*y + lh > c->h)
                break;
            *y += lh;
        }
        for (int r = 0; r < lines[i].nruns; r++) {
            const lrun *rn = &lines[i].runs[r];
            page_add(c->pg, &(pitem){.kind = PI_GLYPHS, .x = x + rn->x, .y = *y, .w = rn->w, .font = rn->st.font,
                                     .size = rn->st.size, .color = rn->st.color, .text = rn->text,
                                     .text_len = rn->text_len, .g = rn->g, .ng = rn->ng, .cl = rn->cl,
                                     .ncl = rn->ncl});
        }
    }
}

/* Sets text in lines of at most measure at x (see put_lines). */
static void set_text(cover_ctx *c, const char *text, int font, double size, rgb color, double x, double *y,
                     double measure, double lh)
{
    pline *lines;
    int n = break_text(c, text, font, size, color, measure, &lines);
    put_lines(c, lines, n, x, y, lh);
}

static rgb mix(rgb a, rgb b, double t)
{
    rgb r = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
    return r;
}

/* The themes: chapters with a theme, as coloured discs with their labels
 * and titles, from y down. */
static void themes(cover_ctx *c, double x, double tw, double y)
{
    const book *b = c->b;
    const style *s = c->s;
    double u = c->u, r = 4.2 * u;
    rgb white = {1, 1, 1};
    int shown = 0;
    for (int i = 0; i < b->nch && shown < 9; i++) {
        const chapter *ch = &b->ch[i];
        if (ch->theme <= 0 || ch->theme > s->ntheme || !ch->doc)
            continue;
        add_box(c, PI_DISC, x, y - r, 2 * r, 2 * r, s->theme[ch->theme - 1]);
        if (ch->label && *ch->label) {
            pline *lines;
            int n = break_text(c, ch->label, FONT_HEADING, 4.4 * u, white, 3 * c->w, &lines);
            double lb = y + 1.6 * u;
            put_lines(c, lines, n > 1 ? 1 : n, x + r - (n ? lines[0].width : 0) / 2, &lb, 0);
        }
        /* the chapter's own title, without its label */
        const char *title = ch->title;
        size_t ll = ch->label ? strlen(ch->label) : 0;
        if (ll && !strncmp(title, ch->label, ll) && title[ll] == ' ')
            title += ll + 1;
        double base = y + 1.4 * u;
        set_text(c, title, FONT_HEADING_REGULAR, 3.6 * u, s->text, x + 2 * r + 4 * u, &base, tw - 2 * r - 4 * u,
                 4.4 * u);
        y = base + 11 * u;
        shown++;
    }
}

/* The cover designed from the metadata. */
static void designed(cover_ctx *c)
{
    const meta *m = &c->b->meta;
    const style *s = c->s;
    double w = c->w, h = c->h, u = c->u;
    rgb white = {1, 1, 1};
    add_box(c, PI_RULE, 0, 0, w, h, white);
    add_box(c, PI_RULE, 0, 0, 9 * u, h, s->accent);               /* the ribbon */
    add_box(c, PI_RULE, 9 * u, 0, w - 9 * u, h * 0.46, mix(s->accent, white, 0.92)); /* behind the title */
    double x = 17 * u, tw = w - 17 * u - 9 * u;
    double y = h * 0.2;
    set_text(c, m->title, FONT_HEADING, 9.5 * u, s->accent, x, &y, tw, 10.5 * u);
    if (m->subtitle) {
        y += 8.5 * u;
        set_text(c, m->subtitle, FONT_HEADING_REGULAR, 4.4 * u, s->text, x, &y, tw, 5.6 * u);
    }
    add_box(c, PI_RULE, x, h * 0.46 - 0.6 * u, 14 * u, 1.2 * u, s->accent);
    themes(c, x, tw, h * 0.56);
    /* the authors at the foot, the publisher under them */
    double fy = h - (m->publisher ? 16 : 9) * u;
    for (int i = 0; i < m->nauthors; i++) {
        set_text(c, m->authors[i], FONT_HEADING, 3.4 * u, s->accent, x, &fy, tw, 4.2 * u);
        fy += 4.2 * u;
    }
    if (m->publisher) {
        fy += 0.8 * u;
        set_text(c, m->publisher, FONT_HEADING_REGULAR, 1.9 * u, s->muted, x, &fy, tw, 2.6 * u);
    }
}

/* The book's own cover image, as large as fits, centred. */
static void artwork(cover_ctx *c)
{
    const resource *r = c->b->cover;
    double iw = r->width, ih = r->height;
    double sc = c->w / iw < c->h / ih ? c->w / iw : c->h / ih;
    double w = iw * sc, h = ih * sc;
    page_add(c->pg, &(pitem){.kind = PI_IMAGE, .x = (c->w - w) / 2, .y = (c->h - h) / 2, .w = w, .h = h, .res = r});
}

void cover_layout(page *pg, const book *b, const style *s, const fontset *fs, double w, double h, arena *a)
{
    const meta *m = &b->meta;
    diag quiet = {0}; /* see cover.h: warnings are given where the texts are set again */
    cover_ctx c = {.pg = pg, .b = b, .s = s, .w = w, .h = h, .u = w / 100.0};
    c.pc = (para_ctx){.fs = fs, .a = a, .d = &quiet};
    const char *alt =
        arena_printf(a, "%s%s%s", m->title, m->subtitle ? ": " : "", m->subtitle ? m->subtitle : "");
    page_add(pg, &(pitem){.kind = PI_TAG_OPEN, .tag = "Figure", .alt = alt});
    if (b->cover)
        artwork(&c);
    else
        designed(&c);
    page_add(pg, &(pitem){.kind = PI_TAG_CLOSE, .tag = "Figure", .alt = alt});
    diag_free(&quiet);
}

static unsigned long long key_str(unsigned long long h, const char *t)
{
    if (!t)
        return hash_bytes(h, "\1", 1);
    return hash_bytes(h, t, strlen(t) + 1);
}

unsigned long long cover_key(const book *b, const style *s, int width, int height)
{
    unsigned long long h = 1469598103934665603ULL;
    const meta *m = &b->meta;
    h = key_str(h, m->title);
    h = key_str(h, m->subtitle);
    h = key_str(h, m->publisher);
    h = key_str(h, m->lang);
    for (int i = 0; i < m->nauthors; i++)
        h = key_str(h, m->authors[i]);
    for (int i = 0; i < b->nch; i++) {
        const chapter *c = &b->ch[i];
        int t[2] = {c->theme, c->doc != NULL};
        h = hash_bytes(h, t, sizeof t);
        h = key_str(h, c->label);
        h = key_str(h, c->title);
    }
    rgb cols[3] = {s->accent, s->muted, s->text};
    h = hash_bytes(h, cols, sizeof cols);
    h = hash_bytes(h, &s->ntheme, sizeof s->ntheme);
    for (int i = 0; i < s->ntheme; i++)
        h = hash_bytes(h, &s->theme[i], sizeof s->theme[i]);
    for (int r = 0; r < FONT_COUNT; r++)
        h = key_str(h, s->font_path[r]);
    int wh[2] = {width, height};
    return hash_bytes(h, wh, sizeof wh);
}
