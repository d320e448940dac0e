/* hyph.c — break opportunities of single words (see hyph.h).
 *
 * Design note.
 * libhyphen does the pattern work; this file prepares its input and filters
 * its output.  For each word:
 *   1. Decode the UTF-8 strictly into code points with their byte offsets
 *      (invalid UTF-8, control characters, digits and words over 100
 *      characters give 0 breaks; so do all-capital words of 2+ letters, where
 *      letters after an apostrophe are ignored so "UBR's" counts as capitals).
 *   2. Build the lookup word in the dictionary's encoding (ISO-8859-1 or
 *      UTF-8, named on the dictionary's first line), lowercased because the
 *      patterns are lowercase: ĳ/Ĳ become "ij", ’ becomes ', and for a
 *      Latin-1 dictionary anything else beyond U+00FF means "no breaks".
 *      For every lookup character we keep the index of the original
 *      character it came from, so results map back to original byte offsets.
 *   3. Run hnj_hyphen_hyphenate3 with hyphenmin 1/1 (we count the minimums
 *      ourselves, in original characters) and rep/pos/cut so that
 *      non-standard breaks (pattern replacements) come back; they become
 *      del_before/pre/del_after/post.
 *   4. Filter: minimum left/right; for Dutch also no i|j split, no break
 *      inside the ĳ ligature or next to an apostrophe, and a diaeresis
 *      right after the break drops (ideeën -> idee- / en).
 * libhyphen cuts words at apostrophes and hyphens and hyphenates the pieces
 * with a "compound" minimum of 3 that would cost "auto's" its au-to; for a
 * dictionary without its own compound level and minimums hyph_load lowers
 * that to 1, since step 4 counts the minimums over the whole word.
 * Everything per call lives in bounded stack buffers (a word is at most 100
 * characters, so at most 400 bytes), and the dictionary is only read, so
 * hyph_word may run in several threads at once on one hyph.  libhyphen
 * itself still mallocs a few small scratch buffers per call (its own
 * implementation; there is no allocation-free entry point).
 */
#include "text/hyph.h"

#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX_CHARS 100
#define WORD_MAX_BYTES (WORD_MAX_CHARS * 4)
/* A lookup character per original one, two for the ĳ ligature. */
#define LOOKUP_MAX_CHARS (WORD_MAX_CHARS * 2)

struct hyph {
    HyphenDict *dict;
    int left, right;
    int dutch; /* apply the Dutch rules */
    int utf8;  /* dictionary encoding: 1 UTF-8, 0 ISO-8859-1 */
};

/* ---- small character helpers ------------------------------------------ */

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

static int is_upper_cp(unsigned cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
           cp == 0x132;
}

static int is_lower_cp(unsigned cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) ||
           cp == 0x133;
}

static unsigned lower_cp(unsigned cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 0x20;
    return cp;
}

static int is_digit_cp(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || cp == 0xB2 || cp == 0xB3 || cp == 0xB9;
}

static int is_apostrophe(unsigned cp)
{
    return cp == '\'' || cp == 0x2019;
}

/* Base letter of a vowel with diaeresis (ä ë ï ö ü, either case), else 0. */
static char diaeresis_base(unsigned cp)
{
    switch (cp) {
    case 0xE4: return 'a';
    case 0xEB: return 'e';
    case 0xEF: return 'i';
    case 0xF6: return 'o';
    case 0xFC: return 'u';
    case 0xC4: return 'A';
    case 0xCB: return 'E';
    case 0xCF: return 'I';
    case 0xD6: return 'O';
    case 0xDC: return 'U';
    default: return 0;
    }
}

/* Decodes one strictly valid UTF-8 sequence at s[0..n); returns its length
 * (1..4) and stores the code point, or returns 0 for invalid input. */
static int utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0; /* overlong, or a surrogate */
        *cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0; /* overlong, or beyond U+10FFFF */
        *cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
              (s[3] & 0x3Fu);
        return 4;
    }
    return 0;
}

static int utf8_encode(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Copies s[0..n) (dictionary encoding) as UTF-8 into out[16]; returns the
 * number of characters, or -1 when it does not fit or is not valid. */
static int dict_text_to_utf8(const char *s, size_t n, int utf8, char out[16])
{
    size_t o = 0;
    int chars = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        int k;
        if (utf8) {
            k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
            if (k == 0)
                return -1;
        } else {
            cp = (unsigned char)s[i];
            k = 1;
        }
        char tmp[4];
        int m = utf8_encode(cp, tmp);
        if (o + (size_t)m >= 16)
            return -1;
        memcpy(out + o, tmp, (size_t)m);
        o += (size_t)m;
        i += (size_t)k;
        chars++;
    }
    out[o] = '\0';
    return chars;
}

/* ---- loading ----------------------------------------------------------- */

static int charset_is(const char *line, const char *name)
{
    size_t i = 0;
    for (; name[i]; i++)
        if (ascii_lower((unsigned char)line[i]) != ascii_lower((unsigned char)name[i]))
            return 0;
    /* the rest of the line may only be white space */
    for (; line[i]; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '\n')
            return 0;
    return 1;
}

static int lang_is_dutch(const char *lang)
{
    if (!lang || ascii_lower((unsigned char)lang[0]) != 'n' ||
        ascii_lower((unsigned char)lang[1]) != 'l')
        return 0;
    return lang[2] == '\0' || lang[2] == '-' || lang[2] == '_';
}

hyph *hyph_load(const char *dic_path, const char *lang, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!dic_path) {
        *why = "no dictionary path given";
        return NULL;
    }
    FILE *f = fopen(dic_path, "r");
    if (!f) {
        *why = "cannot open the hyphenation dictionary";
        return NULL;
    }
    char line[64];
    if (!fgets(line, sizeof line, f)) {
        *why = ferror(f) ? "cannot read the hyphenation dictionary"
                         : "the hyphenation dictionary is empty";
        fclose(f);
        return NULL;
    }
    int utf8;
    if (charset_is(line, "UTF-8"))
        utf8 = 1;
    else if (charset_is(line, "ISO8859-1") || charset_is(line, "ISO-8859-1"))
        utf8 = 0;
    else {
        *why = "unsupported hyphenation dictionary encoding "
               "(first line must be ISO8859-1 or UTF-8)";
        fclose(f);
        return NULL;
    }
    /* Does the file have its own compound level?  (See below.) */
    int nextlevel = 0, at_line_start = strchr(line, '\n') != NULL;
    char buf[256];
    while (fgets(buf, sizeof buf, f)) {
        if (at_line_start && strncmp(buf, "NEXTLEVEL", 9) == 0)
            nextlevel = 1;
        at_line_start = strchr(buf, '\n') != NULL;
    }
    if (ferror(f)) {
        *why = "cannot read the hyphenation dictionary";
        fclose(f);
        return NULL;
    }
    rewind(f);
    hyph *h = malloc(sizeof *h);
    if (!h) {
        *why = "out of memory";
        fclose(f);
        return NULL;
    }
    h->dict = hnj_hyphen_load_file(f);
    int read_error = ferror(f);
    fclose(f);
    if (!h->dict || read_error || h->dict->utf8 != utf8) {
        /* libhyphen itself takes only an exact "UTF-8" as UTF-8 */
        *why = h->dict && !read_error
                   ? "unsupported hyphenation dictionary encoding "
                     "(first line must be ISO8859-1 or UTF-8)"
                   : "cannot read the hyphenation dictionary";
        if (h->dict)
            hnj_hyphen_free(h->dict);
        free(h);
        return NULL;
    }
    /* Without NEXTLEVEL, libhyphen puts an invented first level on top of
     * the file's patterns that cuts words at apostrophes and hyphens and
     * then hyphenates the pieces with a compound hyphenmin of 3 unless the
     * file names one: "auto's" would lose au-to because "to" has 2 letters.
     * We apply our own minimums to the whole word, so lower that one to 1
     * (the apostrophe itself is still never a break). */
    HyphenDict *file_level = h->dict->nextlevel;
    if (!nextlevel && file_level) {
        if (!file_level->clhmin && !file_level->lhmin)
            h->dict->clhmin = 1;
        if (!file_level->crhmin && !file_level->rhmin)
            h->dict->crhmin = 1;
    }
    h->left = 2;
    h->right = 3;
    h->dutch = lang_is_dutch(lang);
    h->utf8 = utf8;
    return h;
}

void hyph_set_min(hyph *h, int left, int right)
{
    if (!h)
        return;
    h->left = left < 1 ? 1 : left;
    h->right = right < 1 ? 1 : right;
}

void hyph_free(hyph *h)
{
    if (!h)
        return;
    hnj_hyphen_free(h->dict);
    free(h);
}

/* ---- hyphenating ------------------------------------------------------- */

static void free_nonstandard(char **rep, int *pos, int *cut, int n)
{
    if (rep)
        for (int i = 0; i < n; i++)
            free(rep[i]);
    free(rep);
    free(pos);
    free(cut);
}

int hyph_word(const hyph *h, const char *word, size_t len, hyph_break *out, int max)
{
    if (!h || !word || !out || max <= 0 || len == 0 || len > WORD_MAX_BYTES)
        return 0;

    /* 1. decode */
    unsigned cp[WORD_MAX_CHARS];
    int off[WORD_MAX_CHARS + 1]; /* byte offset of each character; off[n] = len */
    int n = 0, upper = 0, lower = 0, counting_case = 1;
    const unsigned char *s = (const unsigned char *)word;
    for (size_t i = 0; i < len;) {
        if (n == WORD_MAX_CHARS)
            return 0; /* longer than 100 characters */
        unsigned c;
        int k = utf8_decode(s + i, len - i, &c);
        if (k == 0 || c < 0x20 || (c >= 0x7F && c < 0xA0) || is_digit_cp(c))
            return 0;
        if (counting_case) {
            if (is_upper_cp(c))
                upper++;
            else if (is_lower_cp(c))
                lower++;
            else if (is_apostrophe(c) && upper + lower > 0)
                counting_case = 0; /* ignore the 's of "UBR's" */
        }
        cp[n] = c;
        off[n] = (int)i;
        n++;
        i += (size_t)k;
    }
    off[n] = (int)len;
    if (upper >= 2 && lower == 0)
        return 0; /* acronym */
    if (n < 2)
        return 0;

    /* 2. lookup word in the dictionary's encoding, lowercased */
    char lk[WORD_MAX_BYTES + 1];
    unsigned lcp[LOOKUP_MAX_CHARS];   /* lookup characters */
    int lsrc[LOOKUP_MAX_CHARS + 1];   /* original character of each */
    int nl = 0;
    size_t lb = 0;
    for (int i = 0; i < n; i++) {
        unsigned c = cp[i];
        if (c == 0x132 || c == 0x133) { /* ĳ ligature: "ij" */
            lk[lb++] = 'i';
            lk[lb++] = 'j';
            lcp[nl] = 'i';
            lsrc[nl++] = i;
            lcp[nl] = 'j';
            lsrc[nl++] = i;
            continue;
        }
        if (c == 0x2019)
            c = '\'';
        c = lower_cp(c);
        if (h->utf8) {
            lb += (size_t)utf8_encode(c, lk + lb);
        } else {
            if (c > 0xFF)
                return 0; /* not representable in Latin-1 */
            lk[lb++] = (char)c;
        }
        lcp[nl] = c;
        lsrc[nl++] = i;
    }
    lk[lb] = '\0';
    lsrc[nl] = n;

    /* 3. patterns */
    char hyphens[WORD_MAX_BYTES + 8];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    if (hnj_hyphen_hyphenate3(h->dict, lk, (int)lb, hyphens, NULL, &rep, &pos, &cut,
                              1, 1, 1, 1) != 0) {
        free_nonstandard(rep, pos, cut, (int)lb);
        return 0;
    }

    /* 4. filter and map back */
    int count = 0;
    for (int k = 0; k + 1 < nl && count < max; k++) {
        if (!(hyphens[k] & 1))
            continue;
        int ci = lsrc[k + 1]; /* first original character after the break */
        if (ci == lsrc[k])
            continue; /* inside the ĳ ligature */
        if (h->dutch) {
            if (lcp[k] == 'i' && lcp[k + 1] == 'j')
                continue;
            if (lcp[k] == '\'' || lcp[k + 1] == '\'')
                continue;
        }
        hyph_break b;
        memset(&b, 0, sizeof b);
        b.at = off[ci];
        int chars_before = ci, chars_after = n - ci;

        if (rep && rep[k]) {
            /* non-standard: lookup characters [st, en) become rep, which
             * holds "pre=post" */
            int st = k + 1 - pos[k], en = st + cut[k];
            const char *eq = strchr(rep[k], '=');
            if (!eq || st < 0 || st > k + 1 || en < k + 1 || en > nl)
                continue;
            if ((st > 0 && lsrc[st - 1] == lsrc[st]) ||
                (en < nl && lsrc[en - 1] == lsrc[en]))
                continue; /* would cut the ĳ ligature */
            int npre = dict_text_to_utf8(rep[k], (size_t)(eq - rep[k]), h->utf8, b.pre);
            int npost = dict_text_to_utf8(eq + 1, strlen(eq + 1), h->utf8, b.post);
            if (npre < 0 || npost < 0)
                continue;
            b.del_before = b.at - off[lsrc[st]];
            b.del_after = off[lsrc[en]] - b.at;
            chars_before = lsrc[st] + npre;
            chars_after = npost + (n - lsrc[en]);
        } else if (h->dutch && diaeresis_base(cp[ci])) {
            b.del_after = off[ci + 1] - off[ci];
            b.post[0] = diaeresis_base(cp[ci]);
        }
        /* The Dutch diaeresis break (idee-en, zee-en, knie-en) is the
         * spelling rule itself: it may leave two letters, one fewer than
         * the general minimum after a break. */
        int right = h->right;
        if (h->dutch && b.post[0] && !(rep && rep[k]) && right > 2)
            right = 2;
        if (chars_before < h->left || chars_after < right)
            continue;
        out[count++] = b;
    }
    free_nonstandard(rep, pos, cut, (int)lb);
    return count;
}
