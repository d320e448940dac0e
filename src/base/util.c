/* util — see util.h. */
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(size_t n)
{
    fprintf(stderr, "goodiebag: error: out of memory (%zu bytes)\n", n);
    exit(3);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return xstrdup("");
    if ((size_t)n < sizeof small)
        return xstrdup(small);
    buf_reserve(&b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return b.data;
}

void grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size)
            oom(SIZE_MAX);
        c *= 2;
    }
    *p = xrealloc(*p, c * size);
    *cap = c;
}

void buf_reserve(buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t c = b->cap ? b->cap : 64;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            oom(SIZE_MAX);
        c *= 2;
    }
    b->data = xrealloc(b->data, c);
    b->cap = c;
}

void buf_add(buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void buf_puts(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
    buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        buf_add(b, small, (size_t)n);
        return;
    }
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_num(buf *b, double v, int prec)
{
    /* Integer arithmetic: independent of LC_NUMERIC. */
    if (v != v)
        v = 0;
    int neg = v < 0;
    if (neg)
        v = -v;
    long long scale = 1;
    for (int i = 0; i < prec; i++)
        scale *= 10;
    if (v > 1e15)
        v = 1e15;
    long long q = (long long)(v * (double)scale + 0.5);
    long long ip = q / scale, fp = q % scale;
    if (neg && q != 0)
        buf_putc(b, '-');
    buf_printf(b, "%lld", ip);
    if (fp) {
        char digits[24] = {0};
        int nd = prec;
        for (int i = nd - 1; i >= 0; i--) {
            digits[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        while (nd > 0 && digits[nd - 1] == '0')
            nd--;
        buf_putc(b, '.');
        buf_add(b, digits, (size_t)nd);
    }
}

char *buf_detach(buf *b, size_t *len)
{
    if (!b->data)
        buf_reserve(b, 0), b->data[0] = 0;
    char *d = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- arena ---- */

struct arena_block {
    arena_block *next;
    size_t used, size;
    max_align_t data[];
};

#define ARENA_BLOCK (64 * 1024)

void *arena_alloc(arena *a, size_t n)
{
    size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (!n)
        n = align;
    arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = xmalloc(sizeof *b + size);
        b->used = 0;
        b->size = size;
        if (n > ARENA_BLOCK && a->head) {
            /* Big one-off: keep the current block for small allocations. */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    if ((size_t)n < sizeof small)
        return arena_strndup(a, small, (size_t)n);
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

/* ---- files ---- */

char *read_file(const char *path, size_t limit, size_t *len)
{
    /* O_NONBLOCK: opening a named pipe must not wait for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *data = read_fd(fd, limit, len);
    int e = errno;
    close(fd);
    errno = e;
    return data;
}

char *read_fd(int fd, size_t limit, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return NULL;
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        errno = ENODEV; /* a pipe, a device or a socket: never read */
        return NULL;
    }
    if ((unsigned long long)st.st_size > limit) {
        errno = EFBIG;
        return NULL;
    }
    buf b = {0};
    buf_reserve(&b, (size_t)st.st_size + 1);
    for (;;) {
        if (b.cap - b.len < 2)
            buf_reserve(&b, 65536);
        ssize_t r = read(fd, b.data + b.len, b.cap - b.len - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            buf_free(&b);
            errno = e;
            return NULL;
        }
        if (r == 0)
            break;
        b.len += (size_t)r;
        if (b.len > limit) { /* the file grew while it was read */
            buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
    }
    b.data[b.len] = 0;
    return buf_detach(&b, len);
}

int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int m = prev + cost;
            if (row[j] + 1 < m)
                m = row[j] + 1;
            if (row[j - 1] + 1 < m)
                m = row[j - 1] + 1;
            row[j] = m;
            prev = cur;
        }
    }
    return row[lb];
}

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned long long hash_bytes(unsigned long long h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* ---- strmap ---- */

static size_t mslot(char **keys, size_t cap, const char *key)
{
    size_t i = (size_t)hash_bytes(1469598103934665603ULL, key, strlen(key)) & (cap - 1);
    while (keys[i] && strcmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

int strmap_put(strmap *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        char **keys = xcalloc(cap, sizeof *keys);
        void **vals = xcalloc(cap, sizeof *vals);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = mslot(keys, cap, m->keys[i]);
                keys[j] = m->keys[i];
                vals[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    size_t i = mslot(m->keys, m->cap, key);
    if (m->keys[i])
        return 0;
    m->keys[i] = xstrdup(key);
    m->vals[i] = val;
    m->n++;
    return 1;
}

void *strmap_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = mslot(m->keys, m->cap, key);
    return m->keys[i] ? m->vals[i] : NULL;
}

void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

int strmap_has(const strmap *m, const char *key)
{
    return m->cap && m->keys[mslot(m->keys, m->cap, key)] != NULL;
}

/* ---- strset: a strmap without values ---- */

int strset_add(strset *s, const char *key)
{
    return strmap_put(&s->m, key, NULL);
}

int strset_has(const strset *s, const char *key)
{
    return strmap_has(&s->m, key);
}

void strset_free(strset *s)
{
    strmap_free(&s->m);
}
