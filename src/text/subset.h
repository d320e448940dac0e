/* subset — font subsetting for the EPUB with HarfBuzz's subsetter: only the
 * glyphs for the characters the book uses, all OpenType layout features
 * kept (kerning, ligatures, figure styles). Keeps the EPUB small for e-mail
 * and Kindle and cheap to compress. */
#ifndef GB_SUBSET_H
#define GB_SUBSET_H

#include <stddef.h>
#include <stdint.h>

/* A set of Unicode code points. */
typedef struct cpset cpset;
struct hb_blob_t;

cpset *cpset_new(void);
/* Adds every code point of a UTF-8 buffer (invalid bytes are skipped). */
void cpset_add_utf8(cpset *s, const char *text, size_t len);
void cpset_free(cpset *s);
/* Adds every code point of src to dst. */
void cpset_union(cpset *dst, const cpset *src);
/* Returns 1 if every code point of small is in big. */
int cpset_covers(const cpset *big, const cpset *small);

/* Subsets the font file (its bytes in blob, as the style read them) to the
 * code points of s. Returns a new buffer (caller frees) and its length, or
 * NULL if HarfBuzz cannot subset the font (the caller then embeds the
 * whole file). */
char *font_subset(struct hb_blob_t *blob, const cpset *s, size_t *len);

#endif
