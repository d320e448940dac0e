/* val — PDF values in the input (§7.3): skipping one, iterating over a
 * dictionary or array, reading a reference, number or name. Values are
 * spans into the input (post_ctx.d), never copied; a value that is not
 * well-formed stops the run (post_fail) where the functions say so. */
#ifndef GB_POST_VAL_H
#define GB_POST_VAL_H

#include "post/ctx.h"

/* Reads the next token at *pp, bounded by c->end; a syntax error fails. */
void obj_next(post_ctx *c, const char **pp, tok *t);

/* Skips one value starting at *pp (a reference "N G R" counts as one value;
 * depth: its nesting, at most MAX_DEPTH) and stores its extent in v.
 * Anything but a value fails. */
void obj_skip_value(post_ctx *c, const char **pp, int depth, span *v);

/* The kind of v's first token (TOK_EOF when there is none or it is bad). */
tok_kind val_first_tok(span v, tok *t);
int val_is_dict(span v);
int val_is_array(span v);

/* An iterator over the entries of a dictionary or the elements of an
 * array (a value already checked by obj_skip_value). */
typedef struct dictit {
    const char *p;
} dictit;

/* Starts on dictionary v (fails if it is not one); dict_next stores the
 * next key and value and returns 1, or returns 0 after the last. */
void dict_begin(post_ctx *c, span v, dictit *it);
int dict_next(post_ctx *c, dictit *it, span *key, span *val);
/* Stores the value of key ("/Name") in dictionary dict and returns 1, or 0. */
int dict_get(post_ctx *c, span dict, const char *key, span *val);

/* Starts on array v (fails if it is not one); array_next stores the next
 * element and returns 1, or returns 0 after the last. */
void array_begin(post_ctx *c, span v, dictit *it);
int array_next(post_ctx *c, dictit *it, span *val);

/* If v is "N G R", stores N (and G when gen is not NULL) and returns 1; an
 * N of c->size or more, or G of MAX_GEN or more, fails. 0 for anything else. */
int val_ref(post_ctx *c, span v, size_t *num, size_t *gen);
/* Stores v's value if it is exactly one integer token below limit and
 * returns 0; -1 otherwise. */
int val_uint(span v, size_t limit, size_t *x);
/* 1 if v is the name `name` ("/Link"). */
int val_name(span v, const char *name);

#endif
