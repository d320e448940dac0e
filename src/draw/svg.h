/* svg — draws SVG images with librsvg, which is loaded on first use
 * (dlopen): most books have no SVG, and linking librsvg would cost every
 * run the start-up of its twenty-odd libraries (GLib, GIO, Pango...). */
#ifndef GB_SVG_H
#define GB_SVG_H

#include <cairo.h>
#include <stddef.h>

/* Draws the SVG document data[0..len) scaled into the rectangle (x, y, w,
 * h) of cr. Returns 0, or -1 with a message in err (at most errlen bytes,
 * NUL-terminated). Thread-safe. */
int svg_draw(cairo_t *cr, const char *data, size_t len, double x, double y, double w, double h, char *err,
             size_t errlen);

#endif
