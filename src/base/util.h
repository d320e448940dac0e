/* util — memory, growable buffers, an arena, and small string helpers.
 *
 * Out-of-memory policy: every allocation goes through xmalloc & co., which
 * print one line and exit(3) on failure. A publication compiler cannot do
 * anything useful without memory, and checking every allocation would bury
 * the real error paths. Nothing partial is ever written (outputs are built
 * in memory and renamed into place), so exiting is safe.
 */
#ifndef GB_UTIL_H
#define GB_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Allocate or die; results are owned by the caller (free()). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new string formatted like printf; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows the array *p of *cap elements of `size` bytes so that it can hold
 * at least `need` elements (doubling). */
void grow(void **p, size_t *cap, size_t need, size_t size);
#define GROW(arr, cap, need) grow((void **)&(arr), &(cap), (need), sizeof *(arr))

/* A growable byte buffer, always NUL-terminated when data != NULL.
 * The buffer owns data; buf_free releases it; buf_detach hands it over. */
typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

void buf_reserve(buf *b, size_t extra);
void buf_add(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a double formatted with at most `prec` decimals, independent of
 * the locale, without trailing zeros ("12.5", "3", "-0.25"). */
void buf_num(buf *b, double v, int prec);
/* Returns data (never NULL; "" for an empty buffer) and empties b; the
 * caller frees the result. */
char *buf_detach(buf *b, size_t *len);
void buf_free(buf *b);

/* An arena: many small allocations released together by arena_free.
 * Memory returned by arena_* is owned by the arena. */
typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
} arena;

void *arena_alloc(arena *a, size_t n); /* zeroed, aligned for any type */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(arena *a);

/* Reads a whole regular file into a new NUL-terminated buffer (caller
 * frees). Returns NULL and sets errno on failure: EISDIR for a folder,
 * ENODEV for anything else that is not a regular file (a named pipe is
 * opened without blocking and never read), EFBIG when the file is larger
 * than `limit` bytes. Files the book names go through path_read, which
 * also keeps them inside their folder. */
char *read_file(const char *path, size_t limit, size_t *len);
/* The same for an open file descriptor (not closed). */
char *read_fd(int fd, size_t limit, size_t *len);

/* True if s ends with suffix. */
int ends_with(const char *s, const char *suffix);

/* Levenshtein distance of two short ASCII strings (for "did you mean"). */
int edit_distance(const char *a, const char *b);

/* Wall-clock seconds (monotonic) for --timings. */
double now_seconds(void);


/* A map from strings to pointers (open addressing). Keys are copied into
 * the map; values are borrowed. strmap_put keeps the first value of a key
 * and returns 0 if the key was already there. */
typedef struct strmap {
    char **keys;
    void **vals;
    size_t n, cap;
} strmap;

int strmap_put(strmap *m, const char *key, void *val);
void *strmap_get(const strmap *m, const char *key);
/* 1 if key is in the map (whatever its value). */
int strmap_has(const strmap *m, const char *key);
void strmap_free(strmap *m);

/* A set of strings: a strmap without values. Keys are copied into the
 * set (a borrowed key freed with an arena before the set was a use after
 * free). strset_add returns 1 if the key was new, 0 if already present. */
typedef struct strset {
    strmap m;
} strset;

int strset_add(strset *s, const char *key);
int strset_has(const strset *s, const char *key);
void strset_free(strset *s);

/* FNV-1a hash of n bytes, continuing from h (start with 1469598103934665603). */
unsigned long long hash_bytes(unsigned long long h, const void *p, size_t n);

#endif
