/* pngenc — a PNG writer for artwork drawn with cairo (the EPUB cover): RGB,
 * 8 bits per channel, no alpha. Built for speed on flat images: rows equal
 * to the row above cost a few bytes and almost no time. */
#ifndef GB_PNGENC_H
#define GB_PNGENC_H

#include <stddef.h>

/* Encodes w x h pixels in cairo's CAIRO_FORMAT_RGB24 layout (32 bits per
 * pixel, native-endian 0x00RRGGBB, rows `stride` bytes apart) as a PNG.
 * Returns a new buffer (caller frees) of *len bytes, or NULL if zlib
 * fails. w and h must be at least 1. */
char *png_encode_rgb24(const unsigned char *px, int w, int h, int stride, size_t *len);

#endif
