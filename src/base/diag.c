/* diag — see diag.h. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/util.h"

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

/* Reads the character at s (not at its end): returns its length and
 * stores its code point (-1 for a byte that is not UTF-8) in *cp and in
 * *unsafe whether a terminal must not be given it as it is: a control
 * character, a byte that is not UTF-8, a line or paragraph separator, a
 * bidirectional control. */
static int char_at(const char *s, long *cp, int *unsafe)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *cp = u[0];
        *unsafe = u[0] < 0x20 || u[0] == 0x7F;
        return 1;
    }
    int len;
    uint32_t c = utf8_decode(s, strlen(s), &len);
    *cp = c == 0xFFFD && len == 1 ? -1 : (long)c;
    *unsafe = *cp < 0 || c <= 0x9F || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
              (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
    return len;
}

/* Writes s with every unsafe character escaped (\n, \t, \x1B, \u202E), so
 * that a diagnostic is always one line. A name (quote = 1) that needs
 * escapes is written in double quotes, C style. */
static void put_safe(FILE *f, const char *s, int quote)
{
    long cp;
    int unsafe, needs = 0;
    if (quote)
        for (const char *p = s; *p && !needs; p += char_at(p, &cp, &unsafe))
            needs = *p == '"' || *p == '\\' || (char_at(p, &cp, &unsafe), unsafe);
    if (needs)
        fputc('"', f);
    while (*s) {
        int n = char_at(s, &cp, &unsafe);
        if (!unsafe) {
            if (needs && (*s == '"' || *s == '\\'))
                fputc('\\', f);
            fwrite(s, 1, (size_t)n, f);
        } else if (cp == '\n') {
            fputs("\\n", f);
        } else if (cp == '\r') {
            fputs("\\r", f);
        } else if (cp == '\t') {
            fputs("\\t", f);
        } else if (cp < 0) {
            fprintf(f, "\\x%02X", (unsigned char)*s);
        } else if (cp < 0x80) {
            fprintf(f, "\\x%02lX", cp);
        } else {
            fprintf(f, "\\u%04lX", cp);
        }
        s += n;
    }
    if (needs)
        fputc('"', f);
}

void diag_print(const diag *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++) {
        const diag_entry *e = &d->v[i];
        const char *kind = e->level == DIAG_ERROR ? "error" : "warning";
        if (e->file) {
            put_safe(f, e->file, 1);
            if (e->line > 0)
                fprintf(f, ":%d:%d", e->line, e->col > 0 ? e->col : 1);
        } else {
            fputs("goodiebag", f);
        }
        fprintf(f, ": %s: ", kind);
        put_safe(f, e->msg, 0);
        fputc('\n', f);
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
