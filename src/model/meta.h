/* meta — the book's metadata file (book.yaml), read with libyaml.
 *
 * Keys: name, title, subtitle, author (a string or a list), publisher, lang,
 * date, identifier, description, cover, chapters (a list of file names, or of
 * maps {file, label, theme}). Required: name, title, author, publisher, lang,
 * date. Every problem is reported to diag at book.yaml:line:col; unknown keys
 * are errors with a "did you mean" hint.
 */
#ifndef GB_META_H
#define GB_META_H

#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"

/* At most this many chapters (a limit that protects the machine; README). */
#define META_MAX_CHAPTERS 10000

typedef struct chapter_spec {
    const char *file;  /* as written, relative to the book folder */
    const char *label; /* chapter number or label shown before the title, or NULL */
    int theme;         /* 1-based theme (accent colour) index, 0 = none */
    int line, col;     /* where it is named in book.yaml */
} chapter_spec;

typedef struct meta {
    const char *name, *title, *subtitle, *publisher, *lang, *date, *identifier;
    const char *description, *cover;
    const char **authors;
    int nauthors;
    chapter_spec *chapters;
    int nchapters;
    int has_chapters; /* the key was given */
    int cover_line, cover_col;
    /* where the texts shown on the title page and in the running feet are
     * given (messages about their characters); 0 = not given */
    int title_line, subtitle_line, author_line, publisher_line;
} meta;

/* Parses `len` bytes of YAML named `file` (for messages) into *m. Strings
 * are allocated in arena `a`. Returns 0 on success, -1 when an error was
 * reported to d (the fields that could be read are still set). */
int meta_parse(const char *text, size_t len, const char *file, meta *m, arena *a, diag *d);

/* Returns 1 if s is a well-formed BCP 47 language tag (simplified check:
 * 2-3 letter primary subtag, then 1-8 alphanumeric subtags). */
int meta_lang_ok(const char *s);

/* Returns 1 if s is a date "YYYY", "YYYY-MM" or "YYYY-MM-DD" with valid
 * month and day; stores the Unix time of its first second (UTC) in *t. */
int meta_date_ok(const char *s, long long *t);

#endif
