/* input — see input.h. One pass over the bytes: ASCII is copied as it is
 * (in runs, without looking further); a run of non-ASCII characters is
 * normalised together with the ASCII character before it, the only
 * character it can combine with. This is exact: NFC never combines across
 * an ASCII character (ASCII is a starter that is never the second half of
 * a composition), so the text is normalised in small independent pieces,
 * never across a line end, and each piece that changes its number of
 * characters is recorded for input_col. Rejected: normalising the whole
 * file with one utf8proc call (no way back to original columns, and a copy
 * of every file even when nothing changes). */
#include "base/input.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/util.h"
#include "base/utf8.h"

#define INPUT_INDEX_STEP 64
#define INPUT_MAX_CHANGES (1u << 16) /* then changes on one line are merged */

/* Decodes one UTF-8 sequence at s (n > 0 bytes left). Returns its length
 * and stores the code point, or returns 0 and describes the problem in
 * why[] (and the number of bytes shown in *shown). */
static int decode(const unsigned char *s, size_t n, uint32_t *cp, char *why, size_t whylen, int *shown)
{
    unsigned char c = s[0];
    int need;
    uint32_t v, min;
    *shown = 1;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC0 && c <= 0xDF)
        need = 1, v = c & 0x1Fu, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, v = c & 0x0Fu, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF7)
        need = 3, v = c & 0x07u, min = 0x10000;
    else {
        snprintf(why, whylen, "%s", c < 0xC0 ? "is a continuation byte without a lead byte"
                                              : "never occurs in UTF-8");
        return 0;
    }
    for (int i = 1; i <= need; i++) {
        if ((size_t)i >= n || (s[i] & 0xC0) != 0x80) {
            *shown = i;
            snprintf(why, whylen, "%s", i == 1 ? "starts a sequence that does not continue"
                                               : "are a sequence cut short");
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    *shown = need + 1;
    if (v < min)
        snprintf(why, whylen, "are an overlong form of U+%04X", (unsigned)v);
    else if (v >= 0xD800 && v <= 0xDFFF)
        snprintf(why, whylen, "are an encoded surrogate (U+%04X), not a character", (unsigned)v);
    else if (v > 0x10FFFF)
        snprintf(why, whylen, "%s", "are a value past U+10FFFF");
    else {
        *cp = v;
        return need + 1;
    }
    return 0;
}

/* 1 if c is not text: a control character other than tab, LF, CR and form
 * feed, or a noncharacter. */
static int not_text(uint32_t c)
{
    if (c < 0x20)
        return c != '\t' && c != '\n' && c != '\r' && c != '\f';
    return (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

static const char *kind_of(uint32_t c)
{
    return c < 0xA0 ? "a control character" : "a noncharacter";
}

static size_t count_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

typedef struct scanner {
    input *in;
    const char *s;
    buf out;
    size_t copied;  /* s[0..copied) is in out */
    long cum;
    uint32_t first; /* the first character replaced, and where */
    int first_line, first_col;
    size_t nreplaced;
    int chg_line;   /* the line of the last change */
} scanner;

static void copy_to(scanner *sc, size_t upto)
{
    if (upto > sc->copied)
        buf_add(&sc->out, sc->s + sc->copied, upto - sc->copied);
    sc->copied = upto;
}

/* Normalises s[from..to) (a piece that starts at a boundary). */
static void normalise(scanner *sc, size_t from, size_t to, int line)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)sc->s + from, (utf8proc_ssize_t)(to - from),
                                      &dst, (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (r < 0 || ((size_t)r == to - from && !memcmp(dst, sc->s + from, to - from))) {
        free(dst);
        return; /* already NFC: stays to be copied as it is */
    }
    copy_to(sc, from);
    size_t at = sc->out.len;
    buf_add(&sc->out, dst, (size_t)r);
    sc->copied = to;
    long delta = (long)count_chars(sc->s + from, to - from) - (long)count_chars((const char *)dst, (size_t)r);
    free(dst);
    if (delta) {
        input *in = sc->in;
        sc->cum += delta;
        input_change *last = in->nchg ? &in->chg[in->nchg - 1] : NULL;
        /* one stretch for pieces that touch, or, past the limit, for all
         * of a line's: memory stays bounded; columns inside a stretch
         * become its start. Never across a line end. */
        if (last && sc->chg_line == line && (last->at + last->len == at || in->nchg >= INPUT_MAX_CHANGES)) {
            last->len = at + (size_t)r - last->at;
            last->cum = sc->cum;
            return;
        }
        GROW(in->chg, in->capchg, in->nchg + 1);
        in->chg[in->nchg++] = (input_change){at, (size_t)r, sc->cum};
        sc->chg_line = line;
    }
}

/* Replaces the n bytes of character cp at s[i] with U+FFFD: one character
 * for one, so columns are unchanged. */
static void replace(scanner *sc, size_t i, size_t n, uint32_t cp, int line, int col)
{
    copy_to(sc, i);
    buf_puts(&sc->out, "\xEF\xBF\xBD");
    sc->copied = i + n;
    if (!sc->nreplaced++)
        sc->first = cp, sc->first_line = line, sc->first_col = col;
}

static void index_line(scanner *sc, int line, size_t i)
{
    input *in = sc->in;
    if ((line - 1) % INPUT_INDEX_STEP)
        return;
    GROW(in->line_at, in->capline_at, in->nline_at + 1);
    in->line_at[in->nline_at++] = sc->out.len + (i - sc->copied);
}

/* Where the scan stands: the byte, its line and column, and the piece of
 * text that will be normalised together (it starts at seg; seg_nfc: it has
 * a character NFC may change). */
typedef struct cursor {
    const unsigned char *s;
    size_t len, i;
    int line, col;
    size_t seg;
    int seg_nfc;
    unsigned flags;
    const char *file;
    diag *d;
} cursor;

/* Normalises the piece that ends here and starts a new one at the cursor. */
static void end_piece(scanner *sc, cursor *cu)
{
    if (cu->seg_nfc)
        normalise(sc, cu->seg, cu->i, cu->line);
    cu->seg = cu->i, cu->seg_nfc = 0;
}

/* Steps over a line end of n bytes. */
static void next_line(scanner *sc, cursor *cu, size_t n)
{
    cu->i += n;
    cu->line++, cu->col = 1;
    index_line(sc, cu->line, cu->i);
    cu->seg = cu->i, cu->seg_nfc = 0;
}

/* One ASCII byte c at the cursor. Returns 0, or -1 after reporting. */
static int scan_ascii(scanner *sc, cursor *cu, unsigned char c)
{
    end_piece(sc, cu);
    if (c == '\n' || c == '\r') {
        next_line(sc, cu, (c == '\r' && cu->i + 1 < cu->len && cu->s[cu->i + 1] == '\n') ? 2 : 1);
        return 0;
    }
    if (c == 0) {
        diag_error(cu->d, cu->file, cu->line, cu->col,
                   "the file contains a NUL byte (U+0000, byte offset %zu): it is not UTF-8 text; is it a "
                   "binary file?", cu->i);
        return -1;
    }
    if (c == '\f') {
        copy_to(sc, cu->i);
        buf_putc(&sc->out, ' ');
        sc->copied = cu->i + 1;
    } else if (not_text(c)) {
        replace(sc, cu->i, 1, c, cu->line, cu->col);
        cu->seg = cu->i + 1;
    }
    cu->i++, cu->col++;
    return 0;
}

/* One character of more than one byte at the cursor. Returns 0, or -1
 * after reporting bytes that are not UTF-8. */
static int scan_multibyte(scanner *sc, cursor *cu)
{
    const unsigned char *s = cu->s;
    size_t i = cu->i;
    uint32_t cp;
    char why[100];
    int shown, n = decode(s + i, cu->len - i, &cp, why, sizeof why, &shown);
    if (!n) {
        char hex[20] = "";
        for (int k = 0; k < shown; k++)
            snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%s0x%02X", k ? " " : "", s[i + (size_t)k]);
        diag_error(cu->d, cu->file, cu->line, cu->col,
                   "the file is not valid UTF-8: %s %s (byte offset %zu) %s; save it as UTF-8",
                   shown > 1 ? "the bytes" : "the byte", hex, i, why);
        return -1;
    }
    if ((cu->flags & INPUT_YAML) && (cp == 0x2028 || cp == 0x2029)) {
        end_piece(sc, cu);
        next_line(sc, cu, (size_t)n);
        return 0;
    }
    if (not_text(cp)) {
        end_piece(sc, cu);
        replace(sc, i, (size_t)n, cp, cu->line, cu->col);
        cu->i += (size_t)n, cu->col++;
        cu->seg = cu->i;
        return 0;
    }
    if (cp >= 0x300)
        cu->seg_nfc = (cu->flags & INPUT_NFC) != 0;
    cu->i += (size_t)n, cu->col++;
    return 0;
}

/* One warning for all the characters replaced in a file, at the first. */
static void report_replaced(const scanner *sc, const char *file, diag *d)
{
    if (!sc->nreplaced)
        return;
    char more[100] = "";
    if (sc->nreplaced > 1)
        snprintf(more, sizeof more, "; %zu more such characters in this file are replaced too", sc->nreplaced - 1);
    diag_warning(d, file, sc->first_line, sc->first_col,
                 "U+%04X is %s, not text: readers see U+FFFD (a replacement mark) in its place%s",
                 (unsigned)sc->first, kind_of(sc->first), more);
}

int input_read(input *in, const char *bytes, size_t len, const char *file, unsigned flags, diag *d)
{
    memset(in, 0, sizeof *in);
    in->flags = flags;
    scanner sc = {.in = in, .s = bytes};
    cursor cu = {.s = (const unsigned char *)bytes, .len = len, .line = 1, .col = 1, .flags = flags, .file = file,
                 .d = d};
    if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
        cu.i = 3; /* a byte order mark: dropped */
    sc.copied = cu.seg = cu.i;
    index_line(&sc, 1, cu.i);
    while (cu.i < len) {
        unsigned char c = cu.s[cu.i];
        if ((c < 0x80 ? scan_ascii(&sc, &cu, c) : scan_multibyte(&sc, &cu)) < 0) {
            buf_free(&sc.out);
            input_free(in);
            return -1;
        }
    }
    end_piece(&sc, &cu);
    copy_to(&sc, len);
    report_replaced(&sc, file, d);
    if (!sc.out.data)
        buf_puts(&sc.out, "");
    in->data = buf_detach(&sc.out, &in->len);
    in->lines = cu.line;
    return 0;
}

/* 1 if data[p..] starts a line end; its length in *n. */
static int line_end(const input *in, size_t p, size_t *n)
{
    const char *s = in->data;
    if (s[p] == '\n' || s[p] == '\r') {
        *n = (s[p] == '\r' && s[p + 1] == '\n') ? 2 : 1;
        return 1;
    }
    if ((in->flags & INPUT_YAML) && p + 2 < in->len && !memcmp(s + p, "\xE2\x80", 2) &&
        ((unsigned char)s[p + 2] == 0xA8 || (unsigned char)s[p + 2] == 0xA9)) {
        *n = 3;
        return 1;
    }
    return 0;
}

/* Index of the first change at or after offset `off`. */
static size_t first_change(const input *in, size_t off)
{
    size_t lo = 0, hi = in->nchg;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->chg[mid].at < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int input_col(input *in, int line, int bytecol)
{
    if (!in->data || line < 1 || bytecol < 1)
        return bytecol < 1 ? 1 : bytecol;
    size_t k = (size_t)(line - 1) / INPUT_INDEX_STEP;
    if (k >= in->nline_at)
        return bytecol;
    size_t p = in->line_at[k];
    int skip = (line - 1) % INPUT_INDEX_STEP;
    if (in->q_line && line >= in->q_line && (size_t)(in->q_line - 1) / INPUT_INDEX_STEP == k) {
        p = in->q_start; /* on from the line of the last question */
        skip = line - in->q_line;
    }
    for (; skip > 0; p++) {
        size_t n;
        if (p >= in->len)
            return bytecol;
        if (line_end(in, p, &n)) {
            p += n - 1;
            skip--;
        }
    }
    size_t target = p + (size_t)bytecol - 1;
    if (target > in->len)
        target = in->len;
    size_t i0 = first_change(in, p), i1 = first_change(in, target);
    if (i1 > i0 && in->chg[i1 - 1].at + in->chg[i1 - 1].len > target) {
        i1--; /* inside a normalised piece: its start */
        target = in->chg[i1].at;
    }
    long delta = (i1 ? in->chg[i1 - 1].cum : 0) - (i0 ? in->chg[i0 - 1].cum : 0);
    size_t chars;
    if (in->q_line == line && in->q_start == p && target >= in->q_target)
        chars = in->q_chars + count_chars(in->data + in->q_target, target - in->q_target);
    else
        chars = count_chars(in->data + p, target - p);
    in->q_line = line, in->q_start = p, in->q_target = target, in->q_chars = chars;
    long col = 1 + (long)chars + delta;
    return col < 1 ? 1 : col > 0x7FFFFFFF ? 0x7FFFFFFF : (int)col;
}

char *input_clean_value(const char *s, size_t len, int nfc, size_t *outlen, unsigned *replaced, int *nul)
{
    buf b = {0};
    *replaced = 0;
    *nul = 0;
    size_t plain = 0;
    for (unsigned char c; plain < len && (c = (unsigned char)s[plain], (c >= 0x20 && c < 0x7F) || c == '\t' ||
                                                                   c == '\n' || c == '\r');)
        plain++;
    if (plain == len) { /* printable ASCII: nothing to do */
        *outlen = len;
        return xstrndup(s, len);
    }
    for (size_t i = 0; i < len;) {
        int n;
        uint32_t c = utf8_decode(s + i, len - i, &n);
        if (c == 0)
            *nul = 1;
        if (c == 0xFFFD && n == 1) { /* not UTF-8 (cmark's U+FFFE, U+FFFF) */
            if (!*replaced)
                *replaced = 0xFFFD;
            buf_puts(&b, "\xEF\xBF\xBD");
        } else if (c == '\f') {
            buf_putc(&b, ' ');
        } else if (not_text(c)) {
            if (!*replaced)
                *replaced = c;
            buf_puts(&b, "\xEF\xBF\xBD");
        } else {
            buf_add(&b, s + i, (size_t)n);
        }
        i += (size_t)n;
    }
    if (!b.data)
        buf_puts(&b, "");
    if (!nfc)
        return buf_detach(&b, outlen);
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)b.data, (utf8proc_ssize_t)b.len, &dst,
                                      (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (r < 0) {
        free(dst);
        return buf_detach(&b, outlen);
    }
    buf_free(&b);
    *outlen = (size_t)r;
    return (char *)dst;
}

long input_first_bad(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == '\f' || not_text(c))
                return c;
            i++;
            continue;
        }
        int n;
        uint32_t cp = utf8_decode(s + i, len - i, &n);
        if (cp == 0xFFFD && n == 1) /* cmark 0.30 writes U+FFFE, U+FFFF as the bytes FE, FF */
            return c == 0xFE ? 0xFFFE : c == 0xFF ? 0xFFFF : 0xFFFD;
        if (not_text(cp))
            return (long)cp;
        i += (size_t)n;
    }
    return -1;
}

void input_free(input *in)
{
    free(in->data);
    free(in->chg);
    free(in->line_at);
    memset(in, 0, sizeof *in);
}
