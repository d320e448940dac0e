/* pages — the page tree (§7.7.3): every page gets /Tabs /S and its content
 * rewritten (content.h), every /Link annotation its /Contents (the link
 * descriptions of pdfpost_info, in page-tree order); and the pages can be
 * put in a new order. New objects go to the update (write.h). */
#ifndef GB_POST_PAGES_H
#define GB_POST_PAGES_H

#include "post/ctx.h"

/* Visits the page tree node num and everything under it (depth: its
 * level, at most MAX_DEPTH): writes a new version of every page, of the
 * content streams that paint outside marked content and of the link
 * annotations with a description; counts the links in c->nlink. Fails on a
 * cycle, a shared node or anything that is not a page tree. */
void pages_walk(post_ctx *c, size_t num, int depth);

/* Writes a new version of the page tree root num with its /Kids in the
 * order c->info_in->page_order gives; fails unless the root's kids are
 * all the pages (one level) and the order is a permutation of them. */
void pages_reorder(post_ctx *c, size_t num);

#endif
