/* write — see write.h. */
#include "post/write.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "post/filter.h"
#include "post/val.h"

/* One entry of the update's xref section. */
typedef struct upd {
    size_t num, gen, off; /* off 0: the object is free from now on, gen its next generation */
} upd;

static void add_upd(post_ctx *c, size_t num, size_t gen, size_t off)
{
    GROW(c->upd, c->capupd, c->nupd + 1);
    c->upd[c->nupd++] = (upd){num, gen, off};
}

void write_obj_begin(post_ctx *c, size_t num, size_t gen)
{
    if (num < c->size) {
        if (c->flag[num] & F_DONE)
            post_fail(c, "object would be updated twice");
        c->flag[num] |= F_DONE;
    }
    add_upd(c, num, gen, c->out.len);
    buf_printf(&c->out, "%zu %zu obj\n", num, gen);
}

void write_obj_end(post_ctx *c)
{
    buf_puts(&c->out, "\nendobj\n");
}

void write_dict_copy(post_ctx *c, span d, const char *const *drop)
{
    dictit it;
    span k, v;
    buf_puts(&c->out, "<<");
    dict_begin(c, d, &it);
    while (dict_next(c, &it, &k, &v)) {
        int skip = 0;
        for (const char *const *x = drop; *x && !skip; x++)
            skip = span_is(k, *x);
        if (skip)
            continue;
        buf_puts(&c->out, "\n");
        buf_add(&c->out, k.s, (size_t)(v.e - k.s));
    }
    buf_puts(&c->out, "\n");
}

void write_stream(post_ctx *c, size_t num, size_t gen, const span *old, const char *data, size_t n)
{
    static const char *const drop[] = {"/Length", "/Filter", "/DecodeParms", "/DL", NULL};
    size_t zlen = filter_deflate(c, data, n);
    write_obj_begin(c, num, gen);
    if (old) {
        write_dict_copy(c, *old, drop);
    } else {
        buf_puts(&c->out, "<<\n");
    }
    buf_printf(&c->out, "/Length %zu\n/Filter /FlateDecode\n>>\nstream\n", zlen);
    buf_add(&c->out, c->tmp.data, zlen);
    buf_puts(&c->out, "\nendstream");
    write_obj_end(c);
}

void write_free_obj(post_ctx *c, size_t num, size_t gen)
{
    add_upd(c, num, gen, 0);
}

static uint64_t rd64(const unsigned char *p)
{
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = x << 8 | p[i];
    return x;
}

static uint64_t fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* A 128-bit hash of the input, for the file identifier. */
static void hash128(const unsigned char *p, size_t n, unsigned char out[16])
{
    uint64_t h1 = 0x9E3779B97F4A7C15ULL ^ n, h2 = 0xC2B2AE3D27D4EB4FULL + n;
    const uint64_t k1 = 0x87c37b91114253d5ULL, k2 = 0x4cf5ad432745937fULL;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t a = rd64(p + i) * k1, b = rd64(p + i + 8) * k2;
        h1 ^= (a << 31 | a >> 33) * k2;
        h1 = (h1 << 27 | h1 >> 37) + h2;
        h1 = h1 * 5 + 0x52dce729;
        h2 ^= (b << 33 | b >> 31) * k1;
        h2 = (h2 << 31 | h2 >> 33) + h1;
        h2 = h2 * 5 + 0x38495ab5;
    }
    unsigned char tail[16] = {0};
    memcpy(tail, p + i, n - i);
    h1 ^= fmix(rd64(tail) ^ k1);
    h2 ^= fmix(rd64(tail + 8) ^ k2);
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    for (int j = 0; j < 8; j++) {
        out[j] = (unsigned char)(h1 >> (8 * j));
        out[8 + j] = (unsigned char)(h2 >> (8 * j));
    }
}

static int cmp_upd(const void *a, const void *b)
{
    size_t x = ((const upd *)a)->num, y = ((const upd *)b)->num;
    return x < y ? -1 : x > y;
}

/* The trailer entries shared by both kinds of xref section. */
static void put_trailer_keys(post_ctx *c, const char *hex)
{
    buf_printf(&c->out, "/Size %zu\n/Root ", c->next);
    buf_add(&c->out, c->root.s, (size_t)(c->root.e - c->root.s));
    if (c->info.s) {
        buf_puts(&c->out, "\n/Info ");
        buf_add(&c->out, c->info.s, (size_t)(c->info.e - c->info.s));
    }
    buf_puts(&c->out, "\n/ID [");
    if (c->id.s)
        buf_add(&c->out, c->id.s, (size_t)(c->id.e - c->id.s));
    else
        buf_printf(&c->out, "<%s>", hex);
    buf_printf(&c->out, " <%s>]\n/Prev %zu\n", hex, c->lastxref);
}

/* The end of the run of consecutive object numbers that starts at entry i
 * of the sorted entries (a subsection of the xref). */
static size_t run_end(const post_ctx *c, size_t i)
{
    size_t j = i + 1;
    while (j < c->nupd && c->upd[j].num == c->upd[j - 1].num + 1)
        j++;
    return j;
}

/* An xref stream, Flate-compressed, /W [1 w 2], that lists itself. */
static void write_xref_stream(post_ctx *c, size_t xref, const char *hex)
{
    size_t num = c->next++, w = 1;
    add_upd(c, num, 0, xref);
    while (w < 8 && xref >> (8 * w))
        w++;
    qsort(c->upd, c->nupd, sizeof *c->upd, cmp_upd);
    c->xout.len = 0;
    for (size_t i = 0; i < c->nupd; i++) {
        unsigned char row[11];
        row[0] = c->upd[i].off ? 1 : 0;
        for (size_t k = 0; k < w; k++)
            row[1 + k] = (unsigned char)(c->upd[i].off >> (8 * (w - 1 - k)));
        row[1 + w] = (unsigned char)(c->upd[i].gen >> 8);
        row[2 + w] = (unsigned char)c->upd[i].gen;
        buf_add(&c->xout, (const char *)row, w + 3);
    }
    size_t zlen = filter_deflate(c, c->xout.data, c->xout.len);
    buf_printf(&c->out, "%zu 0 obj\n<< /Type /XRef\n", num);
    put_trailer_keys(c, hex);
    buf_printf(&c->out, "/W [1 %zu 2]\n/Index [", w);
    for (size_t i = 0, j; i < c->nupd; i = j) {
        j = run_end(c, i);
        buf_printf(&c->out, "%s%zu %zu", i ? " " : "", c->upd[i].num, j - i);
    }
    buf_printf(&c->out, "]\n/Filter /FlateDecode\n/Length %zu\n>>\nstream\n", zlen);
    buf_add(&c->out, c->tmp.data, zlen);
    buf_printf(&c->out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* A classic xref table and trailer. */
static void write_xref_table(post_ctx *c, size_t xref, const char *hex)
{
    qsort(c->upd, c->nupd, sizeof *c->upd, cmp_upd);
    buf_puts(&c->out, "xref\n");
    for (size_t i = 0, j; i < c->nupd;) {
        j = run_end(c, i);
        buf_printf(&c->out, "%zu %zu\n", c->upd[i].num, j - i);
        for (; i < j; i++)
            buf_printf(&c->out, "%010zu %05zu %c\r\n", c->upd[i].off, c->upd[i].gen, c->upd[i].off ? 'n' : 'f');
    }
    buf_puts(&c->out, "trailer\n<< ");
    put_trailer_keys(c, hex);
    buf_printf(&c->out, ">>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* The update's section is of the kind of the input's newest one: §7.5.8.4
 * says an update keeps it. */
void write_xref(post_ctx *c)
{
    unsigned char id[16];
    char hex[33];
    size_t xref = c->out.len;
    hash128((const unsigned char *)c->d, c->n, id);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02X", id[i]);
    if (c->xrefstm)
        write_xref_stream(c, xref, hex);
    else
        write_xref_table(c, xref, hex);
}
