/* write — the incremental update (§7.5.6): new versions of objects are
 * appended to c->out (which starts as a copy of the input), each recorded
 * with its offset; write_xref ends the update with an xref section of the
 * kind the input's newest one is (a table, or an xref stream) and a
 * trailer with /Prev and /ID. Everything written goes to c->out, owned by
 * the context until pdfpost_apply hands it over. */
#ifndef GB_POST_WRITE_H
#define GB_POST_WRITE_H

#include "post/ctx.h"

/* Starts "num gen obj" and records its offset; an object of the input
 * written twice fails. */
void write_obj_begin(post_ctx *c, size_t num, size_t gen);
/* Ends the object started last ("endobj"). */
void write_obj_end(post_ctx *c);

/* Writes "<<" and the entries of dictionary d except those named in drop
 * (a NULL-terminated list), each on a line of its own and byte for byte,
 * without the closing ">>": the caller adds its entries and closes it. */
void write_dict_copy(post_ctx *c, span d, const char *const *drop);

/* Writes a new version of object num holding data[0..n) Flate-compressed;
 * keeps the other entries of the old stream dictionary `old` (if any). */
void write_stream(post_ctx *c, size_t num, size_t gen, const span *old, const char *data, size_t n);

/* Lists object num as free from now on, its next generation gen. */
void write_free_obj(post_ctx *c, size_t num, size_t gen);

/* Writes the xref section of everything written, the trailer (/Size
 * c->next, /Root, /Info, /ID from a hash of the input, /Prev) and
 * startxref. */
void write_xref(post_ctx *c);

#endif
