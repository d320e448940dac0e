/* struct — the structure tree (§14.7): every /Figure element gets the /Alt
 * of pdfpost_info, in depth-first pre-order, and every /TH the attribute
 * /Scope /Column; the top element's last child
 * can be moved forward. New versions go to the update (write.h). */
#ifndef GB_POST_STRUCT_H
#define GB_POST_STRUCT_H

#include "post/ctx.h"

/* Visits the structure elements under k (a /K value: a reference, an
 * array of them, an MCID, a marked-content or object reference; depth: the
 * level, at most MAX_STRUCT_DEPTH), writes a new version of every Figure
 * that has an alternative text and counts the Figures in c->nfig. Fails on
 * a cycle, a shared element or a direct element dictionary. */
void struct_walk(post_ctx *c, span k, int depth);

/* Writes a new version of the top structure element (the only kid of the
 * structure tree root, whose /K is rootk) with its last child moved to
 * index c->info_in->struct_move_to; fails when there is no such element
 * or it has too few children. */
void struct_move_last(post_ctx *c, span rootk);

#endif
