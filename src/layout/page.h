/* page — the output of layout and the input of drawing: pages of positioned
 * boxes. Layout decides everything (positions, which glyphs, which page);
 * drawing only paints what is here. A page is lent to its drawer: what it
 * points to lives in the layout's arenas, a body page's only until the
 * drawer returns (its chapter is freed after its last page).
 * Coordinates are points from the page's top-left corner, y downwards to
 * the baseline for glyph runs. */
#ifndef GB_PAGE_H
#define GB_PAGE_H

#include <cmark-gfm.h>
#include <stdint.h>

#include "model/style.h"
#include "base/util.h"
#include "text/font.h"

typedef enum {
    PI_GLYPHS,  /* a run of glyphs in one font */
    PI_RULE,    /* a filled rectangle */
    PI_LINK,    /* a clickable rectangle */
    PI_DEST,    /* a named destination */
    PI_IMAGE,   /* an image scaled into a rectangle */
    PI_MARK,    /* a vector mark (code continuation arrow) */
    PI_TAG_OPEN,  /* a structure element begins (tag: "P", "H1", "LI"...) */
    PI_TAG_CLOSE, /* it ends */
    PI_DISC,    /* a filled disc inscribed in the box */
} pitem_kind;

/* What a PI_LINK item does. */
typedef enum {
    LINK_AREA = 0,  /* a clickable area only */
    LINK_OPEN = 1,  /* opens a link around the items that follow */
    LINK_CLOSE = 2, /* closes the open link */
} link_mode;

typedef struct pitem {
    pitem_kind kind;
    double x, y, w, h;    /* glyphs: origin (baseline); others: top-left box */
    /* glyphs */
    int font;             /* font role */
    double size;
    rgb color;
    const char *text;     /* UTF-8 text the glyphs stand for */
    int text_len;
    const pglyph *g;
    int ng;
    const pcluster *cl;
    int ncl;
    /* link / dest */
    const char *uri;      /* external link */
    const char *dest;     /* internal link target, or the dest's name */
    /* image */
    const struct resource *res;
    /* structure */
    const char *tag;      /* PI_TAG_OPEN/CLOSE: the element type */
    const char *alt;      /* Figure: alternative text; link: description */
    link_mode link_mode;  /* PI_LINK */
    int artifact;         /* running head, page number, decoration */
} pitem;

typedef enum { PAGE_COVER, PAGE_TITLE, PAGE_TOC, PAGE_OPENING, PAGE_BODY, PAGE_BLANK } page_kind;

typedef struct page {
    pitem *items;
    size_t n, cap;
    page_kind kind;
    int chapter;          /* chapter index, -1 for front matter */
    const char *label;    /* printed page label ("iii", "7") */
    int number;           /* printed number (body pages), 0 otherwise */
    int has_body_text;    /* holds text of a chapter */
    int hyphen_at_foot;   /* the last line ends with a hyphen */
} page;

/* An outline (bookmark) entry. */
typedef struct outline_entry {
    const char *title;
    const char *dest;
    int level;            /* 0 = chapter */
} outline_entry;

typedef struct doc_layout {
    arena a;              /* outline, labels and table of contents */
    page *pages;          /* the table of contents' pages (made last) */
    size_t npages, cap;
    outline_entry *outline;
    size_t noutline, capoutline;
    double width, height;
    /* Reading order. The pages are made (and drawn) cover, title page,
     * body, table of contents (its page numbers are known only at the
     * end), but read cover, title page, table of contents, body. */
    const char **labels;  /* every page's label, in reading order */
    size_t nlabels;       /* the page count */
    size_t *order;        /* order[i]: the drawing index of the page read
                             i-th (nlabels of them) */
    size_t toc_at;        /* the table of contents' first page in reading
                             order; each page before it holds one top-level
                             structure element, so this is also the index of
                             the contents' element among them */
    size_t ntoc;          /* its page count (they are drawn last) */
} doc_layout;

/* Appends an item to a page (copied) and returns it. */
pitem *page_add(page *p, const pitem *it);

#endif
