/* pdf — draws laid-out pages with cairo's PDF surface: text as glyphs with
 * their text (cairo_show_text_glyphs), structure tags, links, named
 * destinations, outline and metadata. Decides nothing about layout: it
 * draws the pages it is given, in the order given, and reports what the
 * post-step (post/pdfpost.h) must add that cairo cannot write. Works
 * around the cairo 1.16 traps listed in shared/notes/cairo-1.16.md.
 *
 * Use: pdf_begin, pdf_page for every page in drawing order, pdf_finish. */
#ifndef GB_PDF_H
#define GB_PDF_H

#include <stddef.h>

#include "model/book.h"
#include "text/font.h"
#include "layout/page.h"
#include "model/style.h"

/* A PDF being drawn. */
typedef struct pdf_writer pdf_writer;

/* The document information the writer set in cairo's /Info dictionary,
 * for the post-step to repeat in the XMP packet. */
typedef struct pdf_info {
    const char *title, *author, *subject, *creator; /* subject may be NULL */
    char date[32];        /* creation and modification: "YYYY-MM-DDThh:mm:ssZ" */
} pdf_info;

/* What the writer made. Everything is owned by it; free with
 * pdf_doc_free. */
typedef struct pdf_doc {
    char *pdf;            /* the PDF as cairo wrote it */
    size_t len;
    pdf_info info;
    /* what the post-step adds: each link annotation's description and
     * each Figure's alternative text, in the order cairo writes them */
    const char **links, **figures;
    size_t nlinks, nfigures;
    arena strings;        /* the texts above */
} pdf_doc;

/* Begins a PDF of the style's page size with the book's metadata. b, s and
 * fs must outlive the writer; errors (images that cannot be decoded) go to
 * d. Never returns NULL. */
pdf_writer *pdf_begin(const book *b, const style *s, const fontset *fs, diag *d);

/* Draws page pg as the next page. pg is only read during the call. */
void pdf_page(pdf_writer *w, const page *pg);

/* Adds the outline of l, ends the document and frees w. Returns 0 and
 * fills *out, or -1 after reporting to d (also when an error was reported
 * to d while drawing; *out is then empty). */
int pdf_finish(pdf_writer *w, const doc_layout *l, pdf_doc *out);

/* Releases what pdf_finish put in a pdf_doc. */
void pdf_doc_free(pdf_doc *doc);

#endif
