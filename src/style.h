/* style — the book's design (styles/style.yaml), read once and used by both
 * back ends: the EPUB style sheet is styles/epub.css with its
 * var(--section-key) references replaced by these values; the PDF layout
 * reads the typed fields.
 *
 * Values: font files (must exist in the fonts folder), colours (#RRGGBB),
 * lengths (pt, mm, cm, in, or em = times the body size), plain numbers, and
 * the paper keyword (a4, a5). Unknown keys, wrong units and missing font
 * files are errors at file:line:col.
 */
#ifndef GB_STYLE_H
#define GB_STYLE_H

#include "diag.h"
#include "util.h"

typedef enum {
    FONT_BODY, FONT_BODY_ITALIC, FONT_BODY_BOLD, FONT_BODY_BOLD_ITALIC,
    FONT_HEADING, FONT_HEADING_REGULAR, FONT_HEADING_ITALIC, FONT_MONO,
    FONT_COUNT
} font_role;

typedef struct length {
    double v;   /* in points, or in em when em is set */
    int em;
} length;

typedef struct rgb {
    double r, g, b; /* 0..1 */
} rgb;

#define STYLE_THEMES 9

typedef struct style {
    const char *font_file[FONT_COUNT];   /* file names in the fonts folder */
    const char *font_path[FONT_COUNT];   /* full paths */
    const char *font_family[FONT_COUNT]; /* family names read from the files */
    rgb text, muted, accent, link, rule, code_bg;
    rgb theme[STYLE_THEMES];
    int ntheme;                           /* themes defined */
    double size;                          /* body size, pt */
    double leading;                       /* line height / size */
    length par_indent, par_space, list_indent, quote_indent, code_size;
    length h_size[4];                     /* h1..h4 (h5, h6 as h4) */
    length h_before, h_after;
    const char *paper;                    /* "a4" or "a5" */
    double page_w, page_h;                /* pt */
    length margin_top, margin_bottom, margin_inner, margin_outer;
    /* the style sheet with values filled in (owned by the arena) */
    const char *css;
    size_t css_len;
    /* raw values by CSS variable name, for the style sheet */
    const char **var_names, **var_values;
    int nvars;
    /* where each property was set (style_check's messages): line 0 = not set */
    const char *file;
    int prop_line[48], prop_col[48];
} style;

/* Loads dir/style.yaml and dir/epub.css, checking font files in fonts_dir.
 * Strings live in arena a. Returns 0, or -1 after reporting errors to d. */
int style_load(style *s, const char *dir, const char *fonts_dir, arena *a, diag *d);

/* Checks the values against each other for the paper in use (call after
 * style_set_paper): a text area of at least 12 em by 8 lines, heading and
 * code sizes whose line fits a third of the text height and a letter a
 * quarter of its width, a paragraph indent under half the width, heading
 * spaces under half the height. Returns 0, or -1 after reporting each
 * problem at the style key that causes it (style.yaml:LINE:COL). */
int style_check(const style *s, diag *d);

/* Converts a length to points for body size `size`. */
double style_pt(length l, double size);

/* Sets the paper size ("a4"/"a5"); returns -1 for an unknown name. */
int style_set_paper(style *s, const char *paper);

#endif
