/* path — see path.h. Lexical normalisation first (no filesystem access, so
 * it also serves in-memory books), realpath only for the symlink check. */
#include "path.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

char *path_join_inside(const char *base, const char *rel, const char **why)
{
    if (!rel || !*rel) {
        *why = "empty path";
        return NULL;
    }
    if (rel[0] == '/') {
        *why = "absolute paths are not allowed; write the path relative to the book folder";
        return NULL;
    }
    if (strchr(rel, '\\')) {
        *why = "backslashes are not allowed in paths; use '/'";
        return NULL;
    }
    if (((rel[0] >= 'a' && rel[0] <= 'z') || (rel[0] >= 'A' && rel[0] <= 'Z')) && rel[1] == ':') {
        *why = "absolute paths are not allowed";
        return NULL;
    }
    buf joined = {0};
    if (base && *base) {
        buf_puts(&joined, base);
        buf_putc(&joined, '/');
    }
    buf_puts(&joined, rel);
    /* Split into components and fold "." and "..". */
    size_t n = joined.len;
    char *out = xmalloc(n + 1);
    size_t olen = 0;
    size_t *stack = xmalloc((n / 2 + 2) * sizeof *stack); /* start offsets */
    size_t depth = 0;
    const char *s = joined.data;
    size_t i = 0;
    int bad = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '/')
            j++;
        size_t len = j - i;
        if (len == 0 || (len == 1 && s[i] == '.')) {
            /* skip */
        } else if (len == 2 && s[i] == '.' && s[i + 1] == '.') {
            if (depth == 0) {
                bad = 1;
                break;
            }
            depth--;
            olen = stack[depth];
            if (olen > 0)
                olen--; /* drop the separator */
        } else {
            if (olen > 0)
                out[olen++] = '/';
            stack[depth++] = olen;
            memcpy(out + olen, s + i, len);
            olen += len;
        }
        i = j + 1;
    }
    out[olen] = 0;
    free(stack);
    buf_free(&joined);
    if (bad) {
        free(out);
        *why = "the path leads outside the book folder";
        return NULL;
    }
    if (olen == 0) {
        free(out);
        *why = "the path names the book folder itself";
        return NULL;
    }
    return out;
}

char *path_dirname(const char *rel)
{
    const char *slash = strrchr(rel, '/');
    return slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup("");
}

char *path_real_inside(const char *book_real, const char *book_dir, const char *rel,
                       const char **why)
{
    char *full = xasprintf("%s/%s", book_dir, rel);
    char *real = realpath(full, NULL);
    free(full);
    if (!real) {
        *why = errno == ENOENT || errno == ENOTDIR ? "no such file" : strerror(errno);
        return NULL;
    }
    size_t bl = strlen(book_real);
    if (strncmp(real, book_real, bl) != 0 || (real[bl] != '/' && real[bl] != 0)) {
        free(real);
        *why = "the path leads outside the book folder (through a symbolic link)";
        return NULL;
    }
    return real;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *path_unescape(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n + 0 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            if (v == 0) {
                free(out);
                return NULL;
            }
            out[o++] = (char)v;
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = 0;
    return out;
}
