/* obj — the objects of the input by number: "N G obj" headers at the
 * offsets the xref gives, their values and, for streams, where their data
 * lie. Nothing is copied: a pobj points into the input (post_ctx.d). */
#ifndef GB_POST_OBJ_H
#define GB_POST_OBJ_H

#include "post/ctx.h"

typedef struct pobj {
    size_t num, gen;
    span v;           /* the value (for a stream: its dictionary) */
    int stream;       /* 1: a stream, whose data are data[0..len) */
    const char *data;
    size_t len;
} pobj;

/* Whether a stream's /Length may be a reference: not in an xref stream,
 * which is read before the xref is known. */
typedef enum length_rule { LENGTH_DIRECT, LENGTH_MAY_REFER } length_rule;

/* Parses "num gen obj" at offset `at` of the input (num below limit);
 * returns the position after "obj", or NULL when it is not there. */
const char *obj_header_at(post_ctx *c, size_t at, size_t limit, size_t *num, size_t *gen);

/* Parses "num gen obj" at the xref offset of num (fails when it is not
 * there); returns the position after "obj" and stores gen. */
const char *obj_header(post_ctx *c, size_t num, size_t *gen);

/* Reads the value of an object of the input after its "obj" at p into o
 * (o->num set by the caller) and, for a stream, locates its data; fails on
 * anything malformed (no endobj, /Length not ending at endstream). */
void obj_body(post_ctx *c, const char *p, pobj *o, length_rule lengths);

/* Loads object num (in the input or in an object stream); fails when it
 * is missing or its /Length refers back to it. */
void obj_load(post_ctx *c, size_t num, pobj *o);

#endif
