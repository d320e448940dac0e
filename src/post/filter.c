/* filter — see filter.h. */
#include "post/filter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "post/val.h"

#define MSG(use, s) ((use) == STREAM_XREF ? "xref or object stream: " s : "content stream: " s)

/* The PNG filter type that starts each row (RFC 2083 §6). */
typedef enum png_filter { PNG_NONE, PNG_SUB, PNG_UP, PNG_AVERAGE, PNG_PAETH } png_filter;

/* Undoes a PNG predictor (ISO 32000-1 §7.4.4.4; RFC 2083 §6) in place on
 * the rows dst->data[base..): each row is a filter-type byte and `cols`
 * bytes of 1-byte samples. */
static void unpredict_png(post_ctx *c, buf *dst, size_t base, size_t cols)
{
    size_t n = dst->len - base, rows = n / (cols + 1);
    unsigned char *d = (unsigned char *)dst->data + base;
    if (n % (cols + 1))
        post_fail(c, "stream: predictor rows do not fill the data");
    for (size_t r = 0; r < rows; r++) {
        const unsigned char *in = d + r * (cols + 1) + 1;
        unsigned char *out = d + r * cols, *up = r ? d + (r - 1) * cols : NULL;
        unsigned type = in[-1];
        if (type > PNG_PAETH)
            post_fail(c, "stream: unknown PNG predictor type");
        for (size_t i = 0; i < cols; i++) {
            unsigned a = i ? out[i - 1] : 0, b = up ? up[i] : 0, cc = up && i ? up[i - 1] : 0, x = in[i];
            switch (type) {
            case PNG_SUB: x += a; break;
            case PNG_UP: x += b; break;
            case PNG_AVERAGE: x += (a + b) / 2; break;
            case PNG_PAETH: {
                int pa = abs((int)b - (int)cc), pb = abs((int)a - (int)cc), pc = abs((int)a + (int)b - 2 * (int)cc);
                x += pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
                break;
            }
            }
            out[i] = (unsigned char)x;
        }
    }
    dst->len = base + rows * cols;
    if (dst->data)
        dst->data[dst->len] = 0;
}

/* Applies the /DecodeParms dp of a stream to the data it decoded into
 * dst->data[base..): only the PNG predictors on 8-bit, one-colour rows
 * (what xref streams use) are understood. */
static void decode_parms(post_ctx *c, span dp, buf *dst, size_t base)
{
    span v;
    size_t pred = 1, cols = 1, x;
    if (val_is_array(dp)) { /* one filter: one parameter dictionary */
        dictit it;
        span e;
        array_begin(c, dp, &it);
        if (!array_next(c, &it, &e) || array_next(c, &it, &v))
            post_fail(c, "stream: /DecodeParms does not match /Filter");
        dp = e;
    }
    if (span_is(dp, "null"))
        return;
    if (!val_is_dict(dp))
        post_fail(c, "stream: /DecodeParms is not a dictionary");
    if (dict_get(c, dp, "/Predictor", &v) && val_uint(v, 16, &pred) < 0)
        post_fail(c, "stream: unsupported /Predictor");
    if (dict_get(c, dp, "/Columns", &v) && (val_uint(v, (size_t)1 << 20, &cols) < 0 || !cols))
        post_fail(c, "stream: bad /Columns");
    if (dict_get(c, dp, "/Colors", &v) && (val_uint(v, 2, &x) < 0 || x != 1))
        post_fail(c, "stream: /Colors other than 1 is not supported");
    if (dict_get(c, dp, "/BitsPerComponent", &v) && (val_uint(v, 9, &x) < 0 || x != 8))
        post_fail(c, "stream: /BitsPerComponent other than 8 is not supported");
    if (pred == 1)
        return;
    if (pred < 10)
        post_fail(c, "stream: unsupported /Predictor");
    unpredict_png(c, dst, base, cols);
}

/* Whether the /Filter of o is Flate (1) or none (0); fails on others. */
static int is_flate(post_ctx *c, const pobj *o, stream_use use)
{
    span f;
    if (!dict_get(c, o->v, "/Filter", &f))
        return 0;
    if (val_name(f, "/FlateDecode"))
        return 1;
    if (!val_is_array(f))
        post_fail(c, MSG(use, "filter other than /FlateDecode"));
    dictit it;
    span x;
    int k = 0;
    array_begin(c, f, &it);
    while (array_next(c, &it, &x)) {
        if (k++ || !val_name(x, "/FlateDecode"))
            post_fail(c, MSG(use, "filter other than /FlateDecode"));
    }
    return k == 1;
}

/* Appends the inflated data of o to dst. */
static void inflate_into(post_ctx *c, const pobj *o, buf *dst, stream_use use)
{
    if (!c->zi_ok) {
        memset(&c->zi, 0, sizeof c->zi);
        if (inflateInit(&c->zi) != Z_OK)
            post_fail(c, "zlib inflateInit failed");
        c->zi_ok = 1;
    } else if (inflateReset(&c->zi) != Z_OK) {
        post_fail(c, "zlib inflateReset failed");
    }
    if (o->len > UINT32_MAX)
        post_fail(c, MSG(use, "too large"));
    c->zi.next_in = (Bytef *)(uintptr_t)o->data;
    c->zi.avail_in = (uInt)o->len;
    for (;;) {
        buf_reserve(dst, o->len * 4 + 4096);
        size_t room = dst->cap - dst->len - 1;
        if (room > UINT32_MAX)
            room = UINT32_MAX;
        c->zi.next_out = (Bytef *)dst->data + dst->len;
        c->zi.avail_out = (uInt)room;
        int r = inflate(&c->zi, Z_NO_FLUSH);
        dst->len += room - c->zi.avail_out;
        dst->data[dst->len] = 0;
        if (dst->len > MAX_STREAM)
            post_fail(c, MSG(use, "too large"));
        if (r == Z_STREAM_END)
            break;
        if (r == Z_BUF_ERROR || (r == Z_OK && c->zi.avail_in == 0 && c->zi.avail_out != 0))
            post_fail(c, MSG(use, "truncated Flate data"));
        if (r != Z_OK)
            post_fail(c, MSG(use, "corrupt Flate data"));
    }
}

/* The /DecodeParms (PNG predictors) of an xref or object stream are
 * applied; a content stream with /DecodeParms is an error. */
void filter_decode(post_ctx *c, const pobj *o, buf *dst, stream_use use)
{
    span dp;
    size_t base = dst->len;
    int flate = is_flate(c, o, use);
    int has_dp = dict_get(c, o->v, "/DecodeParms", &dp) && !span_is(dp, "null");
    if (has_dp && (use != STREAM_XREF || !flate))
        post_fail(c, MSG(use, "/DecodeParms are not supported"));
    if (!flate) {
        if (dst->len + o->len > MAX_STREAM)
            post_fail(c, MSG(use, "too large"));
        buf_add(dst, o->data, o->len);
        return;
    }
    inflate_into(c, o, dst, use);
    if (has_dp)
        decode_parms(c, dp, dst, base);
}

/* Compresses data[0..n) into c->tmp; returns the compressed length. */
size_t filter_deflate(post_ctx *c, const char *data, size_t n)
{
    if (!c->zd_ok) {
        memset(&c->zd, 0, sizeof c->zd);
        if (deflateInit(&c->zd, 3) != Z_OK)
            post_fail(c, "zlib deflateInit failed");
        c->zd_ok = 1;
    } else if (deflateReset(&c->zd) != Z_OK) {
        post_fail(c, "zlib deflateReset failed");
    }
    if (n > UINT32_MAX)
        post_fail(c, "content stream too large");
    uLong bound = deflateBound(&c->zd, (uLong)n);
    c->tmp.len = 0;
    buf_reserve(&c->tmp, bound);
    c->zd.next_in = (Bytef *)(uintptr_t)data;
    c->zd.avail_in = (uInt)n;
    c->zd.next_out = (Bytef *)c->tmp.data;
    c->zd.avail_out = (uInt)bound;
    if (deflate(&c->zd, Z_FINISH) != Z_STREAM_END)
        post_fail(c, "zlib deflate failed");
    return bound - c->zd.avail_out;
}

