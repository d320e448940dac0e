/* pdf — see pdf.h.
 *
 * cairo 1.16 workarounds (shared/notes/cairo-1.16.md): a Document structure
 * tag is open for the whole document (#487: links without structure tags
 * corrupt the xref); internal links use named destinations without
 * `internal` (#336: forward links by page number die); numbers in tag
 * attributes are printed without the locale (#347); URIs are
 * percent-encoded so parentheses and backslashes cannot break the PDF
 * string (#526); the creation date is set explicitly in UTC (cairo ignores
 * SOURCE_DATE_EPOCH).
 *
 * cairo 1.18 (CAIRO_VERSION checks below) gives the same structure with:
 * PDF 1.7 declared by cairo; pages shown late (no empty last page); the
 * running foot and what is drawn outside every element in Artifact tags;
 * a Figure's picture followed by an invisible glyph so that cairo marks it.
 */
#include "pdf/pdf.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "draw/cover.h"
#include "model/image.h"
#include "text/para.h"
#include "draw/svg.h"

#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 17, 2)
/* cairo 1.18: a tag marks the page as drawn (#357), so the Document end tag
 * after the last cairo_show_page would add an empty page: each page is
 * shown when the next one begins, the last one after that tag. */
#define PDF_LATE_SHOW_PAGE 1
#else
#define PDF_LATE_SHOW_PAGE 0
#endif
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 18, 0)
#define PDF_MARK_PICTURES 1
#define PDF_ARTIFACT_TAGS 1
#define PDF_VERSION CAIRO_PDF_VERSION_1_7 /* 1.18 declares it itself */
#else
#define PDF_MARK_PICTURES 0
#define PDF_ARTIFACT_TAGS 0
#define PDF_VERSION CAIRO_PDF_VERSION_1_5
#endif

/* cairo writes the PDF through here. cairo 1.16 can only declare PDF 1.5
 * in the header; the document is PDF 1.7 (the post-processing adds what
 * 1.7 and PDF/UA need, and the catalog's /Version), so the header we write
 * says so. Same length: no offset changes. */
static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    buf *b = closure;
    size_t at = b->len;
    buf_add(b, data, len);
    if (at < 8 && b->len >= 8 && !memcmp(b->data, "%PDF-1.", 7))
        b->data[7] = '7';
    return CAIRO_STATUS_SUCCESS;
}

/* A string for a cairo tag attribute: single quotes, backslash escapes. */
static void attr_str(buf *b, const char *s)
{
    buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *s);
    }
    buf_putc(b, '\'');
}

static void attr_uri(buf *b, const char *uri)
{
    buf enc = {0};
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7F || *p == '(' || *p == ')' || *p == '\\' || *p == '\'' || *p == '"' ||
            *p == '<' || *p == '>') {
            buf_putc(&enc, '%');
            buf_putc(&enc, hex[*p >> 4]);
            buf_putc(&enc, hex[*p & 15]);
        } else {
            buf_putc(&enc, (char)*p);
        }
    }
    attr_str(b, enc.data ? enc.data : "");
    buf_free(&enc);
}

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
        if (svg_draw(cr, svg, svg_len, it->x, it->y, it->w, it->h, why, sizeof why) != 0)
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

#if PDF_MARK_PICTURES
/* cairo 1.18 counts only text as a structure element's content
 * (cairo-pdf-interchange.c: only show_text_glyphs adds content; a tag's
 * marked content is opened only when text follows before the next tag), so
 * a Figure's picture would fall outside the Figure. An invisible glyph (the
 * body font's space, mapped to no text: an empty /ActualText) drawn after
 * the picture makes cairo mark the picture as the Figure's content. (Not
 * .notdef: poppler's structure text, which ignores /ActualText, shows it
 * as U+FFFD; the space it shows as a space.) */
static void mark_picture(cairo_t *cr, const fontset *fs, const pitem *it)
{
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(fs->f[FONT_BODY].hb, ' ', &gid))
        return;
    cairo_glyph_t g = {gid, it->x, it->y + it->h};
    cairo_text_cluster_t cl = {0, 1};
    cairo_set_font_face(cr, fs->f[FONT_BODY].cairo);
    cairo_set_font_size(cr, 1);
    cairo_show_text_glyphs(cr, "", 0, &g, 1, &cl, 1, 0);
}
#endif

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

static void pdf_date(long long t, char *out, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* What drawing the pages collects on the way. */
struct pdf_writer {
    const book *b;
    const style *s;
    const fontset *fs;
    cairo_surface_t *surf;
    cairo_t *cr;
    diag *d;
    int errors_before;    /* d's errors when the writer began */
    double w, h;
    buf pdf;              /* what cairo writes */
    pdf_info info;
    batch bt;
    buf attr;
    arena strings;        /* copies of texts the pages lend (alt, links) */
    /* what the post-processing adds: figure alternative texts and link
     * descriptions, in the order cairo writes the elements */
    const char **figs, **links;
    size_t nfigs, capfigs, nlinks, caplinks;
    surf_cache *images;   /* decoded raster images, each once */
    size_t nimages, capimages;
    int page_open; /* PDF_LATE_SHOW_PAGE: a drawn page not shown yet */
    int depth;     /* structure tags open (besides Document) */
    int artifact;  /* PDF_ARTIFACT_TAGS: an Artifact tag is open */
    int in_link;   /* a Link tag is open */
};

#if PDF_ARTIFACT_TAGS
/* cairo 1.18 makes text drawn in any open element that element's content
 * (1.16 marked only text before the element's first child), so the running
 * foot, drawn last while a chapter's Sect is open, would be read as part of
 * it. Items the layout marks as artifacts, and what is drawn outside every
 * element, go in Artifact tags instead (cairo writes /Artifact BMC ... EMC
 * itself; pdfpost wraps what is left outside marked content). Not inside a
 * link: the dot leaders of a contents entry stay in its Link (text mapped
 * to nothing, as with 1.16), since cairo 1.18 would list the annotation
 * once more for each piece of the Link's content. */
static void artifact(pdf_writer *dr, int open)
{
    if (open == dr->artifact)
        return;
    batch_flush(dr->cr, dr->fs, &dr->bt);
    if (open)
        cairo_tag_begin(dr->cr, "Artifact", NULL);
    else
        cairo_tag_end(dr->cr, "Artifact");
    dr->artifact = open;
}
#endif

static const char *keep(pdf_writer *dr, const char *s)
{
    return arena_strdup(&dr->strings, s ? s : "");
}

static void draw_cover_page(pdf_writer *dr)
{
    const book *b = dr->b;
    cairo_t *cr = dr->cr;
    const char *alt = arena_printf(&dr->strings, "%s%s%s", b->meta.title, b->meta.subtitle ? ": " : "",
                                   b->meta.subtitle ? b->meta.subtitle : "");
    GROW(dr->figs, dr->capfigs, dr->nfigs + 1);
    dr->figs[dr->nfigs++] = alt;
    cairo_tag_begin(cr, "Figure", NULL);
    if (b->cover) {
        pitem im;
        memset(&im, 0, sizeof im);
        double iw = b->cover->width, ih = b->cover->height;
        double sc = dr->w / iw < dr->h / ih ? dr->w / iw : dr->h / ih;
        im.w = iw * sc;
        im.h = ih * sc;
        im.x = (dr->w - im.w) / 2;
        im.y = (dr->h - im.h) / 2;
        im.res = b->cover;
        draw_image(cr, &im, &dr->images, &dr->nimages, &dr->capimages, dr->d);
    } else {
        cover_draw(cr, dr->w, dr->h, b, dr->s, dr->fs);
    }
    cairo_tag_end(cr, "Figure");
}

/* A named destination at the item's position. */
static void add_dest(pdf_writer *dr, const pitem *it)
{
    buf *attr = &dr->attr;
    attr->len = 0;
    buf_puts(attr, "name=");
    attr_str(attr, it->dest);
    buf_puts(attr, " x=");
    buf_num(attr, it->x, 2);
    buf_puts(attr, " y=");
    buf_num(attr, it->y, 2);
    cairo_tag_begin(dr->cr, CAIRO_TAG_DEST, attr->data);
    cairo_tag_end(dr->cr, CAIRO_TAG_DEST);
}

/* A link: an area, or the opening or closing of a Link around the items
 * between; the post-step gives each its description. */
static void add_link(pdf_writer *dr, const pitem *it)
{
    if (it->link_mode == LINK_CLOSE) {
        cairo_tag_end(dr->cr, CAIRO_TAG_LINK);
        dr->in_link = 0;
        return;
    }
    buf *attr = &dr->attr;
    attr->len = 0;
    buf_puts(attr, "rect=[");
    buf_num(attr, it->x, 2);
    buf_putc(attr, ' ');
    buf_num(attr, it->y, 2);
    buf_putc(attr, ' ');
    buf_num(attr, it->w, 2);
    buf_putc(attr, ' ');
    buf_num(attr, it->h, 2);
    buf_puts(attr, "] ");
    if (it->uri) {
        buf_puts(attr, "uri=");
        attr_uri(attr, it->uri);
    } else {
        buf_puts(attr, "dest=");
        attr_str(attr, it->dest);
    }
    cairo_tag_begin(dr->cr, CAIRO_TAG_LINK, attr->data);
    if (it->link_mode == LINK_AREA)
        cairo_tag_end(dr->cr, CAIRO_TAG_LINK);
    else
        dr->in_link = 1;
    GROW(dr->links, dr->caplinks, dr->nlinks + 1);
    dr->links[dr->nlinks++] = keep(dr, it->alt && *it->alt ? it->alt : it->uri ? it->uri : it->dest);
}

static void open_tag(pdf_writer *dr, const pitem *it)
{
    dr->depth++;
    cairo_tag_begin(dr->cr, it->tag, NULL);
    if (!strcmp(it->tag, "Figure")) {
        GROW(dr->figs, dr->capfigs, dr->nfigs + 1);
        dr->figs[dr->nfigs++] = keep(dr, it->alt);
    }
}

/* Draws one item; glyph runs wait in the batch. */
static void draw_item(pdf_writer *dr, const pitem *it)
{
    cairo_t *cr = dr->cr;
#if PDF_ARTIFACT_TAGS
    int painted = it->kind == PI_GLYPHS || it->kind == PI_RULE || it->kind == PI_MARK || it->kind == PI_IMAGE;
    artifact(dr, painted && !dr->in_link && (it->artifact || dr->depth == 0));
#endif
    if (it->kind != PI_GLYPHS)
        batch_flush(cr, dr->fs, &dr->bt);
    switch (it->kind) {
    case PI_GLYPHS:
        batch_add(cr, dr->fs, &dr->bt, it);
        break;
    case PI_RULE:
        cairo_set_source_rgb(cr, it->color.r, it->color.g, it->color.b);
        cairo_rectangle(cr, it->x, it->y, it->w, it->h);
        cairo_fill(cr);
        break;
    case PI_MARK:
        draw_mark(cr, it);
        break;
    case PI_IMAGE:
        draw_image(cr, it, &dr->images, &dr->nimages, &dr->capimages, dr->d);
#if PDF_MARK_PICTURES
        mark_picture(cr, dr->fs, it);
#endif
        break;
    case PI_TAG_OPEN:
        open_tag(dr, it);
        break;
    case PI_TAG_CLOSE:
        dr->depth--;
        cairo_tag_end(cr, it->tag);
        break;
    case PI_DEST:
        add_dest(dr, it);
        break;
    case PI_LINK:
        add_link(dr, it);
        break;
    }
}

void pdf_page(pdf_writer *dr, const page *pg)
{
#if PDF_LATE_SHOW_PAGE
    if (dr->page_open)
        cairo_show_page(dr->cr);
    dr->page_open = 1;
#endif
    if (pg->kind == PAGE_COVER)
        draw_cover_page(dr);
    for (size_t i = 0; i < pg->n; i++)
        draw_item(dr, &pg->items[i]);
    batch_flush(dr->cr, dr->fs, &dr->bt);
#if PDF_ARTIFACT_TAGS
    artifact(dr, 0);
#endif
#if !PDF_LATE_SHOW_PAGE
    cairo_show_page(dr->cr);
#endif
}

/* Test hook, not for users: with GOODIEBAG_PDFPOST_INPUT_FILTER set to a
 * command, `command IN OUT` rewrites cairo's PDF before the post-step
 * (tests/t_cairo118.sh runs `qpdf --object-streams=generate` so that the
 * post-step meets the xref and object streams cairo 1.18 writes). Returns
 * 0, or -1 after reporting to d. */
static int input_filter(buf *pdf, diag *d)
{
    const char *cmd = getenv("GOODIEBAG_PDFPOST_INPUT_FILTER");
    if (!cmd || !*cmd)
        return 0;
    char in[] = "/tmp/goodiebag-filter-XXXXXX", out[sizeof in + 4];
    int fd = mkstemp(in), rc = -1;
    if (fd < 0) {
        diag_error(d, NULL, 0, 0, "GOODIEBAG_PDFPOST_INPUT_FILTER: cannot make a temporary file");
        return -1;
    }
    snprintf(out, sizeof out, "%s.out", in);
    size_t len = 0;
    char *data = NULL;
    int wrote = write(fd, pdf->data, pdf->len) == (ssize_t)pdf->len;
    close(fd);
    buf line = {0};
    buf_printf(&line, "%s '%s' '%s'", cmd, in, out);
    if (wrote && system(line.data) == 0 && (data = read_file(out, (size_t)1 << 31, &len))) {
        pdf->len = 0;
        buf_add(pdf, data, len);
        rc = 0;
    } else {
        diag_error(d, NULL, 0, 0, "GOODIEBAG_PDFPOST_INPUT_FILTER: `%s` failed", cmd);
    }
    free(data);
    buf_free(&line);
    unlink(in);
    unlink(out);
    return rc;
}

/* Sets a metadata string without noncharacters, which cairo refuses
 * (para_scrub). */
static void set_meta(cairo_surface_t *surf, cairo_pdf_metadata_t key, const char *v)
{
    char *c = xstrdup(v);
    para_scrub(c, strlen(c));
    cairo_pdf_surface_set_metadata(surf, key, c);
    free(c);
}

/* The document information: the book's title, authors and subtitle (or
 * description), the build time. */
static void set_info(pdf_writer *w)
{
    const meta *m = &w->b->meta;
    pdf_info *in = &w->info;
    buf authors = {0};
    for (int i = 0; i < m->nauthors; i++) {
        if (i)
            buf_puts(&authors, ", ");
        buf_puts(&authors, m->authors[i]);
    }
    in->title = m->title;
    in->author = arena_strdup(&w->strings, authors.data ? authors.data : "");
    in->subject = m->subtitle ? m->subtitle : m->description;
    in->creator = "goodiebag";
    buf_free(&authors);
    set_meta(w->surf, CAIRO_PDF_METADATA_TITLE, in->title);
    set_meta(w->surf, CAIRO_PDF_METADATA_AUTHOR, in->author);
    if (in->subject)
        set_meta(w->surf, CAIRO_PDF_METADATA_SUBJECT, in->subject);
    cairo_pdf_surface_set_metadata(w->surf, CAIRO_PDF_METADATA_CREATOR, in->creator);
    pdf_date(w->b->build_epoch, in->date, sizeof in->date);
    cairo_pdf_surface_set_metadata(w->surf, CAIRO_PDF_METADATA_CREATE_DATE, in->date);
    cairo_pdf_surface_set_metadata(w->surf, CAIRO_PDF_METADATA_MOD_DATE, in->date);
}

pdf_writer *pdf_begin(const book *b, const style *s, const fontset *fs, diag *d)
{
    pdf_writer *w = xcalloc(1, sizeof *w);
    w->b = b;
    w->s = s;
    w->fs = fs;
    w->d = d;
    w->errors_before = d->errors;
    w->w = s->page_w;
    w->h = s->page_h;
    w->surf = cairo_pdf_surface_create_for_stream(write_cb, &w->pdf, s->page_w, s->page_h);
    cairo_pdf_surface_restrict_to_version(w->surf, PDF_VERSION);
    set_info(w);
    w->cr = cairo_create(w->surf);
    cairo_tag_begin(w->cr, "Document", NULL);
    return w;
}

/* The outline: chapters with their sections, nested by level. */
static void add_outline(pdf_writer *w, const doc_layout *l)
{
    int parents[16];
    parents[0] = CAIRO_PDF_OUTLINE_ROOT;
    buf da = {0};
    for (size_t i = 0; i < l->noutline; i++) {
        const outline_entry *o = &l->outline[i];
        int level = o->level < 0 ? 0 : o->level > 14 ? 14 : o->level;
        da.len = 0;
        buf_puts(&da, "dest=");
        attr_str(&da, o->dest);
        int id = cairo_pdf_surface_add_outline(w->surf, parents[level], o->title, da.data,
                                               level == 0 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        parents[level + 1] = id;
    }
    buf_free(&da);
}

/* Ends the document and lets go of cairo. Returns cairo's status. */
static cairo_status_t end_document(pdf_writer *w)
{
    cairo_tag_end(w->cr, "Document");
#if PDF_LATE_SHOW_PAGE
    if (w->page_open)
        cairo_show_page(w->cr);
#endif
    cairo_destroy(w->cr);
    cairo_surface_finish(w->surf);
    cairo_status_t st = cairo_surface_status(w->surf);
    cairo_surface_destroy(w->surf);
    for (size_t i = 0; i < w->nimages; i++)
        if (w->images[i].img)
            cairo_surface_destroy(w->images[i].img);
    free(w->images);
    buf_free(&w->attr);
    free(w->bt.g);
    free(w->bt.c);
    buf_free(&w->bt.text);
    return st;
}

int pdf_finish(pdf_writer *w, const doc_layout *l, pdf_doc *out)
{
    memset(out, 0, sizeof *out);
    add_outline(w, l);
    cairo_status_t st = end_document(w);
    diag *d = w->d;
    int rc = -1; /* also when drawing reported an error */
    if (d->errors == w->errors_before) {
        if (st != CAIRO_STATUS_SUCCESS)
            diag_error(d, NULL, 0, 0, "cairo could not write the PDF: %s", cairo_status_to_string(st));
        else
            rc = input_filter(&w->pdf, d);
    }
    if (rc == 0) {
        out->pdf = buf_detach(&w->pdf, &out->len);
        out->info = w->info;
        out->links = w->links;
        out->nlinks = w->nlinks;
        out->figures = w->figs;
        out->nfigures = w->nfigs;
        out->strings = w->strings;
    } else {
        buf_free(&w->pdf);
        free(w->links);
        free(w->figs);
        arena_free(&w->strings);
    }
    free(w);
    return rc;
}

void pdf_doc_free(pdf_doc *doc)
{
    free(doc->pdf);
    free(doc->links);
    free(doc->figures);
    arena_free(&doc->strings);
    memset(doc, 0, sizeof *doc);
}
