/* image — recognising image files and reading their size without decoding.
 *
 * Only the formats both outputs support are accepted: PNG, JPEG and SVG.
 * The check is about the container (signature, header, declared size,
 * truncation of the header); decoding problems of the pixel data are found
 * when the PDF back end decodes the image.
 */
#ifndef GB_IMAGE_H
#define GB_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAX_PIXELS (100u * 1000u * 1000u) /* 100 megapixels */
#define IMAGE_MAX_SIDE 30000

typedef struct image_info {
    const char *media_type; /* static string */
    int width, height;      /* pixels; for SVG its size in CSS px, 0 if unknown */
} image_info;

/* Looks at the bytes of an image file. Returns NULL and fills *info if it is
 * a PNG or JPEG of sane dimensions, or an SVG (any XML: its size is 0 here,
 * see image_svg_size), else a static message saying what
 * is wrong (unsupported format, truncated, absurd dimensions). */
const char *image_probe(const char *data, size_t len, image_info *info);

/* The size of an SVG from its root element's width, height and viewBox
 * attributes ("" when absent): NULL and info filled, or a static message
 * when no size can be had or it is absurd. */
const char *image_svg_size(const char *width, const char *height, const char *viewbox, image_info *info);

/* The number of colour components of a JPEG (1, 3, 4: CMYK), 0 if its
 * frame header is not found. */
int image_jpeg_components(const char *data, size_t len);

/* Decodes a JPEG (libjpeg) to pixels 0x00RRGGBB, row after row, *width x
 * *height (cairo's RGB24 layout with a stride of 4 * width). CMYK is
 * converted to RGB, Adobe's inverted CMYK (APP14 marker) as such. Returns
 * a new array (caller frees) or NULL with *why (static or thread-local).
 * Thread-safe. */
uint32_t *image_jpeg_decode_rgb(const char *data, size_t len, int *width, int *height, const char **why);

#endif
