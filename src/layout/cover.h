/* cover — the book's cover as a page of positioned items: the first page
 * of the PDF and, drawn at its pixel size, the EPUB's cover image. Without
 * artwork of the book's own, it is designed from the metadata (title,
 * subtitle, authors, publisher, the themed chapters), its text set by the
 * body's paragraph breaker (text/para.h). No external artwork needed. */
#ifndef GB_COVER_H
#define GB_COVER_H

#include "layout/page.h"
#include "model/book.h"
#include "model/style.h"
#include "text/font.h"

/* Lays out the cover of book b on a page of w x h units (points for the
 * PDF, pixels for an image) and adds its items to pg: a Figure whose
 * alternative text is the title and subtitle, holding the book's cover
 * image scaled to fit and centred (b->cover), or the designed cover. What
 * the items point to lives in a and in b. Warnings are not given (every
 * text of the cover is also set, and checked, on the title page or in
 * the chapters). Thread-safe (fs is only read). */
void cover_layout(page *pg, const book *b, const style *s, const fontset *fs, double w, double h, arena *a);

/* A fingerprint of everything cover_layout reads for the designed cover
 * (metadata, chapter labels, titles and themes, the style's colours and
 * fonts) and the size: equal keys give the same cover. Keep it in step
 * with cover_layout. */
unsigned long long cover_key(const book *b, const style *s, int width, int height);

#endif
