/* catalog — the new version of the document catalog (§7.7.2): /Lang,
 * /MarkInfo << /Marked true >>, /ViewerPreferences with /DisplayDocTitle,
 * /Metadata, /Version /1.7 (or the higher one it has) and, when
 * pdfpost_info has page labels, a new /PageLabels. */
#ifndef GB_POST_CATALOG_H
#define GB_POST_CATALOG_H

#include "post/ctx.h"
#include "post/obj.h"

/* Writes catalog o (object num) anew, its /Metadata pointing at object
 * metanum; fails when its /ViewerPreferences is not a dictionary. */
void catalog_write(post_ctx *c, size_t num, const pobj *o, size_t metanum);

#endif
