/* lay — what the files of the layout stage share, and nothing a writer may
 * include (writers see only page.h and pagemap.h; tests/t_layers.sh checks).
 *
 * The stage in files of one job each, in pipeline order:
 *   inline.c  inline content of a block to styled spans
 *   blocks.c  a chapter's blocks to the vertical list (lines, spaces,
 *             penalties, tags: the vitem list below)
 *   pages.c   the page builder: the vertical list cut into pages
 *   emit.c    a page's share of the vertical list to page items; the
 *             running foot
 *   front.c   front matter: title page, table of contents, outline
 *   cover.c   the cover as a page of positioned items
 *   trace.c   the layout trace (what the page builder decided)
 *   layout.c  the job: worker threads and the page stage (layout.h)
 * Memory: vitems, lines and spans live in the lay's arena (a chapter's
 * own, or the page stage's) unless a comment says otherwise. */
#ifndef GB_LAY_H
#define GB_LAY_H

#include "base/diag.h"
#include "base/util.h"
#include "layout/page.h"
#include "layout/trace.h"
#include "model/book.h"
#include "model/style.h"
#include "text/para.h"

/* A penalty that forbids a break (TeX's 10000). */
#define INF_PEN 10000.0

/* The vertical list: what a chapter is made of before it is cut into
 * pages. Lines, images and rules take height; spaces and penalties are
 * discarded at a page break; tags and list labels have no height and are
 * looked through ("transparent"). */
typedef enum { V_LINE, V_SPACE, V_PENALTY, V_NEWPAGE, V_IMAGE, V_RULE, V_TAG_OPEN, V_TAG_CLOSE, V_LABEL } vkind;

/* Block-quote and code bars drawn beside one line (deeper ones are not). */
#define MAX_BARS 6

/* What a vitem has to do with a heading (the numbers are the ones the
 * code used before it had names, so that work written against them still
 * means the same). */
typedef enum {
    VH_NONE = 0,
    VH_LINE = 1,   /* V_LINE: a line of a heading (or the chapter label) */
    VH_BREAK = 3,  /* V_PENALTY: the good break before a heading */
} vheading;

typedef struct vitem {
    vkind k;
    double h;             /* height taken on the page */
    double penalty;       /* V_PENALTY (also on lines: the break before) */
    break_reason rule;    /* V_PENALTY: the rule it enforces, for the trace */
    const pline *ln;
    double x;             /* left offset in the text area */
    double base;          /* baseline below the item's top */
    int chapter;
    const pline *label;   /* list marker, drawn at label_x */
    double label_x;
    double bars[MAX_BARS];/* x of block-quote / code bars */
    int nbars;
    int code;             /* code line: tinted, continuation mark */
    int cont;             /* continuation of a wrapped code line */
    const char *dest;     /* destination placed at this item */
    const resource *img;
    double img_w;
    double rule_w;        /* V_RULE width */
    int rule_accent;      /* V_RULE in the chapter's accent colour */
    rgb color;
    int body;             /* body text (for the page map) */
    vheading heading;
    const char *tag;      /* V_TAG_OPEN/CLOSE: structure element type */
    const char *alt;      /* V_TAG_OPEN of a Figure: its alternative text */
} vitem;

/* The layout's state: the settings every chapter shares, the arena and
 * diagnostics of the current stage (a chapter on a worker, or the page
 * stage), and the vertical list being built or emitted (v, n: owned by
 * the chapter's slot once built). */
typedef struct lay {
    const book *b;
    const style *s;
    const fontset *fs;
    para_ctx pc;
    diag *d;
    doc_layout *out;
    arena *a;             /* where this stage's data lives */
    vitem *v;
    size_t n, cap;
    double measure, area_h;
    double size, lh;      /* body size, line height */
    /* current chapter */
    int chapter;
    const char *file;
    int line; /* where the text of text_line and one_line is given, if not in a chapter */
    rgb accent;
} lay;

/* A tag or list label: of no height, looked through by page breaking. */
static inline int transparent(const vitem *v)
{
    return v->k == V_TAG_OPEN || v->k == V_TAG_CLOSE || v->k == V_LABEL;
}

/* A growing array of spans (the caller frees v). */
typedef struct spanlist {
    span *v;
    int n;                /* an int: what para_break takes */
    size_t cap;
} spanlist;

/* The inline style in force while collecting spans. */
typedef struct istate {
    int bold, italic, mono, heading;
    int strike; /* inside ~~strikethrough~~ */
    double size;
    rgb color;
    const anno *link;
} istate;

/* One page: a range of a chapter's vertical list. */
typedef struct pbreak {
    size_t start, end;   /* items [start, end) on the page */
    break_reason reason; /* why it ends at end (trace.h) */
} pbreak;

/* Dropped at the top of a page. */
static inline int discardable(const vitem *v)
{
    return v->k == V_SPACE || v->k == V_PENALTY;
}

/* ---- inline.c ---- */

/* Collects the inline content of block into sl (grown with GROW; the caller
 * frees sl->v), starting from the style base. Span texts point
 * into the block's nodes or into L's arena. */
void inline_spans(lay *L, cmark_node *block, istate base, spanlist *sl);

/* A span of text in one font, size and colour, from no source node. */
span text_span(const char *text, size_t len, int font, double size, rgb color);

/* ---- blocks.c ---- */

/* Paragraph options for text measure wide, aligned al, hyphenated if
 * hyphen, in the book's language, with L's file for warnings. */
para_opts popts(lay *L, double measure, align_mode al, int hyphen);

/* Appends chapter ci's vertical list to L->v: a new page, the chapter's
 * opening, then its blocks inside a Sect tag. */
void chapter_blocks(lay *L, int ci);

/* The destination at chapter ci's opening ("_ch3", in L's arena). */
const char *chapter_anchor(lay *L, int ci);

/* Where links to chapter ci land: its title's id, or its anchor. */
const char *chapter_dest(lay *L, int ci);

/* Chapter ch's accent colour: its theme's, or the style's (ch NULL too). */
rgb chapter_accent(const lay *L, const chapter *ch);

/* Breaks the single span sp into lines of the measure, aligned al, without
 * hyphens; line is the source line for warnings (0: none). Returns the
 * line count and the lines in *out (in L's arena). */
int break_span(lay *L, const span *sp, double measure, align_mode al, int line, pline **out);

/* ---- pages.c ---- */

/* Cuts L's vertical list into pages; returns them (the caller frees) and
 * their count in *npages. */
pbreak *build_pages(lay *L, size_t *npages);

/* ---- emit.c ---- */

/* Appends a page of kind k (chapter chap, -1 for front matter) to
 * d->pages and returns it, empty. */
page *new_page(doc_layout *d, page_kind k, int chap);

/* Adds a structure tag (open or close) to pg; alt may be NULL. */
void ptag(page *pg, int open, const char *tag, const char *alt);

/* Adds line ln to pg at x = ox with its baseline at baseline: its glyph
 * runs and images, links around the runs of a link. */
void emit_line(lay *L, page *pg, const pline *ln, double ox, double baseline);

/* The text area's left and top edges on the page. */
double margin_left(const lay *L);
double margin_top(const lay *L);

/* Adds the items [s, e) of L's vertical list to pg. */
void emit_vitems(lay *L, page *pg, size_t s, size_t e);

/* Adds the running foot to a body or table of contents page (other pages
 * have none). */
void page_foot(lay *L, page *pg);

/* ---- front.c ---- */

/* The printed label of front matter page n (1-based): "i", "ii" ... "xx",
 * then digits (in a). */
const char *roman(arena *a, int n);

/* Fills L->out's outline: each chapter, then its headings nested by
 * level. */
void build_outline(lay *L);

/* Lays out the title page on pg. */
void title_page(lay *L, page *pg);

/* Appends the table of contents' pages to L->out->pages. dests maps each
 * destination to its body page index + 1; body_labels are the body pages'
 * labels. */
void toc_pages(lay *L, const strmap *dests, const char *const *body_labels);

#endif
