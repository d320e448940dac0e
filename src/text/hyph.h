/* hyph — hyphenation points of single words: libhyphen's patterns (Debian's
 * hyph_nl_NL.dic, ISO-8859-1, transcoded here) plus the Dutch spelling rules
 * that the patterns alone do not apply.
 *
 * A word is one run of letters (UTF-8, no spaces or punctuation except an
 * apostrophe inside it, as in "thema's"); the caller cuts words out of text.
 * Rules on top of the patterns (only for Dutch, lang "nl..."):
 *   - at least `left` letters before and `right` letters after a break
 *     (counted in characters, not bytes);
 *   - i|j and the ligature ĳ are never split;
 *   - no break next to an apostrophe ("thema's" is never "thema-'s");
 *   - a diaeresis on the first letter after the break drops
 *     (ideeën -> idee- / en, skiërs -> ski- / ers);
 *   - libhyphen's non-standard breaks (replacements) are honoured.
 * Words with digits, or written entirely in capitals (acronyms), get no breaks.
 */
#ifndef GB_HYPH_H
#define GB_HYPH_H

#include <stddef.h>
#include <stdint.h>

typedef struct hyph hyph;

/* One break opportunity inside a word. When the line breaks here, the line
 * ends with word[0 .. at-del_before) + pre + "-" and the next line starts with
 * post + word[at+del_after ..]. In the common case del_before = del_after = 0
 * and pre, post are empty. The caller draws the hyphen itself. */
typedef struct hyph_break {
    int at;          /* byte offset in the word */
    int del_before;  /* bytes before `at` that the line-end form replaces */
    int del_after;   /* bytes from `at` that the next-line form replaces */
    char pre[16];    /* UTF-8, NUL-terminated */
    char post[16];   /* UTF-8, NUL-terminated (e.g. "e" for a dropped "ë") */
} hyph_break;

/* Loads a libhyphen dictionary for language `lang` (BCP 47, e.g. "nl").
 * Returns NULL when the file cannot be read; then *why (if not NULL) points
 * to a static message. The caller frees the result with hyph_free. */
hyph *hyph_load(const char *dic_path, const char *lang, const char **why);

/* Sets the minimum number of characters before and after a break
 * (defaults 2 and 3). */
void hyph_set_min(hyph *h, int left, int right);

/* Finds the break opportunities of one word (`len` bytes of UTF-8) and writes
 * at most `max` of them, in increasing order of `at`, to `out`.
 * Returns how many were written (0 for words it cannot or must not split,
 * including words longer than 100 characters). Thread-safe: may be called
 * from several threads on the same hyph. */
int hyph_word(const hyph *h, const char *word, size_t len, hyph_break *out, int max);

/* The base letter of a vowel with diaeresis (ä ë ï ö ü, either case),
 * else 0: the letters whose diaeresis the Dutch rule drops after a break.
 * hyph_word uses it for hyph_break.post; the paragraph breaker for the
 * first letter of the next line. */
char hyph_diaeresis_base(uint32_t cp);

/* Releases everything hyph_load allocated; NULL is allowed. */
void hyph_free(hyph *h);

#endif
