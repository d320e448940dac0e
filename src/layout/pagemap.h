/* pagemap — where each printed page of the PDF begins in the source, so the
 * EPUB can carry the same page numbers. Filled by the PDF layout; read by
 * the XHTML writer. Positions are (text node, byte offset in its literal):
 * a marker goes right before that character. */
#ifndef GB_PAGEMAP_H
#define GB_PAGEMAP_H

#include <cmark-gfm.h>
#include <stddef.h>

typedef struct page_mark {
    int chapter;        /* chapter index */
    cmark_node *node;   /* a TEXT/CODE/CODE_BLOCK node, or a block node (offset 0) */
    size_t offset;      /* byte offset in the node's literal */
    const char *label;  /* the printed page label ("7") */
} page_mark;

typedef struct pagemap {
    page_mark *v;       /* in reading order */
    size_t n, cap;
    char **labels;      /* owned label strings */
    size_t nlabels, caplabels;
} pagemap;

/* Adds a mark (label is copied). */
void pagemap_add(pagemap *pm, int chapter, cmark_node *node, size_t offset, const char *label);

/* Releases the marks (not pm itself). */
void pagemap_free(pagemap *pm);

#endif
