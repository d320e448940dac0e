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

#include "text/para.h"
#include "draw/paint.h"

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
    const fontset *fs;
    cairo_surface_t *surf;
    cairo_t *cr;
    diag *d;
    int errors_before;    /* d's errors when the writer began */
    buf pdf;              /* what cairo writes */
    pdf_info info;
    painter *paint;
    buf attr;
    arena strings;        /* copies of texts the pages lend (alt, links) */
    /* what the post-processing adds: figure alternative texts and link
     * descriptions, in the order cairo writes the elements */
    const char **figs, **links;
    size_t nfigs, capfigs, nlinks, caplinks;
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
    paint_flush(dr->paint);
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

/* Draws one item: the painter paints, the writer adds structure, links
 * and destinations around it. */
static void draw_item(pdf_writer *dr, const pitem *it)
{
#if PDF_ARTIFACT_TAGS
    artifact(dr, paint_paints(it->kind) && !dr->in_link && (it->artifact || dr->depth == 0));
#endif
    if (paint_paints(it->kind)) {
        paint_item(dr->paint, it);
#if PDF_MARK_PICTURES
        if (it->kind == PI_IMAGE)
            mark_picture(dr->cr, dr->fs, it);
#endif
        return;
    }
    paint_flush(dr->paint);
    switch (it->kind) {
    case PI_TAG_OPEN:
        open_tag(dr, it);
        break;
    case PI_TAG_CLOSE:
        dr->depth--;
        cairo_tag_end(dr->cr, it->tag);
        break;
    case PI_DEST:
        add_dest(dr, it);
        break;
    case PI_LINK:
        add_link(dr, it);
        break;
    default: /* painted above */
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
    for (size_t i = 0; i < pg->n; i++)
        draw_item(dr, &pg->items[i]);
    paint_flush(dr->paint);
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
    w->fs = fs;
    w->d = d;
    w->errors_before = d->errors;
    w->surf = cairo_pdf_surface_create_for_stream(write_cb, &w->pdf, s->page_w, s->page_h);
    cairo_pdf_surface_restrict_to_version(w->surf, PDF_VERSION);
    set_info(w);
    w->cr = cairo_create(w->surf);
    w->paint = paint_new(w->cr, fs, d);
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
    paint_free(w->paint);
    buf_free(&w->attr);
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
