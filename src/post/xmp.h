/* xmp — the document's XMP metadata stream (§14.3.2; PDF/UA-1 §5):
 * dc:title, dc:creator, dc:description, dc:language, xmp dates,
 * xmp:CreatorTool, pdf:Producer and pdfuaid:part 1. */
#ifndef GB_POST_XMP_H
#define GB_POST_XMP_H

#include "post/ctx.h"

/* 1 if s looks like an XMP date ("YYYY-MM-DDThh:mm:ssZ": digits and
 * - : T Z + . only, 4 to 40 bytes). */
int xmp_date_ok(const char *s);

/* Writes object num (generation gen) as the metadata stream, from
 * c->info_in; a NULL title, author, subject or creator is taken from the
 * document information dictionary when it has it (as is pdf:Producer). */
void xmp_write(post_ctx *c, size_t num, size_t gen);

#endif
