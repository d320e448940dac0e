/* para — see para.h; the stages are described in para_int.h.
 *
 * para_break joins the paragraph's spans into one UTF-8 string T, so that
 * line-break opportunities (libunibreak) see the whole text; items.c turns
 * T into boxes, glue and penalties; the breaker settings depend on the
 * alignment (ragged lines, headings and code use the classic glue(0,+S)
 * penalty glue(w,-S) trick so one total-fit breaker serves both); kp
 * chooses the breaks, in windows for very long paragraphs; lines.c sets
 * the lines.
 */
#include "text/para.h"

#include <linebreak.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "text/para_int.h"

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

/* The lines of a paragraph broken in windows, with room to grow. */
typedef struct lines_acc {
    kp_result *all;
    size_t cap_breaks, cap_ratios;
} lines_acc;

static void append_lines(lines_acc *acc, const kp_result *r, int upto, int offset)
{
    kp_result *all = acc->all;
    GROW(all->breaks, acc->cap_breaks, (size_t)(all->nlines + upto));
    GROW(all->ratios, acc->cap_ratios, (size_t)(all->nlines + upto));
    for (int q = 0; q < upto; q++) {
        all->breaks[all->nlines] = r->breaks[q] + offset;
        all->ratios[all->nlines++] = r->ratios[q];
    }
    if (all->pass < r->pass)
        all->pass = r->pass;
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
    lines_acc acc = {.all = res};
    kp_item *w = xmalloc((2 * KP_CHUNK + 3) * sizeof *w);
    int start = 0, first = 1;
    while (start < n) {
        kp_result r;
        int len = n - start, last = len <= 2 * KP_CHUNK;
        if (!last) {
            len = 2 * KP_CHUNK;
            memcpy(w, items + start, (size_t)len * sizeof *w);
            w[len] = para_item(KP_PENALTY, 0, 0, 0, KP_INF, 0);
            w[len + 1] = para_item(KP_GLUE, 0, FILL_STRETCH, 0, 0, 0);
            w[len + 2] = para_item(KP_PENALTY, 0, 0, 0, -KP_INF, 0);
        }
        if (kp_break(last ? items + start : w, last ? len : len + 3, first ? widths : widths + 1, first ? 2 : 1, prm,
                     &r) < 0) {
            free(w);
            kp_result_free(res);
            return -1;
        }
        if (last) {
            append_lines(&acc, &r, r.nlines, start);
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
        append_lines(&acc, &r, keep, start);
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


/* Joins the spans into T, with the byte -> span map; a hard break is a
 * newline of its own span. */
static void join_text(builder *b)
{
    size_t total = 0;
    for (int i = 0; i < b->nsp; i++)
        total += b->sp[i].hard_break ? 1 : b->sp[i].len;
    b->span_at = xmalloc((total + 1) * sizeof *b->span_at);
    b->span_start = xmalloc(((size_t)b->nsp + 1) * sizeof *b->span_start);
    for (int i = 0; i < b->nsp; i++) {
        b->span_start[i] = b->T.len;
        size_t before = b->T.len;
        if (b->sp[i].hard_break)
            buf_putc(&b->T, '\n');
        else
            buf_add(&b->T, b->sp[i].text, b->sp[i].len);
        for (size_t k = before; k < b->T.len; k++)
            b->span_at[k] = i;
    }
    if (!b->T.data)
        buf_reserve(&b->T, 1);
    para_scrub(b->T.data, b->T.len);
}

/* The breaker's settings: TeX's for justified text; ragged text (its
 * stretch is only a preference) takes any line that fits, in one pass. */
static void breaker_params(const para_opts *o, kp_params *prm)
{
    kp_default_params(prm, o->measure);
    if (o->align != ALIGN_JUSTIFY) {
        prm->pretolerance = -1;
        prm->tolerance = 10000;
        prm->emergency_stretch = 0;
    }
}

/* A paragraph whose natural width fits its first line (headings, list
 * items, code lines, table-of-contents entries) is one line: no need for
 * the breaker, nor for a forced break inside it. */
static int fits_one_line(const builder *b, double width)
{
    double natural = 0;
    for (size_t k = 0; k + 1 < b->n; k++) {
        const kp_item *it = &b->items[k];
        if (it->type == KP_BOX || (it->type == KP_GLUE && it->stretch < KP_FILL))
            natural += it->width;
        else if (it->type == KP_PENALTY && it->penalty <= -KP_INF)
            return 0;
    }
    return natural <= width;
}

/* The breaks of b's items into *res (free with kp_result_free). Returns
 * 0, or -1 if kp refused the items (then res holds nothing). */
static int find_breaks(const builder *b, kp_result *res)
{
    const para_opts *o = b->o;
    double widths[2] = {o->measure - o->first_indent, o->measure};
    memset(res, 0, sizeof *res);
    if (fits_one_line(b, widths[0])) {
        res->nlines = 1;
        res->breaks = xmalloc(sizeof *res->breaks);
        res->ratios = xmalloc(sizeof *res->ratios);
        res->breaks[0] = (int)b->n - 1;
        res->ratios[0] = 0;
        res->pass = 1;
        return 0;
    }
    kp_params prm;
    breaker_params(o, &prm);
    return break_items(b->items, (int)b->n, widths, &prm, res);
}

static void builder_free(builder *b)
{
    for (size_t s = 0; s < b->nsegs; s++)
        if (b->segs[s].owned)
            shaped_free(&b->segs[s].sh);
    free(b->segs);
    free(b->items);
    free(b->pieces);
    free(b->span_at);
    free(b->span_start);
    buf_free(&b->T);
    arena_free(&b->tmp);
}

int para_break(para_ctx *c, const span *sp, int nsp, const para_opts *o, pline **out)
{
    builder b = {.c = c, .o = o, .sp = sp, .nsp = nsp};
    join_text(&b);
    char *brks = xmalloc(b.T.len + 1);
    para_linebreaks(b.T.data, b.T.len, o->lang, brks);
    warn_rtl(&b, b.T.data, b.T.len);
    para_items(&b, brks);
    free(brks);

    kp_result res;
    int nlines = 0;
    pline *lines = NULL;
    if (find_breaks(&b, &res) == 0) {
        nlines = res.nlines;
        lines = para_lines(&b, &res);
        kp_result_free(&res);
    }
    builder_free(&b);
    *out = lines;
    return nlines;
}
