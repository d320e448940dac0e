/* font — the book's fonts, loaded once from the fonts folder (never system
 * fonts): FreeType faces for cairo's PDF embedding, HarfBuzz fonts (its own
 * OpenType functions, immutable after loading, so shaping is thread-safe)
 * for shaping with kerning and ligatures. */
#ifndef GB_FONT_H
#define GB_FONT_H

#include <cairo.h>
#include <hb.h>
#include <stdint.h>

#include "base/diag.h"
#include "model/style.h"

/* A shaped glyph of a run, and how glyphs map back to the run's text:
 * what lines (para) hold and pages (layout/page.h) pass to the drawing. */
typedef struct pglyph {
    uint32_t id;
    float x, y; /* relative to the run's origin */
} pglyph;

typedef struct pcluster {
    int bytes, glyphs; /* as cairo_text_cluster_t */
} pcluster;

typedef struct font_health font_health;

typedef struct gb_font {
    void *ft_face;              /* FT_Face, made from the bytes of blob */
    hb_blob_t *blob;            /* a reference to the style's font bytes */
    hb_font_t *hb;
    font_health *health;        /* which glyphs could be read (see shape) */
    cairo_font_face_t *cairo;
    double upem;                /* units per em */
    double ascender, descender; /* em fractions (descender negative) */
    double cap_height, x_height;
    int has_onum, has_pnum, has_tnum, has_lnum;
} gb_font;

typedef struct fontset {
    void *ft_lib;               /* the FT_Library, counted (font.c) */
    gb_font f[FONT_COUNT];
} fontset;

/* Loads every font role of the style from the bytes style_load read and
 * checked (the fontset keeps its own references: it may outlive the
 * style). Returns 0, or -1 after reporting to d. fonts_free releases (also
 * after a failure). */
int fonts_load(fontset *fs, const style *s, diag *d);
void fonts_free(fontset *fs);

/* Damaged glyph data. shape() checks every glyph it returns the first time
 * it meets it (HarfBuzz must be able to read its outline: cairo would embed
 * what it cannot read, or fail when the PDF is finished) and returns
 * .notdef (checked when the style was loaded) instead of a damaged one.
 * fonts_damage_reset forgets what was met in earlier builds (the state of
 * each glyph stays known); font_damaged returns 1 if shaping met a damaged
 * glyph of f since then, with the first one's glyph id and the character
 * it stood for. Thread-safe. */
void fonts_damage_reset(const fontset *fs);
int font_damaged(const gb_font *f, unsigned *gid, uint32_t *cp);

/* Returns 1 if the font has a glyph for code point cp. */
int font_has(const gb_font *f, uint32_t cp);

/* A shaped piece of text. Glyph positions are in points for the size given
 * to shape(); cluster[i] is the byte offset (in the shaped text) of the
 * character glyph i belongs to; glyphs come in text order (left to right). */
typedef struct shaped {
    uint32_t *gid;
    double *adv, *dx, *dy;
    uint32_t *cluster;
    int n;
    double width;
} shaped;

/* Shapes text[0..len) in font f at `size` points with the OpenType
 * features `features` (comma-separated, HarfBuzz syntax, or NULL).
 * Fills *out (free with shaped_free). Thread-safe. */
void shape(const gb_font *f, double size, const char *text, size_t len, const char *features,
           const char *lang, shaped *out);
void shaped_free(shaped *s);

/* A cache of shaped words: the same text in the same font, size and
 * features is shaped once per build (books repeat their words). Not
 * thread-safe: one cache per thread. Results stay owned by the cache. */
typedef struct shape_cache shape_cache;

shape_cache *shape_cache_new(void);
/* Returns the shaping of text (as shape() would compute it), from the cache
 * or newly computed; the result lives until shape_cache_free. */
const shaped *shape_cached(shape_cache *c, const gb_font *f, int font_id, double size, const char *text,
                           size_t len, const char *features, const char *lang);
void shape_cache_free(shape_cache *c);

/* Advance width in points of a single character (0 if missing). */
double font_advance(const gb_font *f, double size, uint32_t cp);

#endif
