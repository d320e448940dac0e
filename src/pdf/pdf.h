/* pdf — draws laid-out pages with cairo's PDF surface: text as glyphs with
 * their text (cairo_show_text_glyphs), links, named destinations, outline,
 * page labels and metadata. Decides nothing about layout. Works around the
 * cairo 1.16 traps listed in shared/notes/cairo-1.16.md. */
#ifndef GB_PDF_H
#define GB_PDF_H

#include <stddef.h>

#include "model/book.h"
#include "text/font.h"
#include "layout/layout.h"
#include "layout/page.h"
#include "model/style.h"

/* Runs the page stage of layout j (layout_run), drawing each page as it
 * comes, into a new buffer *out (caller frees) of *len bytes; *l receives
 * the layout's outline and labels (free with layout_free). Returns 0, or -1
 * after reporting to d. */
int pdf_render(const book *b, const style *s, const fontset *fs, layout_job *j, doc_layout *l, char **out,
               size_t *len, diag *d);

#endif
