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

#define IMAGE_MAX_PIXELS (100u * 1000u * 1000u) /* 100 megapixels */
#define IMAGE_MAX_SIDE 30000

typedef struct image_info {
    const char *media_type; /* static string */
    int width, height;      /* pixels; for SVG its size in CSS px, 0 if unknown */
} image_info;

/* Looks at the bytes of an image file. Returns NULL and fills *info if it is
 * a PNG, JPEG or SVG of sane dimensions, else a static message saying what
 * is wrong (unsupported format, truncated, absurd dimensions). */
const char *image_probe(const char *data, size_t len, image_info *info);

#endif
