/* paint — the one painter of laid-out pages: paints a page's items onto a
 * cairo context (glyph runs with their text, rules, discs, images, marks)
 * for the PDF writer, which adds tags, links and destinations around it,
 * and into a PNG for the EPUB's cover image. Decides nothing: it paints
 * what the items say, where they say it. */
#ifndef GB_PAINT_H
#define GB_PAINT_H

#include <cairo.h>
#include <stddef.h>

#include "layout/page.h"
#include "text/font.h"

/* A painter on one cairo context, with the raster images it decoded. */
typedef struct painter painter;

/* A painter on cr (borrowed: it must outlive the painter) with the fonts
 * fs. Images that cannot be decoded are reported to d (NULL: left out
 * silently). Never returns NULL. */
painter *paint_new(cairo_t *cr, const fontset *fs, diag *d);

/* Whether items of kind k are painted (the others structure the page). */
int paint_paints(pitem_kind k);

/* Paints it if it is painted (paint_paints); other items are ignored.
 * Consecutive glyph runs on one baseline in the same font, size and colour
 * are painted together, at the next item of another kind or at
 * paint_flush: call paint_flush before anything else is drawn on cr. */
void paint_item(painter *p, const pitem *it);

/* Paints the glyph runs that wait. */
void paint_flush(painter *p);

/* Frees the painter and the images it decoded. NULL is allowed. The PDF
 * writer calls it once its surface is finished. */
void paint_free(painter *p);

/* Paints the items of pg (its coordinates in pixels) into an image of
 * w x h pixels (black at first: the page paints its own ground) and
 * encodes it as a PNG. Returns a new buffer (caller frees) of
 * *len bytes, or NULL on failure. */
char *paint_png(const page *pg, const fontset *fs, int w, int h, size_t *len);

#endif
