/* filter — stream data (§7.4): decoding what cairo and qpdf write (no
 * filter, or /FlateDecode, with the PNG predictors in xref and object
 * streams) and Flate-compressing the update's streams. The zlib streams
 * and the buffers used are the context's (post_ctx.zi, zd, tmp). */
#ifndef GB_POST_FILTER_H
#define GB_POST_FILTER_H

#include "post/ctx.h"
#include "post/obj.h"

/* What a stream is for: only xref and object streams may have
 * /DecodeParms (and the error messages name which kind failed). */
typedef enum stream_use { STREAM_CONTENT, STREAM_XREF } stream_use;

/* Appends the decoded data of stream o to dst (at most MAX_STREAM bytes
 * in all); fails on any other filter, parameter or corrupt data. */
void filter_decode(post_ctx *c, const pobj *o, buf *dst, stream_use use);

/* Compresses data[0..n) into c->tmp (replacing what it held); returns the
 * compressed length. */
size_t filter_deflate(post_ctx *c, const char *data, size_t n);

#endif
