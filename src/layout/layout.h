/* layout — the print edition's layout: blocks of the document model into
 * lines (para), lines into pages (a page builder with widow, orphan and
 * keep-with-next control), plus the front matter (title page, table of
 * contents with page numbers). Produces pages of positioned boxes
 * (page.h) and the page map for the EPUB (pagemap.h); draws nothing. */
#ifndef GB_LAYOUT_H
#define GB_LAYOUT_H

#include "model/book.h"
#include "text/font.h"
#include "text/hyph.h"
#include "layout/page.h"
#include "layout/pagemap.h"
#include "model/style.h"

/* Receives the pages in drawing order: cover, title page, the body pages,
 * then the table of contents' pages (their place in reading order is
 * doc_layout.toc_at). A page and what it points to that is not the book's
 * is valid only during the call. */
typedef void (*page_sink)(void *ctx, const page *pg);

/* A layout in progress (threads, chapters laid out ahead of the pages). */
typedef struct layout_job layout_job;

/* Starts laying out book b: worker threads begin on the chapters at once.
 * b, s, fs and h must outlive the job. Never returns NULL. */
layout_job *layout_start(const book *b, const style *s, const fontset *fs, const hyph *h);

/* Makes layout_run append the layout trace (layout/trace.h) to out, which
 * the caller owns; out NULL: no trace (the default). The trace changes
 * nothing else. Call before layout_run. */
void layout_set_trace(layout_job *j, buf *out);

/* The page stage, on the calling thread: makes every page and hands it to
 * sink (NULL: no pages are made, the chapters are only broken into pages).
 * Fills *out with the outline and page labels (free with layout_free).
 * Warnings (missing characters) go to d, in book order. Call once. */
void layout_run(layout_job *j, page_sink sink, void *ctx, doc_layout *out, diag *d);

/* Blocks until every chapter is broken into pages, then adds one mark per
 * body page to pm. May be called from another thread while layout_run
 * runs (which must be called, or this waits for ever). */
void layout_pagemap(layout_job *j, pagemap *pm);

/* Stops and joins the workers and frees the job. NULL is allowed. */
void layout_end(layout_job *j);

/* Releases what layout_run put in a doc_layout. */
void layout_free(doc_layout *l);

#endif
