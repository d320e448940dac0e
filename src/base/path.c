/* path — see path.h. Lexical normalisation first (no filesystem access, so
 * it also serves in-memory books), realpath only for the symlink check. */
#include "base/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

/* Why rel cannot be a path relative to a folder, or NULL if it can. */
static const char *not_relative(const char *rel)
{
    if (!rel || !*rel)
        return "empty path";
    if (rel[0] == '/')
        return "absolute paths are not allowed; write the path relative to the book folder";
    if (strchr(rel, '\\'))
        return "backslashes are not allowed in paths; use '/'";
    if (((rel[0] >= 'a' && rel[0] <= 'z') || (rel[0] >= 'A' && rel[0] <= 'Z')) && rel[1] == ':' &&
        (rel[2] == '/' || rel[2] == 0))
        return "absolute paths (a drive letter) are not allowed; write the path relative to the book folder";
    return NULL;
}

/* s[0..n) with empty and "." components dropped and ".." folded into the
 * component before it (a new string), or NULL if a ".." climbs above s. */
static char *fold_dots(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t olen = 0;
    size_t *stack = xmalloc((n / 2 + 2) * sizeof *stack); /* start offsets */
    size_t depth = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '/')
            j++;
        size_t len = j - i;
        if (len == 2 && s[i] == '.' && s[i + 1] == '.') {
            if (depth == 0) {
                free(stack);
                free(out);
                return NULL;
            }
            olen = stack[--depth];
            if (olen > 0)
                olen--; /* drop the separator */
        } else if (len > 0 && !(len == 1 && s[i] == '.')) {
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
    return out;
}

char *path_join_inside(const char *base, const char *rel, const char **why)
{
    const char *bad = not_relative(rel);
    if (bad) {
        *why = bad;
        return NULL;
    }
    buf joined = {0};
    if (base && *base) {
        buf_puts(&joined, base);
        buf_putc(&joined, '/');
    }
    buf_puts(&joined, rel);
    char *out = fold_dots(joined.data, joined.len);
    buf_free(&joined);
    if (!out) {
        *why = "the path leads outside the book folder";
        return NULL;
    }
    if (!*out) {
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

int path_is_inside(const char *root_real, const char *real)
{
    size_t rl = strlen(root_real);
    while (rl > 1 && root_real[rl - 1] == '/')
        rl--;
    if (rl == 1 && root_real[0] == '/')
        return 1; /* the root folder of the machine holds everything */
    return !strncmp(real, root_real, rl) && (real[rl] == '/' || real[rl] == 0);
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
    if (!path_is_inside(book_real, real)) {
        free(real);
        *why = "the path leads outside the book folder (through a symbolic link)";
        return NULL;
    }
    return real;
}

char *path_read(const char *root_real, const char *root, const char *folder, const char *rel, size_t limit,
                size_t *len, char *why)
{
    char *full = xasprintf("%s/%s", root && *root ? root : ".", rel);
    char *real = realpath(full, NULL);
    int e = errno;
    char *data = NULL;
    if (!real) {
        snprintf(why, PATH_WHY, "%s",
                 e == ENOENT || e == ENOTDIR ? "no such file"
                 : e == ELOOP                ? "too many symbolic links (a loop?)"
                                             : strerror(e));
        goto done;
    }
    if (root_real && !path_is_inside(root_real, real)) {
        snprintf(why, PATH_WHY, "the path leads outside the %s (through a symbolic link)", folder);
        goto done;
    }
    /* O_NONBLOCK: a named pipe opens at once instead of waiting for a
     * writer; O_NOFOLLOW: the checked path is the one opened */
    int fd = open(real, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, PATH_WHY, "%s", strerror(errno));
        goto done;
    }
    struct stat st;
    data = read_fd(fd, limit, len);
    e = errno;
    if (!data) {
        if (e == EISDIR) {
            snprintf(why, PATH_WHY, "it is a folder, not a file");
        } else if (e == ENODEV && fstat(fd, &st) == 0) {
            snprintf(why, PATH_WHY, "it is %s, not a regular file",
                     S_ISFIFO(st.st_mode)  ? "a named pipe (FIFO)"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                  : "a special file");
        } else if (e == EFBIG) {
            if (limit >= 1u << 20)
                snprintf(why, PATH_WHY, "the file is larger than the limit of %zu MB", limit >> 20);
            else
                snprintf(why, PATH_WHY, "the file is larger than the limit of %zu kB", limit >> 10);
        } else {
            snprintf(why, PATH_WHY, "%s", strerror(e));
        }
    }
    close(fd);
done:
    free(full);
    free(real);
    return data;
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
