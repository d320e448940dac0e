/* para — one paragraph of styled text into justified lines.
 *
 * Pipeline: spans of styled text -> break opportunities (libunibreak) and
 * hyphenation points (hyph) -> shaped boxes, glue and penalties -> kp_break
 * (total fit) -> lines of positioned glyph runs. A word hyphenated at a line
 * end gets a hyphen glyph mapped to empty text, so that text extraction
 * gives back the whole word. The stages are para.c (text, breaks), items.c
 * (items) and lines.c (lines); text/para_int.h describes what they pass.
 */
#ifndef GB_PARA_H
#define GB_PARA_H

#include <cmark-gfm.h>

#include "model/book.h"
#include "text/font.h"
#include "text/hyph.h"
#include "model/style.h"

typedef struct tstyle {
    int font;            /* font role */
    double size;
    rgb color;
    const anno *link;    /* the link this text belongs to, or NULL */
    int code;            /* inline code or code block: URL-like breaks, no hyphens */
    int tabular;         /* tabular lining figures (tables of contents) */
    double rise;         /* raised above the baseline by this much, pt (note marks) */
    int strike;          /* struck through (~~text~~): the layout draws a line */
} tstyle;

/* A piece of paragraph text in one style. text == NULL with len == 0 and
 * hard_break set stands for a forced line break. */
typedef struct span {
    const char *text;
    size_t len;
    tstyle st;
    cmark_node *src;     /* the node whose literal this is (for page marks) */
    size_t src_off;      /* byte offset of text in that literal */
    int hard_break;
    const struct resource *img; /* an image in the text (text is U+FFFC) */
    double img_w, img_h;
    const char *alt;
} span;

/* A positioned run of glyphs inside a line. */
typedef struct lrun {
    double x, w;         /* from the line's left edge */
    tstyle st;
    const char *text;
    int text_len;
    const pglyph *g;
    int ng;
    const pcluster *cl;
    int ncl;
    const struct resource *img; /* an image in the line instead of glyphs */
    double img_h;
    const char *alt;
} lrun;

typedef struct pline {
    lrun *runs;
    int nruns;
    double width;        /* width as set (measure for justified lines) */
    double size;         /* largest font size on the line */
    int hyphenated;      /* ends with an inserted hyphen */
    int wrap;            /* its paragraph holds links or images: text goes
                            in Span elements beside them (cairo marks
                            content only in leaf structure elements) */
    int last;            /* last line of its paragraph */
    cmark_node *src;     /* source of the first character */
    size_t src_off;
    double ratio;        /* adjustment ratio the breaker chose for this line
                            (kp_result.ratios): < 0 shrunk (-1 = all shrink,
                            also for an overfull line), > 0 stretched, ~0 for
                            a last line with fill glue. Ragged lines (left,
                            centred, code) are set at natural width; their
                            ratio is the breaker's view of the ragged glue.
                            0 for a paragraph that fits on one line, which
                            is set without running the breaker. */
    int kp_pass;         /* kp_result.pass of its paragraph: 1 pretolerance,
                            2 tolerance, 3 emergency stretch, 4 forced (may
                            hold overfull lines). Ragged text and code skip
                            pass 1, so they start at 2. A paragraph that fits
                            on one line reports 1 (it fits at natural width;
                            the breaker is not run). A very long paragraph,
                            broken in windows, reports its worst (highest)
                            pass. */
} pline;

typedef enum { ALIGN_JUSTIFY, ALIGN_LEFT, ALIGN_CENTER } align_mode;

typedef struct para_opts {
    double measure;      /* line width, pt */
    double first_indent; /* extra indent of the first line */
    align_mode align;
    int hyphenate;
    int code;            /* code block: break anywhere, ragged, no hyphens */
    const char *lang;
    const char *file;    /* for warnings about missing glyphs */
    int line;
} para_opts;

typedef struct para_ctx {
    const fontset *fs;
    const hyph *h;
    arena *a;            /* where lines live */
    diag *d;
    strset *warned;      /* missing characters already reported */
    shape_cache *cache;  /* shaped words, or NULL */
} para_ctx;

/* Breaks the spans into lines. Returns the number of lines and stores an
 * arena array in *out. Never fails: text that cannot be broken is broken
 * at emergency points rather than running into the margin, and running
 * out of memory exits (base/util.h). 0 lines only when kp refuses the
 * items: a measure or image width that is not finite or beyond 1e15 pt. */
int para_break(para_ctx *c, const span *sp, int nsp, const para_opts *o, pline **out);

/* Fills brks[0..len) with the line-break opportunity after each byte of
 * the UTF-8 text s (LINEBREAK_* of libunibreak; INSIDEACHAR inside a
 * character; invalid bytes count as one character each). Any text is
 * accepted (libunibreak itself aborts on regional indicators). */
void para_linebreaks(const char *s, size_t len, const char *lang, char *brks);

/* Replaces in place each noncharacter (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF)
 * by a character of the same UTF-8 length that cairo accepts (U+FFFD, or
 * U+xFFFD above the BMP): cairo refuses text with noncharacters, which
 * broke the PDF's page and structure data. */
void para_scrub(char *s, size_t len);

#endif
