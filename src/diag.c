/* diag — see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void add(diag *d, diag_level level, const char *file, int line, int col,
                const char *fmt, va_list ap)
{
    if (level == DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->n >= DIAG_MAX)
        return;
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    GROW(d->v, d->cap, d->n + 1);
    diag_entry *e = &d->v[d->n++];
    e->level = level;
    e->file = file ? xstrdup(file) : NULL;
    e->line = line;
    e->col = col;
    e->msg = xstrdup(msg);
}

void diag_error(diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, DIAG_ERROR, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_warning(diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, DIAG_WARNING, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_print(const diag *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++) {
        const diag_entry *e = &d->v[i];
        const char *kind = e->level == DIAG_ERROR ? "error" : "warning";
        if (e->file && e->line > 0)
            fprintf(f, "%s:%d:%d: %s: %s\n", e->file, e->line, e->col > 0 ? e->col : 1,
                    kind, e->msg);
        else if (e->file)
            fprintf(f, "%s: %s: %s\n", e->file, kind, e->msg);
        else
            fprintf(f, "goodiebag: %s: %s\n", kind, e->msg);
    }
    int total = d->errors + d->warnings;
    if ((size_t)total > d->n)
        fprintf(f, "goodiebag: note: %d more diagnostics not shown\n", total - (int)d->n);
}

int diag_has(const diag *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].msg, needle))
            return 1;
    return 0;
}

void diag_merge(diag *d, const diag *src)
{
    int stored_errors = 0, stored_warnings = 0;
    for (size_t i = 0; i < src->n; i++) {
        const diag_entry *e = &src->v[i];
        if (e->level == DIAG_ERROR) {
            diag_error(d, e->file, e->line, e->col, "%s", e->msg);
            stored_errors++;
        } else {
            diag_warning(d, e->file, e->line, e->col, "%s", e->msg);
            stored_warnings++;
        }
    }
    /* what src counted but did not keep */
    d->errors += src->errors - stored_errors;
    d->warnings += src->warnings - stored_warnings;
}

void diag_free(diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    memset(d, 0, sizeof *d);
}
