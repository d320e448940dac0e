/* layout — the print edition's layout: blocks of the document model into
 * lines (para), lines into pages (a page builder with widow, orphan and
 * keep-with-next control), plus the front matter (title page, table of
 * contents with page numbers). Produces pages of positioned boxes
 * (page.h) and the page map for the EPUB (pagemap.h); draws nothing. */
#ifndef GB_LAYOUT_H
#define GB_LAYOUT_H

#include "book.h"
#include "font.h"
#include "hyph.h"
#include "page.h"
#include "pagemap.h"
#include "style.h"

/* Lays out book b. Fills *out (free with layout_free) and adds one mark per
 * body page to pm. Warnings (missing characters) go to d. Returns 0. */
int layout_book(const book *b, const style *s, const fontset *fs, const hyph *h, doc_layout *out,
                pagemap *pm, diag *d);

/* Releases a layout. */
void layout_free(doc_layout *l);

#endif
