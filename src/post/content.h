/* content — the content-stream rewriter: every maximal run of operations
 * outside marked content that paints (Tj TJ ' " Do sh f F f* B B* b b* S s,
 * inline images) is wrapped in "/Artifact BMC ... EMC", keeping q/Q and
 * BT/ET balanced inside each wrapped run (§14.8.2.2: everything painted
 * must be real content or an artifact). */
#ifndef GB_POST_CONTENT_H
#define GB_POST_CONTENT_H

#include "post/ctx.h"

/* Appends s[0..n) (one decoded content stream) to out with the artifacts
 * added; returns how many runs were wrapped (0: out received s as it is).
 * Fails on a stream it cannot follow (syntax, unbalanced nesting or marked
 * content, q/Q or BT/ET crossing a run, an unterminated inline image). The
 * scratch arrays are the context's (ops, stack). */
size_t content_rewrite(post_ctx *c, const char *s, size_t n, buf *out);

#endif
