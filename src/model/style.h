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

#include "base/diag.h"
#include "base/util.h"

struct hb_blob_t;

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

/* Limits of the style's files (documented in README.md). */
#define STYLE_MAX_FILE (1u << 20)  /* style.yaml, epub.css */
#define FONT_MAX_FILE (64u << 20)  /* one font file */

typedef struct style {
    const char *file;                    /* style.yaml, as messages name it */
    const char *font_file[FONT_COUNT];   /* file names in the fonts folder */
    const char *font_path[FONT_COUNT];   /* full paths */
    const char *font_family[FONT_COUNT]; /* family names read from the files */
    /* the font files' bytes, read once and checked (FreeType opens them,
     * they have glyphs, a Unicode cmap, a readable .notdef); shared by
     * roles that name the same file; owned by the style (style_free),
     * fonts_load takes references */
    struct hb_blob_t *font_blob[FONT_COUNT];
    int font_line[FONT_COUNT], font_col[FONT_COUNT]; /* the value in style.yaml */
    rgb text, muted, accent, link, rule, code_bg;
    rgb theme[STYLE_THEMES];
    int ntheme;                           /* themes defined */
    double size;                          /* body size, pt */
    double leading;                       /* line height / size */
    length par_indent, par_space, list_indent, quote_indent, code_size;
    length h_size[4];                     /* h1..h4 (h5, h6 as h4) */
    length h_before, h_after;
    length note_size, note_rule;          /* footnotes: text size, length of the rule above them */
    const char *paper;                    /* "a4" or "a5" */
    double page_w, page_h;                /* pt */
    length margin_top, margin_bottom, margin_inner, margin_outer;
    length table_size, table_pad, table_rule; /* table text size, cell padding, rule width */
    /* the style sheet with values filled in (owned by the arena) */
    const char *css;
    size_t css_len;
    /* raw values by CSS variable name, for the style sheet */
    const char **var_names, **var_values;
    int nvars;
    /* where each property was set (style_check's messages, in file):
     * line 0 = not set */
    int prop_line[48], prop_col[48];
} style;

/* Loads dir/style.yaml and dir/epub.css, checking font files in fonts_dir.
 * Every file is read through path_read: a symbolic link that leads out of
 * its folder (dir for the style, fonts_dir for the fonts) is an error.
 * Strings live in arena a; the font bytes until style_free (call it also
 * after a failure). Returns 0, or -1 after reporting errors to d. */
int style_load(style *s, const char *dir, const char *fonts_dir, arena *a, diag *d);
void style_free(style *s);

/* The role's key as style.yaml writes it ("fonts: body-italic"). */
const char *style_font_key(int role);

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
