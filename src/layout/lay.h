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
typedef enum { V_LINE, V_SPACE, V_PENALTY, V_NEWPAGE, V_IMAGE, V_RULE, V_TAG_OPEN, V_TAG_CLOSE, V_LABEL, V_ROW } vkind;

/* A table row laid out (table.c): one vitem (V_ROW) of the row's height. */
typedef struct tcell {
    const pline *lines;   /* the cell's text set in its column */
    int nl;
    double x, w;          /* the column's text: left edge (from the row's x), width */
    char align;           /* 'l', 'c', 'r' */
} tcell;

typedef struct trow {
    tcell *cells;
    int ncells;
    int header;           /* a header row (TH cells) */
    double h;             /* the row's height */
    double line_h, base, pad; /* line height, first baseline below the text top, padding */
    double width;         /* the table's width */
    double rule;          /* the rule under the row */
    const struct trow *const *head; /* body rows: the header rows, repeated on a new page */
    int nhead;
    double head_h;        /* their height */
} trow;

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
    int note;             /* a line of footnote number `note` (L->fv), else 0 */
    const trow *row;      /* V_ROW: the row */
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
    /* the chapter's footnotes, laid out (footnotes.c): their lines in
     * number order, note k's lines [note_first[k - 1], note_first[k]);
     * fv is malloc'd, owned with v */
    vitem *fv;
    size_t fn, fcap;
    size_t *note_first;   /* nnotes + 1 entries, in L's arena; NULL: no notes */
    int nnotes;
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
    size_t ns, ne;       /* footnote lines [ns, ne) of L->fv at its foot */
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

/* Appends an item of kind k (zeroed, in the current chapter) to L->v. */
vitem *vadd(lay *L, vkind k);

/* Appends a space of height h (none if h <= 0). */
void vspace(lay *L, double h);

/* Appends a penalty p. */
vitem *vpenalty(lay *L, double p);

/* Appends a structure tag (open or close); tag is not copied. */
void vtag(lay *L, int open, const char *tag);

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

/* ---- table.c ---- */

/* Appends GFM table n (and its caption, if it has one) at indent: the
 * Table element, the caption above the table kept with it, one V_ROW per
 * row with page breaks between rows weighed like lines (two rows kept
 * together at each end). A row taller than the text area is set as its
 * cells' lines one below the other instead, which breaks between lines. */
void table_block(lay *L, double indent, cmark_node *n);

/* Appends the sanitised raw HTML table el (from HTML block src) as
 * table_block does, its cells' text without inline formatting (the rows
 * of thead, tbody, tfoot and the table itself; a row of th cells first in
 * the table, or in thead, is a header row; columns aligned left: the
 * sanitiser keeps no align). Returns 0, adding nothing, when el is not a table of cells. */
int table_html(lay *L, double indent, struct _xmlNode *el, cmark_node *src);

/* For an item that starts a page: the height of the header rows repeated
 * above it (a body row of a table whose header is on an earlier page),
 * else 0. */
double table_repeat_h(const lay *L, size_t i);

/* The first line of row r's first cell that has text (its source marks
 * the page for the EPUB's page list), or NULL. */
const pline *table_row_line(const trow *r);

/* Adds row v at (x, y) to pg, in TR and TH/TD elements; artifact: a
 * repeated header row, drawn as decoration without elements. */
void table_emit_row(lay *L, page *pg, const trow *r, double x, double y, int artifact);

/* ---- pages.c ---- */

/* Cuts L's vertical list into pages; returns them (the caller frees) and
 * their count in *npages. */
pbreak *build_pages(lay *L, size_t *npages);

/* ---- footnotes.c ---- */

/* Marks are set this much smaller than their text and raised by this
 * part of its size. */
#define NOTE_MARK_SIZE 0.62
#define NOTE_MARK_RISE 0.36
/* The notes of a page take at most this part of the text height; a longer
 * note continues at the next page's foot. */
#define NOTE_FOOT_MAX 0.6

/* Lays out chapter ci's footnotes into L->fv (each in the note size at
 * the measure, its number first, linked back to its first mark). */
void notes_lay_out(lay *L, int ci);

/* The notes whose first mark is on item v, the one place the page builder
 * learns of them: numbers *lo..*hi (consecutive, as notes are numbered by
 * first mark). Returns 0 when there are none. Reads v's line; an item
 * made of several lines (a table row) must be added here. */
int vitem_notes(const vitem *v, int *lo, int *hi);

/* The room footnote lines [s, e) take at a page's foot: their heights
 * and the space with the rule above them (0 for none). */
double notes_height(const lay *L, size_t s, size_t e);

/* Adds footnote lines [s, e) to pg at the foot of the text area, under a
 * short rule, each note tagged as a Note. */
void emit_notes(lay *L, page *pg, size_t s, size_t e);

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
