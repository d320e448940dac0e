/* paint — see paint.h. */
#include "draw/paint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw/pngenc.h"
#include "draw/svg.h"
#include "model/book.h"
#include "model/image.h"

/* Glyph runs are batched: consecutive runs on one baseline in the same
 * font, size and colour become one cairo_show_text_glyphs call. cairo's
 * PDF surface analyses every drawing operation of a page against a region
 * of the operations before it, which costs time quadratic in the number of
 * operations per page; one call per line instead of one per word keeps
 * that small. */
typedef struct batch {
    cairo_glyph_t *g;
    cairo_text_cluster_t *c;
    buf text;
    int ng, nc;
    size_t capg, capc;
    const pitem *first; /* font, size, colour and baseline of the batch */
} batch;

static void batch_flush(cairo_t *cr, const fontset *fs, batch *bt)
{
    if (!bt->first || bt->ng == 0) {
        bt->first = NULL;
        bt->ng = bt->nc = 0;
        bt->text.len = 0;
        return;
    }
    const pitem *it = bt->first;
    cairo_set_font_face(cr, fs->f[it->font].cairo);
    cairo_set_font_size(cr, it->size);
    cairo_set_source_rgb(cr, it->color.r, it->color.g, it->color.b);
    cairo_show_text_glyphs(cr, bt->text.data ? bt->text.data : "", (int)bt->text.len, bt->g, bt->ng, bt->c, bt->nc,
                           0);
    bt->first = NULL;
    bt->ng = bt->nc = 0;
    bt->text.len = 0;
}

static int same_style(const pitem *a, const pitem *b)
{
    return a->font == b->font && a->size == b->size && a->y == b->y && a->color.r == b->color.r &&
           a->color.g == b->color.g && a->color.b == b->color.b;
}

static void batch_add(cairo_t *cr, const fontset *fs, batch *bt, const pitem *it)
{
    if (it->ng <= 0)
        return;
    if (bt->first && !same_style(bt->first, it))
        batch_flush(cr, fs, bt);
    if (!bt->first)
        bt->first = it;
    GROW(bt->g, bt->capg, (size_t)(bt->ng + it->ng));
    GROW(bt->c, bt->capc, (size_t)(bt->nc + it->ncl));
    for (int i = 0; i < it->ng; i++) {
        cairo_glyph_t *g = &bt->g[bt->ng++];
        g->index = it->g[i].id;
        g->x = it->x + it->g[i].x;
        g->y = it->y + it->g[i].y;
    }
    for (int i = 0; i < it->ncl; i++) {
        bt->c[bt->nc].num_bytes = it->cl[i].bytes;
        bt->c[bt->nc].num_glyphs = it->cl[i].glyphs;
        bt->nc++;
    }
    buf_add(&bt->text, it->text, (size_t)it->text_len);
}

typedef struct memread {
    const unsigned char *p;
    size_t left;
} memread;

static cairo_status_t read_cb(void *closure, unsigned char *data, unsigned int len)
{
    memread *m = closure;
    if (len > m->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, m->p, len);
    m->p += len;
    m->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

/* A JPEG decoded to RGB as a cairo surface that owns its pixels. */
static cairo_surface_t *jpeg_surface(const resource *r, const char **why)
{
    int w = 0, h = 0;
    uint32_t *px = image_jpeg_decode_rgb(r->data, r->len, &w, &h, why);
    if (!px)
        return NULL;
    cairo_surface_t *img =
        cairo_image_surface_create_for_data((unsigned char *)px, CAIRO_FORMAT_RGB24, w, h, w * 4);
    static const cairo_user_data_key_t key;
    cairo_surface_set_user_data(img, &key, px, free);
    return img;
}

/* Decoded images, kept for their later uses: an image used N times is
 * decoded once and embedded once (cairo writes one image object per
 * unique id). What the cache holds is bounded: past PDF_IMAGE_CACHE bytes
 * of pixels the images decoded before are let go (cairo keeps its own
 * reference until the page that shows them is written), so a book of many
 * large images holds about one at a time, not all. */
#define PDF_IMAGE_CACHE (512u << 20)

typedef struct surf_cache {
    const resource *res;
    cairo_surface_t *img;
    size_t bytes;
} surf_cache;

static size_t surface_bytes(cairo_surface_t *img, const resource *r)
{
    return (size_t)cairo_image_surface_get_stride(img) * (size_t)cairo_image_surface_get_height(img) + r->len;
}

/* The surface of raster image r (a reference the cache owns), or NULL
 * after reporting an error. */
static cairo_surface_t *image_surface(surf_cache **cache, size_t *n, size_t *cap, const resource *r, diag *d)
{
    for (size_t i = 0; i < *n; i++)
        if ((*cache)[i].res == r)
            return (*cache)[i].img;
    cairo_surface_t *img = NULL;
    const char *why = NULL;
    if (!strcmp(r->media_type, "image/png")) {
        memread m = {(const unsigned char *)r->data, r->len};
        img = cairo_image_surface_create_from_png_stream(read_cb, &m);
    } else if (image_jpeg_components(r->data, r->len) == 4) {
        /* CMYK: cairo 1.16 writes a 4-component JPEG without the /Decode
         * that Adobe's inverted CMYK needs (it prints as a negative), so
         * it is decoded to RGB here; the EPUB keeps the file */
        img = jpeg_surface(r, &why);
    } else {
        /* JPEG: cairo cannot decode it, but the PDF takes the original
         * bytes (MIME data) as a DCT image of the declared size. */
        img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
        unsigned char *copy = xmalloc(r->len);
        memcpy(copy, r->data, r->len);
        cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_JPEG, copy, r->len, free, copy);
    }
    if (!img || cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        if (d)
            diag_error(d, r->use_file, r->use_line, r->use_col, "image '%s': cannot decode it: %s", r->src,
                   why ? why : "its data is corrupt");
        if (img)
            cairo_surface_destroy(img);
        img = NULL;
    }
    if (img) {
        /* the same image object for every surface of this resource (cairo
         * writes an image once per unique id) */
        char *id = xasprintf("goodiebag-image-%p", (const void *)r);
        cairo_surface_set_mime_data(img, CAIRO_MIME_TYPE_UNIQUE_ID, (const unsigned char *)id, strlen(id), free, id);
    }
    size_t bytes = img ? surface_bytes(img, r) : 0, held = 0;
    for (size_t i = 0; i < *n; i++)
        held += (*cache)[i].bytes;
    if (held + bytes > PDF_IMAGE_CACHE) {
        size_t k = 0;
        for (size_t i = 0; i < *n; i++) {
            if ((*cache)[i].bytes == 0)
                (*cache)[k++] = (*cache)[i]; /* failed images: reported once */
            else if ((*cache)[i].img)
                cairo_surface_destroy((*cache)[i].img);
        }
        *n = k;
    }
    GROW(*cache, *cap, *n + 1);
    (*cache)[(*n)++] = (surf_cache){r, img, bytes};
    return img;
}

static void draw_image(cairo_t *cr, const pitem *it, surf_cache **cache, size_t *n, size_t *cap, diag *d)
{
    const resource *r = it->res;
    cairo_save(cr);
    if (!strcmp(r->media_type, "image/svg+xml")) {
        char why[512];
        /* the sanitised drawing without its links (librsvg would add link
         * annotations that no link description matches) */
        const char *svg = r->draw ? r->draw : r->data;
        size_t svg_len = r->draw ? r->draw_len : r->len;
        if (svg_draw(cr, svg, svg_len, it->x, it->y, it->w, it->h, why, sizeof why) != 0 && d)
            diag_error(d, r->use_file, r->use_line, r->use_col, "image '%s': %s", r->src, why);
    } else {
        cairo_surface_t *img = image_surface(cache, n, cap, r, d);
        if (img) {
            double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
            cairo_translate(cr, it->x, it->y);
            cairo_scale(cr, it->w / iw, it->h / ih);
            cairo_set_source_surface(cr, img, 0, 0);
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
            cairo_rectangle(cr, 0, 0, iw, ih);
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);
}


static void draw_mark(cairo_t *cr, const pitem *it)
{
    /* a small hooked arrow: the wrapped code line continues here */
    double x = it->x, y = it->y - it->h * 0.35, w = it->w, h = it->h;
    cairo_save(cr);
    cairo_set_source_rgb(cr, it->color.r, it->color.g, it->color.b);
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, x, y - h * 0.6);
    cairo_line_to(cr, x, y);
    cairo_line_to(cr, x + w, y);
    cairo_stroke(cr);
    cairo_move_to(cr, x + w, y);
    cairo_line_to(cr, x + w - h * 0.35, y - h * 0.3);
    cairo_line_to(cr, x + w - h * 0.35, y + h * 0.3);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_restore(cr);
}

/* A filled disc inscribed in the item's box. */
static void draw_disc(cairo_t *cr, const pitem *it)
{
    cairo_set_source_rgb(cr, it->color.r, it->color.g, it->color.b);
    cairo_arc(cr, it->x + it->w / 2, it->y + it->h / 2, it->w / 2, 0, 2 * M_PI);
    cairo_fill(cr);
}

struct painter {
    cairo_t *cr;
    const fontset *fs;
    diag *d;
    batch bt;
    surf_cache *images;   /* decoded raster images, each once */
    size_t nimages, capimages;
};

painter *paint_new(cairo_t *cr, const fontset *fs, diag *d)
{
    painter *p = xcalloc(1, sizeof *p);
    p->cr = cr;
    p->fs = fs;
    p->d = d;
    return p;
}

int paint_paints(pitem_kind k)
{
    return k == PI_GLYPHS || k == PI_RULE || k == PI_MARK || k == PI_IMAGE || k == PI_DISC;
}

void paint_flush(painter *p)
{
    batch_flush(p->cr, p->fs, &p->bt);
}

void paint_item(painter *p, const pitem *it)
{
    cairo_t *cr = p->cr;
    if (it->kind != PI_GLYPHS)
        paint_flush(p);
    switch (it->kind) {
    case PI_GLYPHS:
        batch_add(cr, p->fs, &p->bt, it);
        break;
    case PI_RULE:
        cairo_set_source_rgb(cr, it->color.r, it->color.g, it->color.b);
        cairo_rectangle(cr, it->x, it->y, it->w, it->h);
        cairo_fill(cr);
        break;
    case PI_DISC:
        draw_disc(cr, it);
        break;
    case PI_MARK:
        draw_mark(cr, it);
        break;
    case PI_IMAGE:
        draw_image(cr, it, &p->images, &p->nimages, &p->capimages, p->d);
        break;
    case PI_LINK:
    case PI_DEST:
    case PI_TAG_OPEN:
    case PI_TAG_CLOSE:
        break;
    }
}

void paint_free(painter *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nimages; i++)
        if (p->images[i].img)
            cairo_surface_destroy(p->images[i].img);
    free(p->images);
    free(p->bt.g);
    free(p->bt.c);
    buf_free(&p->bt.text);
    free(p);
}

char *paint_png(const page *pg, const fontset *fs, int w, int h, size_t *len)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(img);
    painter *p = paint_new(cr, fs, NULL);
    for (size_t i = 0; i < pg->n; i++)
        paint_item(p, &pg->items[i]);
    paint_flush(p);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    char *out = NULL;
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS)
        out = png_encode_rgb24(cairo_image_surface_get_data(img), w, h, cairo_image_surface_get_stride(img), len);
    cairo_surface_destroy(img);
    paint_free(p);
    return out;
}
