/* input — reading a text file of the book (a chapter, book.yaml,
 * style.yaml): checks its characters, normalises it, and maps positions in
 * what the program reads back to the original file.
 *
 * What is done with each kind of character (the decision, one place):
 *   - bytes that are not UTF-8 (stray or truncated sequences, overlong
 *     forms, encoded surrogates, values past U+10FFFF) and NUL: a located
 *     error naming the bytes; the file is not used (a file in another
 *     encoding or a binary file would only give pages of garbage);
 *   - control characters other than tab, line feed and carriage return (C0,
 *     DEL, C1) and noncharacters (U+FFFE, U+FFFF, U+nFFFE, U+nFFFF,
 *     U+FDD0..U+FDEF): not text, and not allowed in XML or by cairo; each
 *     becomes U+FFFD, the replacement mark the reader sees, with one located
 *     warning per file (the first place, and how many more);
 *   - form feed (U+000C, a page break in old text files): a space;
 *   - a byte order mark at the start: dropped;
 *   - with INPUT_NFC, the text is put in Unicode normalisation form C
 *     (utf8proc), so that a heading typed with combining marks (e + U+0308)
 *     gets the same id, hyphenation and glyphs as the precomposed one (ë).
 *     YAML files are not: their values are normalised one by one, except
 *     file names (meta.c), which must keep the bytes the file system has.
 * A file that is already valid NFC text passes through byte for byte.
 *
 * Lines end at LF, CR or CRLF (as for cmark and libyaml); with INPUT_YAML
 * also at U+2028 and U+2029, as libyaml counts them. Columns are counted in
 * characters of the original file, from 1.
 */
#ifndef GB_INPUT_H
#define GB_INPUT_H

#include <stddef.h>

#include "base/diag.h"

#define INPUT_NFC 1  /* normalise to NFC (changes byte offsets: use input_col) */
#define INPUT_YAML 2 /* U+2028 and U+2029 end lines */

typedef struct input_change {
    size_t at, len; /* a stretch of data that differs in length from the original */
    long cum;       /* original minus new characters, this and earlier stretches */
} input_change;

typedef struct input {
    char *data;     /* what the program reads, NUL-terminated (owned) */
    size_t len;
    int lines;      /* number of lines */
    unsigned flags;
    input_change *chg; /* in order of `at` */
    size_t nchg, capchg;
    size_t *line_at;   /* offset in data of lines 1, 1 + INPUT_INDEX_STEP, ... */
    size_t nline_at, capline_at;
    /* the last input_col question, so that questions in reading order
     * cost time in proportion to the text, not to the text per question */
    int q_line;
    size_t q_start, q_target, q_chars;
} input;

/* Checks `len` bytes of file `file` (the name for messages) and fills *in.
 * Returns 0 (warnings may have been reported), or -1 after reporting an
 * error to d; *in is then empty. Free with input_free in both cases. */
int input_read(input *in, const char *bytes, size_t len, const char *file, unsigned flags, diag *d);

/* The column in the original file (characters, from 1) of byte column
 * `bytecol` (from 1, as cmark counts) of line `line` of in->data. Not
 * thread-safe: it remembers the question. */
int input_col(input *in, int line, int bytecol);

/* Checks a string that does not come straight from a file (a YAML value
 * written with escapes, "\e" or "\uFFFE"; text from a character
 * reference): controls and noncharacters become U+FFFD, bytes that are not
 * UTF-8 too; with nfc, NFC. Returns a new string (caller frees) and stores
 * its length in *outlen; *replaced = the first code point replaced, or 0;
 * *nul = 1 if s contains U+0000. */
char *input_clean_value(const char *s, size_t len, int nfc, size_t *outlen, unsigned *replaced, int *nul);

/* Returns the first code point of s[0..len) that is not text (a control
 * other than tab, LF, CR; a noncharacter; form feed; U+FFFD for a byte
 * that is not UTF-8), or -1 if there is none: text that Markdown character
 * references (&#xFFFF;) produce needs this check again. */
long input_first_bad(const char *s, size_t len);

/* Releases what *in owns. */
void input_free(input *in);

#endif
