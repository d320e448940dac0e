/* diag — errors and warnings with their source position.
 *
 * Library code records diagnostics here and never prints; the command line
 * prints them (diag_print) as "file:line:col: error: message", like a
 * compiler, one line each: control characters, bytes that are not UTF-8,
 * line separators and bidirectional overrides in names and messages are
 * written as escapes (\n, \x1B, \u202E), and a file name that needs them
 * is written in double quotes ("a\nb.md"). A diag keeps at most DIAG_MAX
 * entries (later ones are counted, not stored) so that a pathological input
 * cannot exhaust memory.
 */
#ifndef GB_DIAG_H
#define GB_DIAG_H

#include <stdio.h>

#define DIAG_MAX 200

typedef enum { DIAG_ERROR, DIAG_WARNING } diag_level;

typedef struct diag_entry {
    diag_level level;
    char *file; /* NULL when the message is not about a file */
    int line, col; /* 0 when unknown */
    char *msg;
} diag_entry;

typedef struct diag {
    diag_entry *v;
    size_t n, cap;
    int errors, warnings; /* counts, including entries not stored */
} diag;

/* Records an error or a warning; file may be NULL, line/col 0. */
void diag_error(diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_warning(diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Prints every stored entry to f, in the order recorded. */
void diag_print(const diag *d, FILE *f);

/* Returns 1 if some entry's message contains `needle` (for tests). */
int diag_has(const diag *d, const char *needle);

/* Appends the entries and counts of src to d (in src's order). */
void diag_merge(diag *d, const diag *src);

/* Releases the entries (not d itself). */
void diag_free(diag *d);

#endif
