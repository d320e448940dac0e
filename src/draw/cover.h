/* cover — the book's cover, drawn with cairo from the metadata (title,
 * subtitle, publisher, the themed chapters): the first page of the PDF, and
 * rendered to PNG the EPUB's cover image. No external artwork needed. */
#ifndef GB_COVER_H
#define GB_COVER_H

#include <cairo.h>
#include <stddef.h>

#include "model/book.h"
#include "text/font.h"
#include "model/style.h"

/* Draws the cover into the rectangle (0, 0, w, h) of cr. Text is drawn as
 * glyphs with their text (so it stays searchable in the PDF). */
void cover_draw(cairo_t *cr, double w, double h, const book *b, const style *s, const fontset *fs);

/* Renders the cover to a PNG of width x height pixels. Returns a new buffer
 * (caller frees) or NULL on failure. */
char *cover_png(const book *b, const style *s, const fontset *fs, int width, int height, size_t *len);

/* A fingerprint of everything cover_draw reads (metadata, chapter labels,
 * titles and themes, the style's colours and fonts) and the size: equal
 * keys draw the same cover. Keep it in step with cover_draw. */
unsigned long long cover_key(const book *b, const style *s, int width, int height);

#endif
