/* items — a paragraph's text into kp items (see para_int.h).
 *
 * Each word is cut into segments of one style and one font (font fallback
 * for characters the style's font lacks), each segment is shaped once with
 * HarfBuzz, and the break points inside the word (hyphenation, URL
 * punctuation, emergency breaks in words too long for a line) become
 * splits of the shaped glyphs at cluster boundaries: no re-shaping, and
 * kerning inside words is kept. Rejected: shaping every syllable
 * separately (loses kerning pairs across the hyphenation point, and costs
 * a shaping call per syllable).
 */
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "text/para_int.h"

/* Penalties of the breaks para makes (TeX's \hyphenpenalty is 50). */
enum {
    PEN_HYPHEN = 50,          /* a hyphenation point; after a hyphen in the text */
    PEN_MARK = 100,           /* after a dash or slash, or a URL's punctuation */
    PEN_CODE_MARK = 200,      /* after code's punctuation */
    PEN_ONE_LETTER = 500,     /* after a one-letter word */
    PEN_CODE_EMERGENCY = 900, /* anywhere in a code word too long for a line */
    PEN_EMERGENCY = 3000,     /* anywhere in a word too long for a line */
};

/* Most hyphenation points of one letter run that are used. */
#define HYPH_MAX 32

static void push_item(builder *b, kp_item it, piece pc)
{
    GROW(b->items, b->cap_items, b->n + 1);
    GROW(b->pieces, b->cap_pieces, b->n + 1);
    b->items[b->n] = it;
    b->pieces[b->n] = pc;
    b->n++;
}

static piece nopiece(void)
{
    piece p;
    memset(&p, 0, sizeof p);
    p.kind = PIECE_NONE;
    return p;
}

kp_item para_item(kp_type t, double w, double st, double sh, double pen, int flagged)
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

const char *para_features(const para_ctx *c, int font, int code, int tabular)
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

/* Default-ignorable characters (joiners, variation selectors, soft
 * hyphen...) draw nothing: HarfBuzz hides them, no font needs them. */
static int is_ignorable(uint32_t cp)
{
    return cp == 0xAD || cp == 0x34F || (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* Warns once per file and character. Text that is in no file (a chapter's
 * title in the running foot or the contents, the words of l10n) is made
 * from text that was warned about where it is written. */
static void warn_missing(builder *b, uint32_t cp)
{
    if (!b->o->file)
        return;
    char *key = xasprintf("%s:%X", b->o->file, cp);
    int seen = b->c->warned && !strset_add(b->c->warned, key);
    free(key);
    if (seen)
        return;
    char ch[8] = {0};
    utf8_encode(cp, ch);
    diag_warning(b->c->d, b->o->file, b->o->line, 1,
                 "character U+%04X '%s' is in no font of the book; it will show as a blank box", cp, ch);
}

/* The font that will draw code point cp in style font `want`. */
static int font_for(builder *b, int want, uint32_t cp)
{
    const fontset *fs = b->c->fs;
    if (cp < 0x20 || font_has(&fs->f[want], cp) || is_ignorable(cp))
        return want;
    static const int order[] = {FONT_BODY, FONT_BODY_ITALIC, FONT_HEADING_REGULAR, FONT_HEADING, FONT_MONO};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (font_has(&fs->f[order[i]], cp))
            return order[i];
    warn_missing(b, cp);
    return want;
}

static void add_seg(builder *b, size_t t0, size_t t1, int spi, int font)
{
    GROW(b->segs, b->capsegs, b->nsegs + 1);
    seg *s = &b->segs[b->nsegs];
    s->t0 = t0;
    s->t1 = t1;
    s->span = spi;
    s->font = font;
    const tstyle *st = &b->sp[spi].st;
    const char *feats = para_features(b->c, font, st->code, st->tabular);
    if (b->c->cache) {
        s->sh = *shape_cached(b->c->cache, &b->c->fs->f[font], font, st->size, b->T.data + t0, t1 - t0, feats,
                              b->o->lang);
        s->owned = 0;
    } else {
        shape(&b->c->fs->f[font], st->size, b->T.data + t0, t1 - t0, feats, b->o->lang, &s->sh);
        s->owned = 1;
    }
    b->nsegs++;
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

/* ---- break points inside a word ---- */

typedef struct bpt {
    size_t off;        /* T offset where the break goes */
    double penalty;
    int hyph;          /* draw a hyphen */
    int post_drop;
} bpt;

typedef struct bpts {
    bpt *v;
    size_t n, cap;
} bpts;

static void add_bpt(bpts *l, size_t off, double penalty, int hyphen, int post_drop)
{
    GROW(l->v, l->cap, l->n + 1);
    l->v[l->n++] = (bpt){off, penalty, hyphen, post_drop};
}

static int cmp_bpt(const void *a, const void *b)
{
    const bpt *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* The end of the letter run (with inner apostrophes, as in "thema's") that
 * starts at k, within one span. */
static size_t letter_run_end(const builder *b, size_t k, size_t w1)
{
    const char *T = b->T.data;
    size_t r1 = k;
    int l, spn = b->span_at[k];
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
    return r1;
}

/* Hyphenation points of the letter runs of T[w0, w1). */
static void hyph_points(const builder *b, size_t w0, size_t w1, bpts *out)
{
    const char *T = b->T.data;
    size_t k = w0;
    while (k < w1) {
        int l;
        uint32_t cp = utf8_decode(T + k, w1 - k, &l);
        if (!is_letter(cp)) {
            k += (size_t)l;
            continue;
        }
        size_t r0 = k, r1 = letter_run_end(b, k, w1);
        /* a letter run glued to digits or other letters-like symbols
         * (e.g. "COVID-19") is still hyphenated by hyph's rules */
        if (r1 - r0 >= 5) {
            hyph_break hb[HYPH_MAX];
            int nh = hyph_word(b->c->h, T + r0, r1 - r0, hb, HYPH_MAX);
            for (int q = 0; q < nh; q++) {
                if (hb[q].del_before || hb[q].pre[0])
                    continue; /* non-standard breaks: not used (none in Dutch) */
                add_bpt(out, r0 + (size_t)hb[q].at, PEN_HYPHEN, 1, hb[q].del_after > 0);
            }
        }
        k = r1 > k ? r1 : k + 1;
    }
}

/* URLs and code: breaks after / . - _ ? & = # : , ; ( ) | without a
 * hyphen, but not inside "//". */
static void mark_points(const builder *b, size_t w0, size_t w1, int code, bpts *out)
{
    const char *T = b->T.data;
    for (size_t k = w0 + 1; k < w1; k++) {
        char ch = T[k - 1];
        if (ch == '/' || ch == '.' || ch == '-' || ch == '_' || ch == '?' || ch == '&' || ch == '=' ||
            ch == '#' || ch == ':' || ch == ',' || ch == ';' || ch == '(' || ch == ')' || ch == '|') {
            if (T[k] == '/' && ch == '/')
                continue;
            add_bpt(out, k, code ? PEN_CODE_MARK : PEN_MARK, 0, 0);
        }
    }
}

/* Emergency breaks anywhere between characters of a word of width wordw;
 * in a word of several lines' width only every sixteenth of a line (each
 * breakpoint costs the breaker work for every line it can end: one word of
 * a megabyte took minutes). */
static void emergency_points(const builder *b, size_t w0, size_t w1, double wordw, int code, bpts *out)
{
    const char *T = b->T.data;
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
        add_bpt(out, k, code ? PEN_CODE_EMERGENCY : PEN_EMERGENCY, 0, 0);
    }
}

/* All break points inside the word T[w0, w1) whose segments start at
 * first_seg, in order of offset. */
static void word_points(const builder *b, size_t w0, size_t w1, size_t first_seg, bpts *out)
{
    const char *T = b->T.data;
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
    if (b->o->hyphenate && !urlish && b->c->h)
        hyph_points(b, w0, w1, out);
    if (urlish || code)
        mark_points(b, w0, w1, code, out);
    if (wordw > b->o->measure * (code ? 0.95 : 0.6))
        emergency_points(b, w0, w1, wordw, code, out);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_bpt);
}

/* ---- items of a word ---- */

/* Cuts T[w0, w1) into segments of one span and one effective font. */
static void make_segs(builder *b, size_t w0, size_t w1)
{
    const char *T = b->T.data;
    size_t i = w0, seg_start = w0;
    int cur_span = -1, cur_font = -1;
    while (i < w1) {
        int l;
        uint32_t cp = utf8_decode(T + i, w1 - i, &l);
        int sp = b->span_at[i];
        int f = font_for(b, b->sp[sp].st.font, cp);
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
}

static void push_glyphs(builder *b, size_t s, int g0, int g1)
{
    const seg *sg = &b->segs[s];
    piece pc = nopiece();
    pc.kind = PIECE_GLYPHS;
    pc.seg = (int)s;
    pc.g0 = g0;
    pc.g1 = g1;
    pc.st = b->sp[sg->span].st;
    push_item(b, para_item(KP_BOX, glyphs_width(sg, g0, g1), 0, 0, 0, 0), pc);
}

/* The penalty of break point p inside segment s of the word starting at w0. */
static void push_inner_break(builder *b, size_t s, const bpt *p, size_t w0)
{
    const seg *sg = &b->segs[s];
    const tstyle st = b->sp[sg->span].st;
    const gb_font *f = &b->c->fs->f[sg->font];
    double hw = p->hyph ? font_advance(f, st.size, '-') : 0;
    piece pp = nopiece();
    pp.hyph = p->hyph;
    pp.post_drop = p->post_drop;
    pp.font = sg->font;
    pp.size = st.size;
    pp.st = st;
    kp_item pen = para_item(KP_PENALTY, hw, 0, 0, p->penalty, p->hyph);
    if (p->hyph) {
        pen.end_protrusion = 0.7 * hw;
    } else {
        uint32_t lc = last_char(b->T.data + w0, p->off - w0);
        pen.end_protrusion = protrude_right(lc) * font_advance(f, st.size, lc);
    }
    if (b->o->align != ALIGN_JUSTIFY) {
        /* ragged: glue(0,+S) penalty glue(0): a break here leaves S of
         * stretch at the line end; kp takes no negative stretch, so the
         * trick's glue(w,-S) is left out (ragged lines are set at natural
         * width, whatever the stretch); the glue itself must not be a
         * break (after a box it would be one): that broke the word
         * without its hyphen or penalty */
        push_item(b, para_item(KP_PENALTY, 0, 0, 0, KP_INF, 0), nopiece());
        push_item(b, para_item(KP_GLUE, 0, RAGGED_STRETCH_EM * st.size, 0, 0, 0), nopiece());
        push_item(b, pen, pp);
        push_item(b, para_item(KP_GLUE, 0, 0, 0, 0, 0), nopiece());
    } else {
        push_item(b, pen, pp);
    }
}

/* The boxes between the break points bp, segment by segment, and the
 * penalties of the break points. */
static void emit_boxes(builder *b, size_t w0, size_t first_seg, const bpts *bp)
{
    size_t q = 0, nbp = bp->n;
    for (size_t s = first_seg; s < b->nsegs; s++) {
        const seg *sg = &b->segs[s];
        int g0 = 0;
        while (q < nbp && bp->v[q].off <= sg->t0)
            q++;
        for (; q < nbp && bp->v[q].off < sg->t1; q++) {
            if (q + 1 < nbp && bp->v[q + 1].off == bp->v[q].off && bp->v[q + 1].penalty < bp->v[q].penalty)
                continue; /* keep the better of duplicates */
            int g = glyph_at(sg, bp->v[q].off - sg->t0, g0 > 0 ? g0 - 1 : 0);
            if (g <= g0)
                continue;
            push_glyphs(b, s, g0, g);
            push_inner_break(b, s, &bp->v[q], w0);
            g0 = g;
        }
        if (g0 < sg->sh.n || sg->sh.n == 0)
            push_glyphs(b, s, g0, sg->sh.n);
    }
}

static void emit_word(builder *b, size_t w0, size_t w1);

/* A word with an image in it: one box of its width per image, the text
 * between as words. */
static void emit_images(builder *b, size_t w0, size_t w1)
{
    size_t k = w0;
    while (k < w1) {
        int spi = b->span_at[k];
        const span *im = &b->sp[spi];
        size_t e = k;
        while (e < w1 && b->span_at[e] == spi)
            e++;
        if (im->img) {
            piece pc = nopiece();
            pc.kind = PIECE_IMAGE;
            pc.span = spi;
            pc.st = im->st;
            push_item(b, para_item(KP_BOX, im->img_w, 0, 0, 0, 0), pc);
        } else {
            emit_word(b, k, e);
        }
        k = e;
    }
}

/* Emits the boxes and inner breaks of one word T[w0, w1). */
static void emit_word(builder *b, size_t w0, size_t w1)
{
    if (b->sp[b->span_at[w0]].img) {
        emit_images(b, w0, w1);
        return;
    }
    size_t first_seg = b->nsegs;
    make_segs(b, w0, w1);
    bpts bp = {0};
    word_points(b, w0, w1, first_seg, &bp);
    emit_boxes(b, w0, first_seg, &bp);
    free(bp.v);
}

/* ---- spaces and breaks between words ---- */

/* Index of the last box item, or -1. */
static int last_box(const builder *b)
{
    for (size_t i = b->n; i-- > 0;) {
        if (b->items[i].type == KP_BOX)
            return b->pieces[i].kind == PIECE_GLYPHS ? (int)i : -1; /* images do not protrude */
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
            push_item(b, para_item(KP_PENALTY, 0, 0, 0, PEN_ONE_LETTER, 0), nopiece());
        kp_item g = para_item(KP_GLUE, w, w / 2, w / 3, 0, 0);
        g.end_protrusion = prot;
        push_item(b, g, nopiece());
    } else {
        /* ragged: a break here leaves S of stretch at the line end */
        double S = RAGGED_STRETCH_EM * st->size;
        kp_item g = para_item(KP_GLUE, 0, S, 0, 0, 0);
        g.end_protrusion = prot;
        push_item(b, g, nopiece());
        push_item(b, para_item(KP_PENALTY, 0, 0, 0, one_letter_before ? PEN_ONE_LETTER : 0, 0), nopiece());
        piece ws = nopiece();
        ws.kind = PIECE_SPACE;
        push_item(b, para_item(KP_GLUE, w, 0, 0, 0, 0), ws);
    }
}

/* A break after a hyphen, dash or slash inside the text T[w0, w1). */
static void emit_break_after(builder *b, size_t w0, size_t w1)
{
    uint32_t lc = last_char(b->T.data + w0, w1 - w0);
    int lb = last_box(b);
    double fa = lb >= 0 ? font_advance(&b->c->fs->f[b->segs[b->pieces[lb].seg].font], b->pieces[lb].st.size, lc)
                        : 0;
    int hyphen = lc == '-' || lc == 0x2010;
    kp_item pen = para_item(KP_PENALTY, 0, 0, 0, hyphen ? PEN_HYPHEN : PEN_MARK, hyphen);
    pen.end_protrusion = protrude_right(lc) * fa;
    if (b->o->align != ALIGN_JUSTIFY) {
        double S = RAGGED_STRETCH_EM * b->o->measure / 30;
        push_item(b, para_item(KP_GLUE, 0, S, 0, 0, 0), nopiece());
    }
    push_item(b, pen, nopiece());
}

/* A forced break: the end of a paragraph, or a hard line break in it. */
static void emit_forced_break(builder *b)
{
    push_item(b, para_item(KP_PENALTY, 0, 0, 0, KP_INF, 0), nopiece());
    push_item(b, para_item(KP_GLUE, 0, FILL_STRETCH, 0, 0, 0), nopiece());
    push_item(b, para_item(KP_PENALTY, 0, 0, 0, -KP_INF, 0), nopiece());
}

/* White space between words (a newline of the source, not a hard break). */
static int is_space_at(const builder *b, size_t i)
{
    char ch = b->T.data[i];
    return ch == ' ' || ch == '\t' || ch == '\r' || (ch == '\n' && !b->sp[b->span_at[i]].hard_break);
}

/* The end of the word that starts at i: the next break opportunity or
 * white space; an image is a word of its own. *chars is its length in
 * characters; *allow_after says the text allows a break after it without
 * a space (a hyphen, dash or slash). */
static size_t word_end(const builder *b, const char *brks, size_t i, size_t *chars, int *allow_after)
{
    const char *T = b->T.data;
    size_t len = b->T.len;
    *chars = 0;
    *allow_after = 0;
    while (i < len) {
        unsigned char c2 = (unsigned char)T[i];
        if ((c2 == ' ' && !b->o->code) || c2 == '\t' || c2 == '\r' || c2 == '\n')
            break;
        int l;
        utf8_decode(T + i, len - i, &l);
        i += (size_t)l;
        (*chars)++;
        if (i < len && (b->sp[b->span_at[i]].img || b->sp[b->span_at[i - 1]].img) &&
            b->span_at[i] != b->span_at[i - 1])
            break;
        char br = brks[i - 1];
        if (br == LINEBREAK_ALLOWBREAK || br == LINEBREAK_MUSTBREAK) {
            if (i < len && T[i] != ' ' && T[i] != '\t' && T[i] != '\n' && T[i] != '\r')
                *allow_after = 1;
            break;
        }
    }
    return i;
}

/* Start protrusion: glue before a box that starts with an opening mark
 * lets the line after it hang into the left margin. */
static void set_start_protrusion(builder *b)
{
    const char *T = b->T.data;
    size_t len = b->T.len;
    for (size_t k = 0; k + 1 < b->n; k++) {
        if (b->items[k].type == KP_BOX || b->items[k + 1].type != KP_BOX || b->pieces[k + 1].kind != PIECE_GLYPHS)
            continue;
        const piece *p = &b->pieces[k + 1];
        const seg *s = &b->segs[p->seg];
        size_t st = s->t0 + (p->g0 < s->sh.n ? s->sh.cluster[p->g0] : 0);
        int l;
        uint32_t fc = st < len ? utf8_decode(T + st, len - st, &l) : 0;
        double pl = protrude_left(fc);
        if (pl > 0)
            b->items[k].start_protrusion = pl * font_advance(&b->c->fs->f[s->font], p->st.size, fc);
    }
}

/* Code keeps its white space: a tab is an empty box to the next tab stop
 * (TAB_STOP columns from the start of the code line). */
#define TAB_STOP 4

static void emit_tab(builder *b, size_t i, size_t col)
{
    const tstyle *st = &b->sp[b->span_at[i]].st;
    double w = font_advance(&b->c->fs->f[st->font], st->size, ' ');
    if (w <= 0)
        w = 0.5 * st->size;
    push_item(b, para_item(KP_BOX, (double)(TAB_STOP - col % TAB_STOP) * w, 0, 0, 0, 0), nopiece());
}

void para_items(builder *b, const char *brks)
{
    const char *T = b->T.data;
    size_t len = b->T.len;
    size_t i = 0, last_word_chars = 0;
    size_t col = 0; /* code: the column, for tab stops */
    while (i < len) {
        if (b->o->code && T[i] == '\t') {
            emit_tab(b, i, col);
            col += TAB_STOP - col % TAB_STOP;
            i++;
            continue;
        }
        if (is_space_at(b, i) && !(b->o->code && T[i] == ' ')) {
            if (b->n && (b->items[b->n - 1].type == KP_BOX || b->items[b->n - 1].type == KP_PENALTY) &&
                b->items[b->n - 1].penalty < KP_INF)
                emit_space(b, i, last_word_chars == 1);
            while (i < len && is_space_at(b, i))
                i++;
            last_word_chars = 0;
            continue;
        }
        if (T[i] == '\n') { /* hard line break */
            emit_forced_break(b);
            i++;
            last_word_chars = 0;
            continue;
        }
        size_t w0 = i;
        int allow_after;
        i = word_end(b, brks, i, &last_word_chars, &allow_after);
        col += last_word_chars;
        emit_word(b, w0, i);
        if (allow_after) {
            emit_break_after(b, w0, i);
            last_word_chars = 0;
        }
    }
    set_start_protrusion(b);
    emit_forced_break(b);
}
