/* epub — the EPUB 3 package: OPF, navigation document, NCX, title page,
 * chapters, style sheet, fonts and images, zipped with libzip in memory
 * (mimetype first and stored, fixed timestamps: byte-reproducible). */
#ifndef GB_EPUB_H
#define GB_EPUB_H

#include <stddef.h>

#include "model/book.h"
#include "layout/pagemap.h"
#include "model/style.h"

/* The embedded fonts, subset ahead of the EPUB (they take most of its
 * time and need only the characters, not the page numbers): to the
 * characters of the book's sources, its metadata and goodiebag's own
 * words. epub_build checks that they cover every character it writes and
 * subsets again (deterministically, to the union) when they do not. */
typedef struct epub_fonts {
    struct cpset *cps;
    char *data[FONT_COUNT]; /* NULL for a role that shares an earlier role's file */
    size_t len[FONT_COUNT];
} epub_fonts;

/* Subsets the style's fonts for book b into *f, which the caller owns
 * (until it hands them to epub_build). Returns 0, or -1 (then f holds
 * nothing and epub_build does the work itself). */
int epub_fonts_prepare(const book *b, const style *s, epub_fonts *f);
/* Frees what f holds and leaves it empty. */
void epub_fonts_free(epub_fonts *f);

/* What the EPUB takes from the rest of the build; nothing here changes
 * hands. */
typedef struct epub_extra {
    const pagemap *pages;     /* print page markers, or NULL */
    const char *cover_png;    /* the cover image (PNG or JPEG bytes), or NULL */
    size_t cover_len;
    const char *cover_type;   /* its media type: "image/png" (default) or "image/jpeg" */
    /* Or, when cover_png is NULL: a PNG cover still being made, fetched
     * only when the archive is written (the rest of the work overlaps
     * it). Returns the bytes (still owned by the caller) or NULL. */
    const char *(*cover_wait)(void *ctx, size_t *len);
    void *cover_ctx;
    int cover_w, cover_h;
    const char *print_source; /* dc:source for the page list ("... PDF"), or NULL */
} epub_extra;

/* Builds the EPUB of book b with style s. fonts, the fonts subset ahead
 * (epub_fonts_prepare) or NULL, is handed over: epub_build moves the
 * subsets it uses into the archive, frees the rest and leaves *fonts
 * empty, whatever it returns. Returns 0 and a new buffer in *out (caller
 * frees) of *len bytes, or -1 after reporting to d. */
int epub_build(const book *b, const style *s, const epub_extra *x, epub_fonts *fonts, char **out, size_t *len,
               diag *d);

#endif
