/* para — see para.h.
 *
 * Design: the paragraph's spans are concatenated into one UTF-8 string T,
 * so that line-break opportunities (libunibreak) see the whole text; each
 * word is cut into segments of one style and one font (font fallback for
 * characters the style's font lacks), each segment is shaped once with
 * HarfBuzz, and hyphenation points become splits of the shaped glyphs at
 * cluster boundaries (no re-shaping, kerning inside words kept). Rejected:
 * shaping every syllable separately (loses kerning pairs across the
 * hyphenation point, and costs a shaping call per syllable).
 *
 * Ragged lines (headings, code) use the classic glue(0,+S) penalty
 * glue(w,-S) trick so one total-fit breaker serves both.
 */
#include "text/para.h"

#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/kp.h"
#include "base/utf8.h"

typedef struct seg {
    size_t t0, t1;     /* range in T */
    int span;
    int font;          /* effective font role */
    shaped sh;         /* a copy of the cache's arrays when owned is 0 */
    int owned;
} seg;

typedef struct piece { /* what a kp item stands for */
    int seg;           /* box: segment and glyph range; -1 otherwise */
    int g0, g1;
    int hyph;          /* penalty: a hyphenation break (draw a hyphen) */
    int post_drop;     /* penalty: the next line's first letter loses its diaeresis */
    int font;          /* hyphen font */
    double size;
    tstyle st;
} piece;

typedef struct builder {
    para_ctx *c;
    const para_opts *o;
    const span *sp;
    int nsp;
    buf T;
    int *span_at;      /* span index of each byte of T */
    size_t *span_start;
    seg *segs;
    size_t nsegs, capsegs;
    kp_item *items;
    piece *pieces;
    size_t n, cap;
    arena tmp;         /* the lines' pieces before they are joined into runs */
} builder;

static const double RAGGED_STRETCH_EM = 3.0;

static void push_item(builder *b, kp_item it, piece pc)
{
    if (b->n + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 256;
        b->items = xrealloc(b->items, c * sizeof *b->items);
        b->pieces = xrealloc(b->pieces, c * sizeof *b->pieces);
        b->cap = c;
    }
    b->items[b->n] = it;
    b->pieces[b->n] = pc;
    b->n++;
}

static piece nopiece(void)
{
    piece p;
    memset(&p, 0, sizeof p);
    p.seg = -1;
    return p;
}

static kp_item mk(kp_type t, double w, double st, double sh, double pen, int flagged)
{
    kp_item it;
    memset(&it, 0, sizeof it);
    it.type = t;
    it.width = w;
    it.stretch = st;
    it.shrink = sh;
    it.penalty = pen;
    it.flagged = flagged;
    return it;
}

static int is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

/* How far a character may hang into the right / left margin, as a
 * fraction of its advance (after microtype's defaults). */
static double protrude_right(uint32_t c)
{
    switch (c) {
    case '.': case ',': case '-': case 0x2010: case 0x2011: return 0.7;
    case ':': case ';': return 0.5;
    case 0x2019: case 0x201D: case '\'': case '"': case 0x203A: case 0xBB: return 0.7;
    case 0x2013: return 0.3;
    case 0x2014: return 0.2;
    case '!': case '?': case ')': return 0.2;
    default: return 0;
    }
}

static double protrude_left(uint32_t c)
{
    switch (c) {
    case 0x2018: case 0x201C: case 0x201E: case '\'': case '"': case 0x2039: case 0xAB: return 0.6;
    case '(': return 0.2;
    default: return 0;
    }
}

static uint32_t last_char(const char *s, size_t len)
{
    if (!len)
        return 0;
    size_t i = len - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    int l;
    return utf8_decode(s + i, len - i, &l);
}

static const char *features_for(const para_ctx *c, int font, int code, int tabular)
{
    if (code || font == FONT_MONO)
        return "liga=0,calt=0,kern=0";
    const gb_font *f = &c->fs->f[font];
    if (tabular)
        return f->has_tnum ? "kern,liga,tnum,lnum" : "kern,liga";
    if (font <= FONT_BODY_BOLD_ITALIC && f->has_onum && f->has_pnum)
        return "kern,liga,onum,pnum";
    return "kern,liga";
}

/* The font that will draw code point cp in style font `want`. */
static int font_for(builder *b, int want, uint32_t cp, size_t t_off)
{
    const fontset *fs = b->c->fs;
    if (cp < 0x20 || font_has(&fs->f[want], cp))
        return want;
    /* default-ignorable characters (joiners, variation selectors, soft
     * hyphen...) draw nothing: HarfBuzz hides them, no warning */
    if (cp == 0xAD || cp == 0x34F || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
        cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF))
        return want;
    static const int order[] = {FONT_BODY, FONT_BODY_ITALIC, FONT_HEADING_REGULAR, FONT_HEADING, FONT_MONO};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (font_has(&fs->f[order[i]], cp))
            return order[i];
    /* once per file and character. Text that is in no file (a chapter's
     * title in the running foot or the contents, the words of l10n) is
     * made from text that was warned about where it is written. */
    if (!b->o->file)
        return want;
    char *key = xasprintf("%s:%X", b->o->file, cp);
    int seen = b->c->warned && !strset_add(b->c->warned, key);
    free(key);
    if (seen)
        return want;
    char ch[8] = {0};
    utf8_encode(cp, ch);
    (void)t_off;
    diag_warning(b->c->d, b->o->file, b->o->line, 1,
                 "character U+%04X '%s' is in no font of the book; it will show as a blank box", cp, ch);
    return want;
}

static int add_seg(builder *b, size_t t0, size_t t1, int spi, int font)
{
    GROW(b->segs, b->capsegs, b->nsegs + 1);
    seg *s = &b->segs[b->nsegs];
    s->t0 = t0;
    s->t1 = t1;
    s->span = spi;
    s->font = font;
    const tstyle *st = &b->sp[spi].st;
    const char *feats = features_for(b->c, font, st->code, st->tabular);
    if (b->c->cache) {
        s->sh = *shape_cached(b->c->cache, &b->c->fs->f[font], font, st->size, b->T.data + t0, t1 - t0, feats,
                              b->o->lang);
        s->owned = 0;
    } else {
        shape(&b->c->fs->f[font], st->size, b->T.data + t0, t1 - t0, feats, b->o->lang, &s->sh);
        s->owned = 1;
    }
    return (int)b->nsegs++;
}

/* Glyph index where a cluster starts exactly at byte `off` of segment s,
 * or -1. Searches from glyph `from` on: callers ask for increasing offsets,
 * so a word is scanned once however many break points it has. */
static int glyph_at(const seg *s, size_t off, int from)
{
    for (int g = from > 0 ? from : 0; g < s->sh.n; g++) {
        if (s->sh.cluster[g] == off)
            return (g == 0 || s->sh.cluster[g - 1] < off) ? g : -1;
        if (s->sh.cluster[g] > off)
            return -1;
    }
    return -1;
}

static double glyphs_width(const seg *s, int g0, int g1)
{
    double w = 0;
    for (int g = g0; g < g1; g++)
        w += s->sh.adv[g];
    return w;
}

typedef struct bpt {
    size_t off;        /* T offset where the break goes */
    double penalty;
    int hyph;          /* draw a hyphen */
    int post_drop;
} bpt;

static int cmp_bpt(const void *a, const void *b)
{
    const bpt *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Emits the boxes and inner breaks of one word T[w0, w1). */
static void emit_word(builder *b, size_t w0, size_t w1)
{
    const char *T = b->T.data;
    /* an image in the text: one box of its width */
    if (b->sp[b->span_at[w0]].img) {
        size_t k = w0;
        while (k < w1) {
            int spi = b->span_at[k];
            const span *im = &b->sp[spi];
            size_t e = k;
            while (e < w1 && b->span_at[e] == spi)
                e++;
            if (im->img) {
                piece pc = nopiece();
                pc.seg = -3;
                pc.g0 = spi;
                pc.st = im->st;
                push_item(b, mk(KP_BOX, im->img_w, 0, 0, 0, 0), pc);
            } else {
                emit_word(b, k, e);
            }
            k = e;
        }
        return;
    }
    /* 1. segments: same span and same effective font */
    size_t first_seg = b->nsegs;
    size_t i = w0;
    int cur_span = -1, cur_font = -1;
    size_t seg_start = w0;
    while (i < w1) {
        int l;
        uint32_t cp = utf8_decode(T + i, w1 - i, &l);
        int sp = b->span_at[i];
        int f = font_for(b, b->sp[sp].st.font, cp, i);
        if (cur_span >= 0 && (sp != cur_span || f != cur_font)) {
            add_seg(b, seg_start, i, cur_span, cur_font);
            seg_start = i;
        }
        cur_span = sp;
        cur_font = f;
        i += (size_t)l;
    }
    if (cur_span >= 0)
        add_seg(b, seg_start, w1, cur_span, cur_font);

    /* 2. break points inside the word */
    bpt *bp = NULL;
    size_t nbp = 0, capbp = 0;
    double wordw = 0;
    for (size_t s = first_seg; s < b->nsegs; s++)
        wordw += b->segs[s].sh.width;
    int code = b->o->code;
    int urlish = code;
    for (size_t s = first_seg; s < b->nsegs && !urlish; s++)
        if (b->sp[b->segs[s].span].st.code)
            urlish = 1;
    if (!urlish && (memmem(T + w0, w1 - w0, "://", 3) || memmem(T + w0, w1 - w0, "www.", 4)))
        urlish = 1;
    if (b->o->hyphenate && !urlish && b->c->h) {
        /* letter runs (with inner apostrophes) within one span */
        size_t k = w0;
        while (k < w1) {
            int l;
            uint32_t cp = utf8_decode(T + k, w1 - k, &l);
            if (!is_letter(cp)) {
                k += (size_t)l;
                continue;
            }
            size_t r0 = k, r1 = k;
            int spn = b->span_at[k];
            while (r1 < w1 && b->span_at[r1] == spn) {
                uint32_t c2 = utf8_decode(T + r1, w1 - r1, &l);
                if (is_letter(c2)) {
                    r1 += (size_t)l;
                    continue;
                }
                if ((c2 == '\'' || c2 == 0x2019) && r1 + (size_t)l < w1) {
                    int l2;
                    uint32_t c3 = utf8_decode(T + r1 + l, w1 - r1 - (size_t)l, &l2);
                    if (is_letter(c3)) {
                        r1 += (size_t)l;
                        continue;
                    }
                }
                break;
            }
            /* a letter run glued to digits or other letters-like symbols
             * (e.g. "COVID-19") is still hyphenated by hyph's rules */
            if (r1 - r0 >= 5) {
                hyph_break hb[32];
                int nh = hyph_word(b->c->h, T + r0, r1 - r0, hb, 32);
                for (int q = 0; q < nh; q++) {
                    if (hb[q].del_before || hb[q].pre[0])
                        continue; /* non-standard breaks: not used (none in Dutch) */
                    GROW(bp, capbp, nbp + 1);
                    bp[nbp++] = (bpt){r0 + (size_t)hb[q].at, 50, 1, hb[q].del_after > 0};
                }
            }
            k = r1 > k ? r1 : k + 1;
        }
    }
    if (urlish || code) {
        /* URLs and code: break after / . - _ ? & = # : , ; without a hyphen */
        for (size_t k = w0 + 1; k < w1; k++) {
            char ch = T[k - 1];
            if (ch == '/' || ch == '.' || ch == '-' || ch == '_' || ch == '?' || ch == '&' || ch == '=' ||
                ch == '#' || ch == ':' || ch == ',' || ch == ';' || ch == '(' || ch == ')' || ch == '|') {
                if (T[k] == '/' && ch == '/')
                    continue; /* not inside "//" */
                GROW(bp, capbp, nbp + 1);
                bp[nbp++] = (bpt){k, code ? 200 : 100, 0, 0};
            }
        }
    }
    if (wordw > b->o->measure * (code ? 0.95 : 0.6)) {
        /* emergency: anywhere between characters; in a word of several
         * lines' width only every sixteenth of a line (each breakpoint
         * costs the breaker work for every line it can end: one word of a
         * megabyte took minutes) */
        double step = wordw > 4 * b->o->measure ? b->o->measure / 16 : 0, run = 0;
        for (size_t k = w0 + 1; k < w1; k++) {
            if (((unsigned char)T[k] & 0xC0) == 0x80)
                continue;
            if (step > 0) {
                const tstyle *ks = &b->sp[b->span_at[k - 1]].st;
                run += font_advance(&b->c->fs->f[ks->font], ks->size, last_char(T + w0, k - w0));
                if (run < step)
                    continue;
                run = 0;
            }
            GROW(bp, capbp, nbp + 1);
            bp[nbp++] = (bpt){k, code ? 900 : 3000, 0, 0};
        }
    }
    if (nbp > 1)
        qsort(bp, nbp, sizeof *bp, cmp_bpt);

    /* 3. boxes between the break points, per segment */
    size_t q = 0;
    for (size_t s = first_seg; s < b->nsegs; s++) {
        seg *sg = &b->segs[s];
        int g0 = 0;
        while (q < nbp && bp[q].off <= sg->t0)
            q++;
        for (; q < nbp && bp[q].off < sg->t1; q++) {
            if (q + 1 < nbp && bp[q + 1].off == bp[q].off && bp[q + 1].penalty < bp[q].penalty)
                continue; /* keep the better of duplicates */
            int g = glyph_at(sg, bp[q].off - sg->t0, g0 > 0 ? g0 - 1 : 0);
            if (g <= g0)
                continue;
            piece pc = nopiece();
            pc.seg = (int)s;
            pc.g0 = g0;
            pc.g1 = g;
            pc.st = b->sp[sg->span].st;
            double w = glyphs_width(sg, g0, g);
            push_item(b, mk(KP_BOX, w, 0, 0, 0, 0), pc);
            const gb_font *f = &b->c->fs->f[sg->font];
            double hw = bp[q].hyph ? font_advance(f, pc.st.size, '-') : 0;
            piece pp = nopiece();
            pp.hyph = bp[q].hyph;
            pp.post_drop = bp[q].post_drop;
            pp.font = sg->font;
            pp.size = pc.st.size;
            pp.st = pc.st;
            kp_item pen = mk(KP_PENALTY, hw, 0, 0, bp[q].penalty, bp[q].hyph);
            if (bp[q].hyph)
                pen.end_protrusion = 0.7 * hw;
            else
                pen.end_protrusion = protrude_right(last_char(T + w0, bp[q].off - w0)) *
                                     font_advance(f, pc.st.size, last_char(T + w0, bp[q].off - w0));
            if (b->o->align != ALIGN_JUSTIFY) {
                double S = RAGGED_STRETCH_EM * pc.st.size;
                push_item(b, mk(KP_GLUE, 0, S, 0, 0, 0), nopiece());
                push_item(b, pen, pp);
                push_item(b, mk(KP_GLUE, 0, 0, 0, 0, 0), nopiece());
                b->items[b->n - 1].stretch = 0;
                /* cancel the stretch when not broken: negative stretch is
                 * not accepted by kp, so instead the ragged glue is given
                 * only at break points via kp's line-end view */
            } else {
                push_item(b, pen, pp);
            }
            g0 = g;
        }
        if (g0 < sg->sh.n || sg->sh.n == 0) {
            piece pc = nopiece();
            pc.seg = (int)s;
            pc.g0 = g0;
            pc.g1 = sg->sh.n;
            pc.st = b->sp[sg->span].st;
            push_item(b, mk(KP_BOX, glyphs_width(sg, g0, sg->sh.n), 0, 0, 0, 0), pc);
        }
    }
    free(bp);
}

/* Index of the last box item, or -1. */
static int last_box(const builder *b)
{
    for (size_t i = b->n; i-- > 0;) {
        if (b->items[i].type == KP_BOX)
            return b->pieces[i].seg >= 0 ? (int)i : -1; /* images do not protrude */
        if (b->items[i].type == KP_GLUE)
            return -1;
    }
    return -1;
}

static uint32_t box_last_char(const builder *b, int i)
{
    const piece *p = &b->pieces[i];
    const seg *s = &b->segs[p->seg];
    size_t end = p->g1 < s->sh.n ? s->t0 + s->sh.cluster[p->g1] : s->t1;
    size_t start = s->t0 + (p->g0 < s->sh.n ? s->sh.cluster[p->g0] : 0);
    return last_char(b->T.data + start, end - start);
}

static void emit_space(builder *b, size_t t, int one_letter_before)
{
    int sp = b->span_at[t];
    const tstyle *st = &b->sp[sp].st;
    const gb_font *f = &b->c->fs->f[st->font];
    double w = font_advance(f, st->size, ' ');
    if (w <= 0)
        w = 0.25 * st->size;
    double prot = 0;
    int lb = last_box(b);
    if (lb >= 0) {
        uint32_t lc = box_last_char(b, lb);
        prot = protrude_right(lc) * font_advance(&b->c->fs->f[b->segs[b->pieces[lb].seg].font],
                                                 b->pieces[lb].st.size, lc);
    }
    if (b->o->align == ALIGN_JUSTIFY) {
        if (one_letter_before)
            push_item(b, mk(KP_PENALTY, 0, 0, 0, 500, 0), nopiece());
        kp_item g = mk(KP_GLUE, w, w / 2, w / 3, 0, 0);
        g.end_protrusion = prot;
        push_item(b, g, nopiece());
    } else {
        /* ragged: a break here leaves S of stretch at the line end */
        double S = RAGGED_STRETCH_EM * st->size;
        kp_item g = mk(KP_GLUE, 0, S, 0, 0, 0);
        g.end_protrusion = prot;
        push_item(b, g, nopiece());
        push_item(b, mk(KP_PENALTY, 0, 0, 0, one_letter_before ? 500 : 0, 0), nopiece());
        push_item(b, mk(KP_GLUE, w, 0, 0, 0, 0), nopiece());
        b->pieces[b->n - 1].seg = -2; /* a word space: drawn as its width */
    }
}

/* ---- line assembly ---- */

static pcluster *clusters_for(arena *a, const seg *s, int g0, int g1, size_t *text_start, size_t *text_len,
                              int *ncl)
{
    size_t start = g0 < s->sh.n ? s->sh.cluster[g0] : (size_t)(s->t1 - s->t0);
    size_t end = g1 < s->sh.n ? s->sh.cluster[g1] : (size_t)(s->t1 - s->t0);
    if (end < start)
        end = start;
    pcluster *cl = arena_alloc(a, (size_t)(g1 - g0 + 1) * sizeof *cl);
    int n = 0;
    int g = g0;
    while (g < g1) {
        uint32_t c0 = s->sh.cluster[g];
        int k = g;
        while (k < g1 && s->sh.cluster[k] == c0)
            k++;
        size_t next = k < g1 ? s->sh.cluster[k] : end;
        cl[n].bytes = (int)(next - c0);
        cl[n].glyphs = k - g;
        n++;
        g = k;
    }
    *text_start = s->t0 + start;
    *text_len = end - start;
    *ncl = n;
    return cl;
}

static void add_run(builder *b, pline *ln, lrun *runs, int *nr, double x, const piece *p, size_t *t_start)
{
    arena *a = &b->tmp;
    const seg *s = &b->segs[p->seg];
    int n = p->g1 - p->g0;
    if (n <= 0)
        return;
    pglyph *g = arena_alloc(a, (size_t)(n + 1) * sizeof *g); /* room for a word space */
    double gx = 0;
    for (int i = 0; i < n; i++) {
        int k = p->g0 + i;
        g[i].id = s->sh.gid[k];
        g[i].x = (float)(gx + s->sh.dx[k]);
        g[i].y = (float)(-s->sh.dy[k]);
        gx += s->sh.adv[k];
    }
    size_t ts, tl;
    int ncl;
    const pcluster *cl = clusters_for(a, s, p->g0, p->g1, &ts, &tl, &ncl);
    if (t_start)
        *t_start = ts;
    lrun *r = &runs[(*nr)++];
    r->x = x;
    r->w = gx;
    r->st = p->st;
    r->st.font = s->font;
    r->text = arena_strndup(a, b->T.data + ts, tl + 1); /* room for a word space */
    ((char *)r->text)[tl] = 0;
    r->text_len = (int)tl;
    r->g = g;
    r->ng = n;
    r->cl = cl;
    r->ncl = ncl;
    if (ln->size < p->st.size)
        ln->size = p->st.size;
}

/* Ends a run with a real space character (an invisible space glyph at the
 * run's end, mapped to " "), so that text extraction, screen readers and
 * the structure tree see words, not only gaps. */
static void add_space(builder *b, lrun *r)
{
    hb_codepoint_t gid;
    if (!r->ng || r->text_len == 0 || r->text[r->text_len - 1] == ' ' ||
        !hb_font_get_nominal_glyph(b->c->fs->f[r->st.font].hb, ' ', &gid))
        return;
    pglyph *g = (pglyph *)r->g; /* add_run left room for one more */
    g[r->ng].id = gid;
    g[r->ng].x = (float)r->w;
    g[r->ng].y = 0;
    r->ng++;
    char *t = (char *)r->text;
    t[r->text_len++] = ' ';
    t[r->text_len] = 0;
    pcluster *cl = arena_alloc(&b->tmp, (size_t)(r->ncl + 1) * sizeof *cl);
    memcpy(cl, r->cl, (size_t)r->ncl * sizeof *cl);
    cl[r->ncl].bytes = 1;
    cl[r->ncl].glyphs = 1;
    r->cl = cl;
    r->ncl++;
}

static int same_run_style(const lrun *a, const lrun *b)
{
    return !a->img && !b->img && a->st.font == b->st.font && a->st.size == b->st.size &&
           a->st.color.r == b->st.color.r && a->st.color.g == b->st.color.g && a->st.color.b == b->st.color.b &&
           a->st.link == b->st.link && a->st.code == b->st.code && a->st.tabular == b->st.tabular;
}

/* Joins neighbouring runs of one style into one (a line then holds a few
 * runs instead of one per word: less memory, fewer drawing operations) and
 * copies the result into arena a; returns the runs, *nr their count. */
static lrun *merge_runs(arena *a, const lrun *runs, int *nr)
{
    int n = *nr, out = 0;
    int groups = 0;
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && same_run_style(&runs[i], &runs[j]))
            j++;
        groups++;
        i = j;
    }
    lrun *res = arena_alloc(a, (size_t)(groups > 0 ? groups : 1) * sizeof *res);
    for (int i = 0; i < n;) {
        int j = i + 1;
        int ng = runs[i].ng, ncl = runs[i].ncl, tl = runs[i].text_len;
        while (j < n && same_run_style(&runs[i], &runs[j])) {
            ng += runs[j].ng;
            ncl += runs[j].ncl;
            tl += runs[j].text_len;
            j++;
        }
        lrun r = runs[i];
        pglyph *g = ng ? arena_alloc(a, (size_t)ng * sizeof *g) : NULL;
        pcluster *cl = ncl ? arena_alloc(a, (size_t)ncl * sizeof *cl) : NULL;
        char *t = tl ? arena_alloc(a, (size_t)tl + 1) : NULL;
        int gn = 0, cn = 0, tn = 0;
        for (int k = i; k < j; k++) {
            float dx = (float)(runs[k].x - runs[i].x);
            for (int q = 0; q < runs[k].ng; q++) {
                g[gn] = runs[k].g[q];
                g[gn].x += dx;
                gn++;
            }
            if (runs[k].ncl)
                memcpy(cl + cn, runs[k].cl, (size_t)runs[k].ncl * sizeof *cl);
            cn += runs[k].ncl;
            if (runs[k].text_len)
                memcpy(t + tn, runs[k].text, (size_t)runs[k].text_len);
            tn += runs[k].text_len;
        }
        if (t)
            t[tn] = 0;
        r.g = g;
        r.ng = gn;
        r.cl = cl;
        r.ncl = cn;
        r.text = t ? t : "";
        r.text_len = tn;
        r.w = runs[j - 1].x + runs[j - 1].w - runs[i].x;
        res[out++] = r;
        i = j;
    }
    *nr = out;
    return res;
}

/* Re-shapes a run whose first letter loses its diaeresis (ideeën -> en). */
static void drop_diaeresis(builder *b, lrun *r)
{
    if (r->text_len < 2)
        return;
    int l;
    uint32_t c = utf8_decode(r->text, (size_t)r->text_len, &l);
    uint32_t base = 0;
    switch (c) {
    case 0xEB: base = 'e'; break; case 0xEF: base = 'i'; break; case 0xF6: base = 'o'; break;
    case 0xFC: base = 'u'; break; case 0xE4: base = 'a'; break; case 0xCB: base = 'E'; break;
    case 0xCF: base = 'I'; break; case 0xD6: base = 'O'; break; case 0xDC: base = 'U'; break;
    case 0xC4: base = 'A'; break;
    default: return;
    }
    buf t = {0};
    buf_putc(&t, (char)base);
    buf_add(&t, r->text + l, (size_t)r->text_len - (size_t)l);
    shaped sh;
    const gb_font *f = &b->c->fs->f[r->st.font];
    shape(f, r->st.size, t.data, t.len, features_for(b->c, r->st.font, r->st.code, r->st.tabular), b->o->lang, &sh);
    pglyph *g = arena_alloc(&b->tmp, (size_t)(sh.n + 1) * sizeof *g);
    double gx = 0;
    for (int i = 0; i < sh.n; i++) {
        g[i].id = sh.gid[i];
        g[i].x = (float)(gx + sh.dx[i]);
        g[i].y = (float)(-sh.dy[i]);
        gx += sh.adv[i];
    }
    /* the whole run maps to the original text (one cluster) */
    pcluster *cl = arena_alloc(&b->tmp, sizeof *cl);
    cl->bytes = r->text_len;
    cl->glyphs = sh.n;
    r->g = g;
    r->ng = sh.n;
    r->cl = cl;
    r->ncl = sh.n ? 1 : 0;
    r->w = gx;
    shaped_free(&sh);
    buf_free(&t);
}

static void hyphen_run(builder *b, lrun *r, double x, const piece *pp)
{
    const gb_font *f = &b->c->fs->f[pp->font];
    shaped sh;
    shape(f, pp->size, "-", 1, NULL, b->o->lang, &sh);
    pglyph *g = arena_alloc(&b->tmp, (size_t)(sh.n + 1) * sizeof *g);
    double gx = 0;
    for (int i = 0; i < sh.n; i++) {
        g[i].id = sh.gid[i];
        g[i].x = (float)gx;
        g[i].y = 0;
        gx += sh.adv[i];
    }
    /* the inserted hyphen stands for no text at all */
    pcluster *cl = arena_alloc(&b->tmp, sizeof *cl);
    cl->bytes = 0;
    cl->glyphs = sh.n;
    r->x = x;
    r->w = gx;
    r->st = pp->st;
    r->st.font = pp->font;
    r->text = "";
    r->text_len = 0;
    r->g = g;
    r->ng = sh.n;
    r->cl = cl;
    r->ncl = 1;
    shaped_free(&sh);
}

/* Says once per file (the first paragraph that has it) that the text has
 * a right-to-left script: the PDF sets every line left to right, so such
 * words show their letters in reverse order and text extraction gives them
 * reversed; the EPUB (HTML, bidirectional in every reader) is not affected. */
static void warn_rtl(builder *b, const char *T, size_t len)
{
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    int l;
    for (size_t i = 0; i < len; i += (size_t)l) {
        uint32_t cp = utf8_decode(T + i, len - i, &l);
        if (cp < 0x590)
            continue;
        hb_script_t sc = hb_unicode_script(uf, cp);
        if (hb_script_get_horizontal_direction(sc) != HB_DIRECTION_RTL)
            continue;
        char key[300];
        snprintf(key, sizeof key, "rtl:%.280s", b->o->file ? b->o->file : "");
        if (b->c->warned && !strset_add(b->c->warned, key))
            return;
        const char *name = sc == HB_SCRIPT_HEBREW ? "Hebrew" : sc == HB_SCRIPT_ARABIC ? "Arabic"
                         : sc == HB_SCRIPT_SYRIAC ? "Syriac" : sc == HB_SCRIPT_THAANA ? "Thaana"
                         : sc == HB_SCRIPT_NKO ? "N'Ko" : NULL;
        char tag[5] = {0};
        hb_tag_to_string(hb_script_to_iso15924_tag(sc), tag);
        diag_warning(b->c->d, b->o->file, b->o->line, 1,
                     "right-to-left text (%s, U+%04X) is set left to right in the PDF: its letters are drawn "
                     "in reverse order and text extraction may not give reading order; the EPUB shows it correctly",
                     name ? name : tag, cp);
        return;
    }
}

void para_scrub(char *s, size_t len)
{
    int l;
    for (size_t i = 0; i < len; i += (size_t)l) {
        uint32_t cp = utf8_decode(s + i, len - i, &l);
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
            utf8_encode(cp >= 0xFDD0 && cp <= 0xFFFF ? 0xFFFD : (cp & ~0xFFFFu) | 0xFFFD, s + i);
    }
}

/* Items per piece of a very long paragraph (see break_items). */
#define KP_CHUNK 6000

static void append_lines(kp_result *all, const kp_result *r, int upto, int offset)
{
    all->breaks = xrealloc(all->breaks, (size_t)(all->nlines + upto + 1) * sizeof *all->breaks);
    all->ratios = xrealloc(all->ratios, (size_t)(all->nlines + upto + 1) * sizeof *all->ratios);
    for (int q = 0; q < upto; q++) {
        all->breaks[all->nlines] = r->breaks[q] + offset;
        all->ratios[all->nlines++] = r->ratios[q];
    }
}

/* kp_break over a paragraph of any length. Active breakpoints grow with
 * the items a line can hold and every pass revisits them, so a paragraph
 * of megabytes (or one unbreakable word broken between each two
 * characters) took minutes and gigabytes. Beyond 2 * KP_CHUNK items it is
 * broken in windows: the next 2 * KP_CHUNK items end as a paragraph, the
 * lines that end in the first half are kept, and the next window starts at
 * the first box after the last kept break. Optimal within each window;
 * paragraphs of normal length are broken exactly as before. */
static int break_items(const kp_item *items, int n, const double *widths, const kp_params *prm, kp_result *res)
{
    if (n <= 2 * KP_CHUNK)
        return kp_break(items, n, widths, 2, prm, res);
    memset(res, 0, sizeof *res);
    kp_item *w = xmalloc((2 * KP_CHUNK + 3) * sizeof *w);
    int start = 0, first = 1;
    while (start < n) {
        kp_result r;
        int len = n - start, last = len <= 2 * KP_CHUNK;
        if (!last) {
            len = 2 * KP_CHUNK;
            memcpy(w, items + start, (size_t)len * sizeof *w);
            w[len] = mk(KP_PENALTY, 0, 0, 0, KP_INF, 0);
            w[len + 1] = mk(KP_GLUE, 0, 1e7, 0, 0, 0);
            w[len + 2] = mk(KP_PENALTY, 0, 0, 0, -KP_INF, 0);
        }
        if (kp_break(last ? items + start : w, last ? len : len + 3, first ? widths : widths + 1, first ? 2 : 1, prm,
                     &r) < 0) {
            free(w);
            kp_result_free(res);
            return -1;
        }
        if (last) {
            append_lines(res, &r, r.nlines, start);
            kp_result_free(&r);
            break;
        }
        int keep = 0;
        while (keep < r.nlines && r.breaks[keep] < KP_CHUNK)
            keep++;
        if (!keep)
            keep = 1;
        if (r.breaks[keep - 1] >= len) /* the whole window is one line */
            r.breaks[keep - 1] = len - 1;
        append_lines(res, &r, keep, start);
        int next = start + r.breaks[keep - 1] + 1;
        kp_result_free(&r);
        while (next < n && items[next].type != KP_BOX)
            next++;
        if (next >= n) { /* only discardable items left: they end the last line */
            res->breaks[res->nlines - 1] = n - 1;
            break;
        }
        start = next;
        first = 0;
    }
    free(w);
    return 0;
}

/* The code point libunibreak is given for cp. libunibreak (Debian 12's
 * 1.1, LINEBREAK_VERSION 0x0202) knows the class RI of the regional
 * indicators (U+1F1E6..U+1F1FF, the letters of flag emoji) but has no row
 * for it in its pair table: the first RI aborts the program
 * (`lbcNew <= LBP_JT'). And U+FFFF is its end-of-text mark. So RI is given
 * as what UAX #14 (LB30a) makes of it: the first of each pair an
 * ideograph (breaks on either side), the second a combining mark (no break
 * inside the pair); U+FFFF as U+FFFD. Every other code point, assigned or
 * not, goes through unchanged (tests/test_linebreaks.c tries them all). */
static uint32_t lb_char(uint32_t cp, int *ri_odd)
{
    if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
        *ri_odd = !*ri_odd;
        return *ri_odd ? 0x2E80 : 0x0300;
    }
    *ri_odd = 0;
    return cp == 0xFFFF ? 0xFFFD : cp;
}

void para_linebreaks(const char *s, size_t len, const char *lang, char *brks)
{
    if (!len)
        return;
    /* our decoder, not libunibreak's: invalid bytes are one U+FFFD each,
     * the same characters the shaping sees */
    uint32_t *u = xmalloc(len * sizeof *u);
    size_t n = 0;
    int ri = 0, l;
    for (size_t i = 0; i < len; i += (size_t)l)
        u[n++] = lb_char(utf8_decode(s + i, len - i, &l), &ri);
    char *cb = xmalloc(n);
    set_linebreaks_utf32((const utf32_t *)u, n, lang, cb);
    size_t k = 0;
    for (size_t i = 0; i < len; i += (size_t)l) {
        utf8_decode(s + i, len - i, &l);
        memset(brks + i, LINEBREAK_INSIDEACHAR, (size_t)l - 1);
        brks[i + (size_t)l - 1] = cb[k++];
    }
    free(cb);
    free(u);
}

int para_break(para_ctx *c, const span *sp, int nsp, const para_opts *o, pline **out)
{
    builder b = {.c = c, .o = o, .sp = sp, .nsp = nsp};
    /* T and the byte -> span map */
    size_t total = 0;
    for (int i = 0; i < nsp; i++)
        total += sp[i].hard_break ? 1 : sp[i].len;
    b.span_at = xmalloc((total + 1) * sizeof *b.span_at);
    b.span_start = xmalloc(((size_t)nsp + 1) * sizeof *b.span_start);
    for (int i = 0; i < nsp; i++) {
        b.span_start[i] = b.T.len;
        size_t before = b.T.len;
        if (sp[i].hard_break)
            buf_putc(&b.T, '\n');
        else
            buf_add(&b.T, sp[i].text, sp[i].len);
        for (size_t k = before; k < b.T.len; k++)
            b.span_at[k] = i;
    }
    if (!b.T.data)
        buf_reserve(&b.T, 1);
    para_scrub(b.T.data, b.T.len);
    const char *T = b.T.data;
    size_t len = b.T.len;
    char *brks = xmalloc(len + 1);
    para_linebreaks(T, len, o->lang, brks);
    warn_rtl(&b, T, len);

    /* words and spaces */
    size_t i = 0;
    size_t last_word_chars = 0;
    while (i < len) {
        unsigned char ch = (unsigned char)T[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || (ch == '\n' && !sp[b.span_at[i]].hard_break)) {
            if (b.n && (b.items[b.n - 1].type == KP_BOX || b.items[b.n - 1].type == KP_PENALTY) &&
                b.items[b.n - 1].penalty < KP_INF)
                emit_space(&b, i, last_word_chars == 1);
            while (i < len && (T[i] == ' ' || T[i] == '\t' || T[i] == '\r' ||
                               (T[i] == '\n' && !sp[b.span_at[i]].hard_break)))
                i++;
            last_word_chars = 0;
            continue;
        }
        if (ch == '\n') { /* hard line break */
            push_item(&b, mk(KP_PENALTY, 0, 0, 0, KP_INF, 0), nopiece());
            push_item(&b, mk(KP_GLUE, 0, 1e7, 0, 0, 0), nopiece());
            push_item(&b, mk(KP_PENALTY, 0, 0, 0, -KP_INF, 0), nopiece());
            i++;
            last_word_chars = 0;
            continue;
        }
        /* a word: up to a break opportunity or a space */
        size_t w0 = i, chars = 0;
        int allow_after = 0;
        while (i < len) {
            unsigned char c2 = (unsigned char)T[i];
            if (c2 == ' ' || c2 == '\t' || c2 == '\r' || c2 == '\n')
                break;
            int l;
            utf8_decode(T + i, len - i, &l);
            i += (size_t)l;
            chars++;
            if (i < len && (sp[b.span_at[i]].img || sp[b.span_at[i - 1]].img) &&
                b.span_at[i] != b.span_at[i - 1])
                break; /* an image is a word of its own */
            char br = brks[i - 1];
            if (br == LINEBREAK_ALLOWBREAK || br == LINEBREAK_MUSTBREAK) {
                if (i < len && T[i] != ' ' && T[i] != '\t' && T[i] != '\n' && T[i] != '\r')
                    allow_after = 1;
                break;
            }
        }
        emit_word(&b, w0, i);
        last_word_chars = chars;
        if (allow_after) {
            /* a break after a hyphen, dash or slash inside the text */
            uint32_t lc = last_char(T + w0, i - w0);
            int lb = last_box(&b);
            double fa = lb >= 0 ? font_advance(&c->fs->f[b.segs[b.pieces[lb].seg].font],
                                               b.pieces[lb].st.size, lc)
                                : 0;
            int hyphen = lc == '-' || lc == 0x2010;
            kp_item pen = mk(KP_PENALTY, 0, 0, 0, hyphen ? 50 : 100, hyphen);
            pen.end_protrusion = protrude_right(lc) * fa;
            if (o->align != ALIGN_JUSTIFY) {
                double S = RAGGED_STRETCH_EM * o->measure / 30;
                push_item(&b, mk(KP_GLUE, 0, S, 0, 0, 0), nopiece());
                push_item(&b, pen, nopiece());
            } else {
                push_item(&b, pen, nopiece());
            }
            last_word_chars = 0;
        }
    }
    /* start protrusion: glue before a box that starts with an opening mark */
    for (size_t k = 0; k + 1 < b.n; k++) {
        if (b.items[k].type == KP_BOX || b.items[k + 1].type != KP_BOX || b.pieces[k + 1].seg < 0)
            continue;
        const piece *p = &b.pieces[k + 1];
        const seg *s = &b.segs[p->seg];
        size_t st = s->t0 + (p->g0 < s->sh.n ? s->sh.cluster[p->g0] : 0);
        int l;
        uint32_t fc = st < len ? utf8_decode(T + st, len - st, &l) : 0;
        double pl = protrude_left(fc);
        if (pl > 0)
            b.items[k].start_protrusion = pl * font_advance(&c->fs->f[s->font], p->st.size, fc);
    }
    /* paragraph end */
    push_item(&b, mk(KP_PENALTY, 0, 0, 0, KP_INF, 0), nopiece());
    push_item(&b, mk(KP_GLUE, 0, 1e7, 0, 0, 0), nopiece());
    push_item(&b, mk(KP_PENALTY, 0, 0, 0, -KP_INF, 0), nopiece());

    double widths[2] = {o->measure - o->first_indent, o->measure};
    kp_params prm;
    kp_default_params(&prm, o->measure);
    if (o->align != ALIGN_JUSTIFY) {
        prm.pretolerance = -1;
        prm.tolerance = 10000;
        prm.emergency_stretch = 0;
    }
    kp_result res;
    memset(&res, 0, sizeof res);
    int nlines = 0;
    pline *lines = NULL;
    /* A paragraph whose natural width fits its first line (headings, list
     * items, code lines, table-of-contents entries) is one line: no need
     * for the breaker, nor for a forced break inside it. */
    double natural = 0;
    int forced = 0;
    for (size_t k = 0; k + 1 < b.n; k++) {
        if (b.items[k].type == KP_BOX || (b.items[k].type == KP_GLUE && b.items[k].stretch < 1e6))
            natural += b.items[k].width;
        else if (b.items[k].type == KP_PENALTY && b.items[k].penalty <= -KP_INF)
            forced = 1;
    }
    int one_line = !forced && natural <= widths[0];
    if (one_line) {
        res.nlines = 1;
        res.breaks = xmalloc(sizeof *res.breaks);
        res.ratios = xmalloc(sizeof *res.ratios);
        res.breaks[0] = (int)b.n - 1;
        res.ratios[0] = 0;
    }
    if (one_line || break_items(b.items, (int)b.n, widths, &prm, &res) == 0) {
        nlines = res.nlines;
        lines = arena_alloc(c->a, (size_t)(nlines + 1) * sizeof *lines);
        size_t start = 0;
        int drop_next = 0;
        /* A word broken at a line end reads as one word: its first part
         * and the inserted hyphen map to no text, and the part on the next
         * line carries the whole word (so copying, searching and text
         * extraction all see "organiseren", not "or-" / "ganiseren"). */
        buf prefix = {0};
        size_t prefix_t0 = 0;
        int have_prefix = 0;
        for (int L = 0; L < nlines; L++) {
            pline *ln = &lines[L];
            size_t brk = (size_t)res.breaks[L];
            /* skip discardable items at the line start */
            while (start < brk && b.items[start].type != KP_BOX)
                start++;
            double ratio = res.ratios[L];
            if (o->align != ALIGN_JUSTIFY)
                ratio = 0;
            double x = L == 0 ? o->first_indent : 0;
            if (start > 0 && L > 0)
                x -= b.items[start - 1].start_protrusion;
            else if (L == 0 && start < b.n && b.pieces[start].seg >= 0 && o->first_indent == 0) {
                /* a paragraph may start with a hanging quote too */
            }
            int nruns_max = (int)(brk - start) + 2;
            lrun *runs = arena_alloc(&b.tmp, (size_t)nruns_max * sizeof *runs);
            size_t *run_t = xmalloc((size_t)nruns_max * sizeof *run_t);
            int nr = 0, last_word_run = 0;
            ln->size = 0;
            for (size_t k = start; k < brk; k++) {
                const kp_item *it = &b.items[k];
                if (it->type == KP_BOX) {
                    if (b.pieces[k].seg == -3) {
                        const span *im = &sp[b.pieces[k].g0];
                        lrun *r = &runs[nr++];
                        memset(r, 0, sizeof *r);
                        r->x = x;
                        r->w = im->img_w;
                        r->st = im->st;
                        r->img = im->img;
                        r->img_h = im->img_h;
                        r->alt = im->alt;
                        r->text = "";
                        run_t[nr - 1] = 0;
                    } else if (b.pieces[k].seg >= 0) {
                        add_run(&b, ln, runs, &nr, x, &b.pieces[k], &run_t[nr]);
                        if (!ln->src && nr == 1) {
                            size_t toff = have_prefix ? prefix_t0 : run_t[0];
                            int spi = b.span_at[toff < len ? toff : (len ? len - 1 : 0)];
                            ln->src = sp[spi].src;
                            ln->src_off = sp[spi].src_off + (toff - b.span_start[spi]);
                        }
                        if (drop_next && nr == 1) {
                            drop_diaeresis(&b, &runs[0]);
                            drop_next = 0;
                        }
                        if (have_prefix && nr == 1) {
                            lrun *r0 = &runs[0];
                            buf_add(&prefix, r0->text, (size_t)r0->text_len);
                            pcluster *cl = arena_alloc(&b.tmp, (size_t)(r0->ncl + 1) * sizeof *cl);
                            memcpy(cl, r0->cl, (size_t)r0->ncl * sizeof *cl);
                            int plen = (int)prefix.len - r0->text_len;
                            if (r0->ncl > 0)
                                cl[0].bytes += plen;
                            r0->cl = cl;
                            r0->text = arena_strndup(&b.tmp, prefix.data, prefix.len);
                            r0->text_len = (int)prefix.len;
                            have_prefix = 0;
                            prefix.len = 0;
                        }
                    }
                    x += it->width;
                } else if (it->type == KP_GLUE) {
                    if (it->stretch >= 1e6)
                        continue;
                    if (it->width > 0 && nr > 0 && k > start &&
                        (b.items[k - 1].type == KP_BOX || b.pieces[k].seg == -2))
                        add_space(&b, &runs[nr - 1]);
                    x += it->width + (ratio > 0 ? ratio * it->stretch : ratio * it->shrink);
                    last_word_run = nr;
                }
            }
            have_prefix = 0;
            prefix.len = 0;
            drop_next = 0;
            const kp_item *bi = &b.items[brk];
            if (bi->type == KP_PENALTY && b.pieces[brk].hyph) {
                hyphen_run(&b, &runs[nr], x, &b.pieces[brk]);
                x += runs[nr].w;
                nr++;
                ln->hyphenated = 1;
                drop_next = b.pieces[brk].post_drop;
                /* the word's first part moves to the next line's text */
                for (int r = last_word_run; r < nr - 1; r++) {
                    if (r == last_word_run)
                        prefix_t0 = run_t[r];
                    buf_add(&prefix, runs[r].text, (size_t)runs[r].text_len);
                    pcluster *cl = arena_alloc(&b.tmp, (size_t)(runs[r].ncl + 1) * sizeof *cl);
                    for (int q = 0; q < runs[r].ncl; q++) {
                        cl[q].bytes = 0;
                        cl[q].glyphs = runs[r].cl[q].glyphs;
                    }
                    runs[r].cl = cl;
                    runs[r].text = "";
                    runs[r].text_len = 0;
                    have_prefix = 1;
                }
            }
            free(run_t);
            /* a line that ends at a word space keeps the space as text */
            if (!ln->hyphenated && nr > 0 && L + 1 < nlines) {
                int at_space = bi->type == KP_GLUE && bi->width > 0;
                for (size_t q = brk + 1; q <= brk + 2 && q < b.n; q++)
                    if (b.pieces[q].seg == -2)
                        at_space = 1;
                if (at_space)
                    add_space(&b, &runs[nr - 1]);
            }
            runs = merge_runs(c->a, runs, &nr);
            ln->runs = runs;
            ln->nruns = nr;
            ln->width = x;
            ln->last = L == nlines - 1;
            ln->ratio = ratio;
            ln->kp_pass = res.pass;
            if (ln->size == 0)
                ln->size = nsp ? sp[0].st.size : 10;
            if (o->align == ALIGN_CENTER) {
                double shift = (o->measure - x) / 2;
                for (int r = 0; r < nr; r++)
                    runs[r].x += shift;
            }
            start = brk + 1;
        }
        kp_result_free(&res);
        buf_free(&prefix);
        int wrap = 0;
        for (int q = 0; q < nsp; q++)
            if (sp[q].st.link || sp[q].img)
                wrap = 1;
        for (int L = 0; L < nlines; L++)
            lines[L].wrap = wrap;
    }
    for (size_t s = 0; s < b.nsegs; s++)
        if (b.segs[s].owned)
            shaped_free(&b.segs[s].sh);
    free(b.segs);
    free(b.items);
    free(b.pieces);
    free(b.span_at);
    free(b.span_start);
    free(brks);
    buf_free(&b.T);
    arena_free(&b.tmp);
    *out = lines;
    return nlines;
}
