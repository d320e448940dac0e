/* para_int — the stages of para_break and the data they pass on; only
 * para.c, items.c and lines.c include this.
 *
 *   para.c   joins the spans into one text T, finds its break opportunities
 *            (libunibreak), chooses the breaker's settings and the breaks
 *            (kp), and frees everything;
 *   items.c  T and its break opportunities -> shaped segments and kp items
 *            (boxes, glue, penalties), each with the piece it stands for;
 *   lines.c  items, pieces and the chosen breaks -> lines of glyph runs,
 *            with the text of a hyphenated word moved to its second line.
 *
 * Everything in a builder belongs to it (builder_free) except c, o and sp,
 * which are the caller's, and the lines, which live in c->a.
 */
#ifndef GB_PARA_INT_H
#define GB_PARA_INT_H

#include "base/util.h"
#include "text/kp.h"
#include "text/para.h"

/* Stretch of the glue that ends a paragraph or a forced line (infinite:
 * >= KP_FILL). */
#define FILL_STRETCH 1e7

/* Stretch of ragged text's line-end glue, in ems: the classic glue(0,+S)
 * penalty glue(w,-S) trick lets one total-fit breaker set ragged lines. */
#define RAGGED_STRETCH_EM 3.0

/* A run of one word in one span and one font, shaped once. */
typedef struct seg {
    size_t t0, t1;     /* range in T */
    int span;
    int font;          /* effective font role */
    shaped sh;         /* a copy of the cache's arrays when owned is 0 */
    int owned;
} seg;

/* What an item draws. */
typedef enum piece_kind {
    PIECE_NONE,        /* glue or penalty: nothing (a penalty may add a hyphen) */
    PIECE_GLYPHS,      /* box: glyphs g0..g1 of segment seg */
    PIECE_SPACE,       /* ragged text's word space: drawn as its width, and
                          a space in the text even at a line end */
    PIECE_IMAGE,       /* box: the image of span `span` */
} piece_kind;

typedef struct piece { /* what a kp item stands for */
    piece_kind kind;
    int seg;           /* PIECE_GLYPHS: segment and glyph range */
    int g0, g1;
    int span;          /* PIECE_IMAGE */
    int hyph;          /* penalty: a hyphenation break (draw a hyphen) */
    int post_drop;     /* penalty: the next line's first letter loses its diaeresis */
    int font;          /* hyphen font */
    double size;
    tstyle st;
} piece;

typedef struct builder {
    para_ctx *c;
    const para_opts *o;
    const span *sp;
    int nsp;
    buf T;             /* the paragraph's text */
    int *span_at;      /* span index of each byte of T */
    size_t *span_start;
    seg *segs;
    size_t nsegs, capsegs;
    kp_item *items;    /* items[i] stands for pieces[i] */
    piece *pieces;
    size_t n, cap_items, cap_pieces;
    arena tmp;         /* the lines' pieces before they are joined into runs */
} builder;

/* items.c: appends the items of the whole text T (brks: its break
 * opportunities, para_linebreaks), ending with the paragraph's forced
 * break. */
void para_items(builder *b, const char *brks);

/* lines.c: the lines of res's breaks over b's items, in b->c->a (count
 * res->nlines). */
pline *para_lines(builder *b, const kp_result *res);

/* A kp item (items.c; para.c's window ends use it too). */
kp_item para_item(kp_type t, double w, double st, double sh, double pen, int flagged);
/* The OpenType features a segment of font role `font` is shaped with. */
const char *para_features(const para_ctx *c, int font, int code, int tabular);

#endif
