/* epub — the EPUB 3 package: OPF, navigation document, NCX, title page,
 * chapters, style sheet, fonts and images, zipped with libzip in memory
 * (mimetype first and stored, fixed timestamps: byte-reproducible). */
#ifndef GB_EPUB_H
#define GB_EPUB_H

#include <stddef.h>

#include "book.h"
#include "pagemap.h"
#include "style.h"

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

/* Builds the EPUB of book b with style s. Returns 0 and a new buffer in
 * *out (caller frees) of *len bytes, or -1 after reporting to d. */
int epub_build(const book *b, const style *s, const epub_extra *x, char **out, size_t *len, diag *d);

#endif
