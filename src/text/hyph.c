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

#include "base/utf8.h"
#include "base/util.h"

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

static int is_upper_cp(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
           cp == 0x132;
}

static int is_lower_cp(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) ||
           cp == 0x133;
}

static uint32_t lower_cp(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
        return cp + 0x20;
    return cp;
}

static int is_digit_cp(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || cp == 0xB2 || cp == 0xB3 || cp == 0xB9;
}

static int is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

char hyph_diaeresis_base(uint32_t cp)
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

/* Copies s[0..n) (dictionary encoding) as UTF-8 into out[16]; returns the
 * number of characters, or -1 when it does not fit or is not valid. */
static int dict_text_to_utf8(const char *s, size_t n, int utf8, char out[16])
{
    size_t o = 0;
    int chars = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k;
        if (utf8) {
            cp = utf8_decode(s + i, n - i, &k);
            if (cp == 0xFFFD && k == 1)
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

static const char *const BAD_ENCODING =
    "unsupported hyphenation dictionary encoding (first line must be ISO8859-1 or UTF-8)";
static const char *const CANNOT_READ = "cannot read the hyphenation dictionary";

/* Reads the whole dictionary once for its encoding (first line) and for
 * whether it has its own compound level. Returns NULL, or why the file
 * cannot be used. */
static const char *scan_dict(FILE *f, int *utf8, int *nextlevel)
{
    char line[64];
    if (!fgets(line, sizeof line, f))
        return ferror(f) ? CANNOT_READ : "the hyphenation dictionary is empty";
    if (charset_is(line, "UTF-8"))
        *utf8 = 1;
    else if (charset_is(line, "ISO8859-1") || charset_is(line, "ISO-8859-1"))
        *utf8 = 0;
    else
        return BAD_ENCODING;
    int at_line_start = strchr(line, '\n') != NULL;
    char chunk[256];
    *nextlevel = 0;
    while (fgets(chunk, sizeof chunk, f)) {
        if (at_line_start && strncmp(chunk, "NEXTLEVEL", 9) == 0)
            *nextlevel = 1;
        at_line_start = strchr(chunk, '\n') != NULL;
    }
    return ferror(f) ? CANNOT_READ : NULL;
}

/* Without NEXTLEVEL, libhyphen puts an invented first level on top of
 * the file's patterns that cuts words at apostrophes and hyphens and
 * then hyphenates the pieces with a compound hyphenmin of 3 unless the
 * file names one: "auto's" would lose au-to because "to" has 2 letters.
 * We apply our own minimums to the whole word, so lower that one to 1
 * (the apostrophe itself is still never a break). */
static void lower_compound_min(HyphenDict *d)
{
    HyphenDict *file_level = d->nextlevel;
    if (!file_level)
        return;
    if (!file_level->clhmin && !file_level->lhmin)
        d->clhmin = 1;
    if (!file_level->crhmin && !file_level->rhmin)
        d->crhmin = 1;
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
    int utf8 = 0, nextlevel = 0;
    const char *bad = scan_dict(f, &utf8, &nextlevel);
    if (bad) {
        *why = bad;
        fclose(f);
        return NULL;
    }
    rewind(f);
    HyphenDict *dict = hnj_hyphen_load_file(f);
    int read_error = ferror(f);
    fclose(f);
    if (!dict || read_error || dict->utf8 != utf8) {
        /* libhyphen itself takes only an exact "UTF-8" as UTF-8 */
        *why = dict && !read_error ? BAD_ENCODING : CANNOT_READ;
        if (dict)
            hnj_hyphen_free(dict);
        return NULL;
    }
    if (!nextlevel)
        lower_compound_min(dict);
    hyph *h = xmalloc(sizeof *h);
    h->dict = dict;
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

/* Step 1: a word as characters with their byte offsets. */
typedef struct hword {
    uint32_t cp[WORD_MAX_CHARS];
    int off[WORD_MAX_CHARS + 1]; /* byte offset of each character; off[n] = len */
    int n;
} hword;

/* Step 2: the lookup word in the dictionary's encoding, lowercased. */
typedef struct lookup {
    char s[WORD_MAX_BYTES + 1];
    size_t len;
    uint32_t cp[LOOKUP_MAX_CHARS];  /* lookup characters */
    int src[LOOKUP_MAX_CHARS + 1];  /* original character of each */
    int n;
} lookup;

/* Step 1. Returns 0 for words that get no breaks (see the design note). */
static int decode_word(const char *word, size_t len, hword *w)
{
    int upper = 0, lower = 0, counting_case = 1;
    w->n = 0;
    for (size_t i = 0; i < len;) {
        if (w->n == WORD_MAX_CHARS)
            return 0; /* longer than 100 characters */
        int k;
        uint32_t c = utf8_decode(word + i, len - i, &k);
        if ((c == 0xFFFD && k == 1) || c < 0x20 || (c >= 0x7F && c < 0xA0) || is_digit_cp(c))
            return 0;
        if (counting_case) {
            if (is_upper_cp(c))
                upper++;
            else if (is_lower_cp(c))
                lower++;
            else if (is_apostrophe(c) && upper + lower > 0)
                counting_case = 0; /* ignore the 's of "UBR's" */
        }
        w->cp[w->n] = c;
        w->off[w->n] = (int)i;
        w->n++;
        i += (size_t)k;
    }
    w->off[w->n] = (int)len;
    if (upper >= 2 && lower == 0)
        return 0; /* acronym */
    return w->n >= 2;
}

/* Step 2. Returns 0 when the word cannot be written in a Latin-1
 * dictionary's encoding. */
static int make_lookup(const hyph *h, const hword *w, lookup *lk)
{
    lk->n = 0;
    lk->len = 0;
    for (int i = 0; i < w->n; i++) {
        uint32_t c = w->cp[i];
        if (c == 0x132 || c == 0x133) { /* ĳ ligature: "ij" */
            lk->s[lk->len++] = 'i';
            lk->s[lk->len++] = 'j';
            lk->cp[lk->n] = 'i';
            lk->src[lk->n++] = i;
            lk->cp[lk->n] = 'j';
            lk->src[lk->n++] = i;
            continue;
        }
        if (c == 0x2019)
            c = '\'';
        c = lower_cp(c);
        if (h->utf8) {
            lk->len += (size_t)utf8_encode(c, lk->s + lk->len);
        } else {
            if (c > 0xFF)
                return 0; /* not representable in Latin-1 */
            lk->s[lk->len++] = (char)c;
        }
        lk->cp[lk->n] = c;
        lk->src[lk->n++] = i;
    }
    lk->s[lk->len] = '\0';
    lk->src[lk->n] = w->n;
    return 1;
}

/* libhyphen's results for one lookup word (step 3). */
typedef struct patterns {
    char hyphens[WORD_MAX_BYTES + 8];
    char **rep; /* non-standard breaks: "pre=post" per position, or NULL */
    int *pos, *cut;
} patterns;

/* A non-standard break after lookup character k: lookup characters
 * [st, en) become pat->rep[k]. Fills b and the characters on either side;
 * returns 0 when it cannot be used. */
static int nonstandard_break(const hyph *h, const hword *w, const lookup *lk, const patterns *pat, int k,
                             hyph_break *b, int *chars_before, int *chars_after)
{
    int st = k + 1 - pat->pos[k], en = st + pat->cut[k];
    const char *eq = strchr(pat->rep[k], '=');
    if (!eq || st < 0 || st > k + 1 || en < k + 1 || en > lk->n)
        return 0;
    if ((st > 0 && lk->src[st - 1] == lk->src[st]) ||
        (en < lk->n && lk->src[en - 1] == lk->src[en]))
        return 0; /* would cut the ĳ ligature */
    int npre = dict_text_to_utf8(pat->rep[k], (size_t)(eq - pat->rep[k]), h->utf8, b->pre);
    int npost = dict_text_to_utf8(eq + 1, strlen(eq + 1), h->utf8, b->post);
    if (npre < 0 || npost < 0)
        return 0;
    b->del_before = b->at - w->off[lk->src[st]];
    b->del_after = w->off[lk->src[en]] - b->at;
    *chars_before = lk->src[st] + npre;
    *chars_after = npost + (w->n - lk->src[en]);
    return 1;
}

/* Step 4 for the pattern break after lookup character k: the rules of
 * hyph.h and the mapping back to the original word. Returns whether the
 * break is kept (then *b holds it). */
static int accept_break(const hyph *h, const hword *w, const lookup *lk, const patterns *pat, int k,
                        hyph_break *b)
{
    int ci = lk->src[k + 1]; /* first original character after the break */
    if (ci == lk->src[k])
        return 0; /* inside the ĳ ligature */
    if (h->dutch) {
        if (lk->cp[k] == 'i' && lk->cp[k + 1] == 'j')
            return 0;
        if (lk->cp[k] == '\'' || lk->cp[k + 1] == '\'')
            return 0;
    }
    memset(b, 0, sizeof *b);
    b->at = w->off[ci];
    int chars_before = ci, chars_after = w->n - ci;
    int nonstandard = pat->rep && pat->rep[k];
    if (nonstandard) {
        if (!nonstandard_break(h, w, lk, pat, k, b, &chars_before, &chars_after))
            return 0;
    } else if (h->dutch && hyph_diaeresis_base(w->cp[ci])) {
        b->del_after = w->off[ci + 1] - w->off[ci];
        b->post[0] = hyph_diaeresis_base(w->cp[ci]);
    }
    /* The Dutch diaeresis break (idee-en, zee-en, knie-en) is the
     * spelling rule itself: it may leave two letters, one fewer than
     * the general minimum after a break. */
    int right = h->right;
    if (h->dutch && b->post[0] && !nonstandard && right > 2)
        right = 2;
    return chars_before >= h->left && chars_after >= right;
}

int hyph_word(const hyph *h, const char *word, size_t len, hyph_break *out, int max)
{
    if (!h || !word || !out || max <= 0 || len == 0 || len > WORD_MAX_BYTES)
        return 0;
    hword w;
    lookup lk;
    if (!decode_word(word, len, &w) || !make_lookup(h, &w, &lk))
        return 0;

    patterns pat = {.rep = NULL};
    if (hnj_hyphen_hyphenate3(h->dict, lk.s, (int)lk.len, pat.hyphens, NULL, &pat.rep, &pat.pos, &pat.cut,
                              1, 1, 1, 1) != 0) {
        free_nonstandard(pat.rep, pat.pos, pat.cut, (int)lk.len);
        return 0;
    }
    int count = 0;
    for (int k = 0; k + 1 < lk.n && count < max; k++)
        if ((pat.hyphens[k] & 1) && accept_break(h, &w, &lk, &pat, k, &out[count]))
            count++;
    free_nonstandard(pat.rep, pat.pos, pat.cut, (int)lk.len);
    return count;
}
