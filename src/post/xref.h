/* xref — reading the cross-reference data of the input (§7.5.4–§7.5.8):
 * classic tables, xref streams, hybrid files (/XRefStm) and every earlier
 * section through /Prev (newer entries win), then the object streams
 * (§7.5.7) that hold objects in use. */
#ifndef GB_POST_XREF_H
#define GB_POST_XREF_H

#include "post/ctx.h"

/* Fills the object arrays of c (size, off, gen, stm, lim, flag: owned by
 * c) and the trailer values (root, info, id, lastxref, xrefstm) and checks
 * that every object in use is where its entry says. An entry pointing at
 * another object listed at the same offset is taken for an object never
 * written and recorded as freed by the update (write_free_obj). With
 * object streams, c->d becomes c->all: a copy of the input followed by
 * their decoded data, where such objects are found. Fails on anything
 * malformed or not understood (encryption, /Extends). */
void xref_read(post_ctx *c);

#endif
