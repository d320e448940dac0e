/* epub — see epub.h.
 *
 * Every XML file is a libxml2 tree serialised by libxml2. The zip is built
 * in memory (zip_source_buffer_create + zip_open_from_source), so nothing
 * touches the disk here; the caller publishes the bytes atomically.
 * Timestamps are the book's build time, computed in UTC (libzip converts
 * with localtime, so the process runs with TZ=UTC).
 */
#include "epub/epub.h"

#include <hb.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "base/l10n.h"
#include "text/subset.h"
#include "epub/xhtml.h"
#include "epub/xnotes.h"

#define OPF_NS "http://www.idpf.org/2007/opf"
#define DC_NS "http://purl.org/dc/elements/1.1/"
#define NCX_NS "http://www.daisy.org/z3986/2005/ncx/"

/* How an entry is written into the zip. */
typedef enum {
    PACK_DEFLATE, /* compressed */
    PACK_STORE    /* as it is: the mimetype (readers look for it), raster images (compressed already) */
} packing;

typedef struct entry {
    char *name;   /* path in the zip */
    char *data;   /* owned */
    size_t len;
    packing pack;
} entry;

typedef struct pkg {
    entry *v;
    size_t n, cap;
} pkg;

/* Does font role r use the file of an earlier role? (Each file is
 * embedded once.) */
static int shares_file(const style *s, int r)
{
    for (int q = 0; q < r; q++)
        if (!strcmp(s->font_file[q], s->font_file[r]))
            return 1;
    return 0;
}

/* Does the book get a cover image (given, or still being drawn)? */
static int has_cover(const epub_extra *x)
{
    return x && (x->cover_png || x->cover_wait);
}

/* Is the cover a JPEG (given as one)? A cover still being drawn is a PNG. */
static int cover_jpeg(const epub_extra *x)
{
    return x->cover_png && x->cover_type && !strcmp(x->cover_type, "image/jpeg");
}

/* Adds an entry that takes data over. */
static void add_entry(pkg *p, const char *name, char *data, size_t len, packing pack)
{
    GROW(p->v, p->cap, p->n + 1);
    p->v[p->n++] = (entry){xstrdup(name), data, len, pack};
}

static void add_doc(pkg *p, const char *name, xmlDocPtr doc)
{
    size_t len;
    char *s = xhtml_serialize(doc, &len);
    xmlFreeDoc(doc);
    add_entry(p, name, s, len, PACK_DEFLATE);
}

static char *iso_time(long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char s[32];
    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return xstrdup(s);
}

static xmlNodePtr text_child(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
    xmlNodePtr el = xmlNewChild(parent, ns, BAD_CAST name, NULL);
    xhtml_add_text(el, text, strlen(text));
    return el;
}

/* A new XML document (*doc, caller frees) whose root element `name` is in
 * namespace ns_href (*ns) with the given version attribute. Returns the
 * root. */
static xmlNodePtr new_xml_doc(const char *name, const char *ns_href, const char *version, xmlDocPtr *doc,
                              xmlNsPtr *ns)
{
    *doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewNode(NULL, BAD_CAST name);
    xmlDocSetRootElement(*doc, root);
    *ns = xmlNewNs(root, BAD_CAST ns_href, NULL);
    xmlSetNs(root, *ns);
    xmlSetProp(root, BAD_CAST "version", BAD_CAST version);
    return root;
}

/* ---- table of contents model (shared by nav and NCX) ---- */

typedef struct tocent {
    const char *label;
    char *href;   /* relative to the EPUB folder, e.g. "text/a.xhtml#x" */
    int depth;    /* 0 = chapter */
} tocent;

#define TOC_MAX_DEPTH 2 /* chapter + two levels of sections */

static tocent *collect_toc(const book *b, size_t *count)
{
    tocent *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < b->nch; i++) {
        const chapter *c = &b->ch[i];
        if (!c->doc)
            continue;
        GROW(v, cap, n + 1);
        v[n++] = (tocent){c->title, c->title_id ? xasprintf("%s#%s", c->out_name, c->title_id)
                                                : xstrdup(c->out_name), 0};
        int base = c->title_node ? cmark_node_get_heading_level(c->title_node) : 0;
        cmark_iter *it = cmark_iter_new(c->doc);
        cmark_event_type ev;
        int prev_depth = 0;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *h = cmark_iter_get_node(it);
            if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(h) != CMARK_NODE_HEADING ||
                h == c->title_node)
                continue;
            anno *a = node_anno(h);
            if (!a || !a->toc || !a->text[0])
                continue;
            int depth = cmark_node_get_heading_level(h) - base;
            if (depth < 1)
                depth = 1;
            if (depth > prev_depth + 1)
                depth = prev_depth + 1; /* no skipped levels in a nested list */
            if (depth > TOC_MAX_DEPTH)
                continue;
            prev_depth = depth;
            GROW(v, cap, n + 1);
            v[n++] = (tocent){a->text, xasprintf("%s#%s", c->out_name, a->id), depth};
        }
        cmark_iter_free(it);
    }
    *count = n;
    return v;
}

/* Builds nested <ol> lists from the flat, depth-annotated entries. */
static void nav_list(xmlNodePtr parent, xmlNsPtr ns, const tocent *v, size_t n)
{
    xmlNodePtr ol_stack[TOC_MAX_DEPTH + 2], li_stack[TOC_MAX_DEPTH + 2];
    int level = 0;
    ol_stack[0] = xmlNewChild(parent, ns, BAD_CAST "ol", NULL);
    li_stack[0] = NULL;
    for (size_t i = 0; i < n; i++) {
        int d = v[i].depth;
        while (level > d)
            level--;
        while (level < d) {
            xmlNodePtr ol = xmlNewChild(li_stack[level], ns, BAD_CAST "ol", NULL);
            ol_stack[++level] = ol;
        }
        xmlNodePtr li = xmlNewChild(ol_stack[level], ns, BAD_CAST "li", NULL);
        xmlNodePtr a = text_child(li, ns, "a", v[i].label);
        xhtml_set_uri(a, "href", v[i].href);
        li_stack[level] = li;
    }
}

/* The target of page marker m: its span in its chapter (xhtml.c names it
 * page_<label>). A new string. */
static char *page_href(const book *b, const page_mark *m)
{
    return xasprintf("%s#page_%s", b->ch[m->chapter].out_name, m->label);
}

/* A <nav> of the given epub:type that reading systems show in their own
 * way (hidden in the text), headed title. Returns its list. */
static xmlNodePtr hidden_nav(xmlNodePtr body, xmlNsPtr ns, xmlNsPtr epub, const char *type, const char *title)
{
    xmlNodePtr nav = xmlNewChild(body, ns, BAD_CAST "nav", NULL);
    xmlSetNsProp(nav, epub, BAD_CAST "type", BAD_CAST type);
    xmlSetProp(nav, BAD_CAST "id", BAD_CAST type);
    xmlSetProp(nav, BAD_CAST "hidden", BAD_CAST "hidden");
    text_child(nav, ns, "h2", title);
    return xmlNewChild(nav, ns, BAD_CAST "ol", NULL);
}

typedef struct landmark {
    const char *type, *href;
    l10n_key label;
} landmark;

static void nav_landmarks(const book *b, xmlNodePtr body, xmlNsPtr ns, xmlNsPtr epub, const epub_extra *x)
{
    const char *lang = b->meta.lang;
    xmlNodePtr ol = hidden_nav(body, ns, epub, "landmarks", l10n(lang, L_LANDMARKS));
    landmark marks[3];
    int nm = 0;
    if (has_cover(x))
        marks[nm++] = (landmark){"cover", "cover.xhtml", L_COVER};
    marks[nm++] = (landmark){"toc", "nav.xhtml#toc", L_TOC_LM};
    const char *first = NULL;
    for (int i = 0; i < b->nch && !first; i++)
        if (b->ch[i].doc)
            first = b->ch[i].out_name;
    if (first)
        marks[nm++] = (landmark){"bodymatter", first, L_BODY};
    for (int i = 0; i < nm; i++) {
        xmlNodePtr li = xmlNewChild(ol, ns, BAD_CAST "li", NULL);
        xmlNodePtr a = text_child(li, ns, "a", l10n(lang, marks[i].label));
        xmlSetNsProp(a, epub, BAD_CAST "type", BAD_CAST marks[i].type);
        xhtml_set_uri(a, "href", marks[i].href);
    }
}

static void nav_pages(const book *b, xmlNodePtr body, xmlNsPtr ns, xmlNsPtr epub, const pagemap *pm)
{
    xmlNodePtr ol = hidden_nav(body, ns, epub, "page-list", l10n(b->meta.lang, L_PAGES));
    for (size_t i = 0; i < pm->n; i++) {
        const page_mark *m = &pm->v[i];
        xmlNodePtr li = xmlNewChild(ol, ns, BAD_CAST "li", NULL);
        xmlNodePtr a = text_child(li, ns, "a", m->label);
        char *href = page_href(b, m);
        xhtml_set_uri(a, "href", href);
        free(href);
    }
}

static xmlDocPtr make_nav(const book *b, const tocent *toc, size_t ntoc, const epub_extra *x)
{
    const char *lang = b->meta.lang;
    xmlDocPtr doc;
    xmlNodePtr body = xhtml_new(lang, l10n(lang, L_TOC), "styles/book.css", &doc);
    xmlNsPtr ns = body->ns, epub = xhtml_epub_ns(doc);
    xmlSetNsProp(body, epub, BAD_CAST "type", BAD_CAST "frontmatter");

    xmlNodePtr nav = xmlNewChild(body, ns, BAD_CAST "nav", NULL);
    xmlSetNsProp(nav, epub, BAD_CAST "type", BAD_CAST "toc");
    xmlSetProp(nav, BAD_CAST "id", BAD_CAST "toc");
    xmlSetProp(nav, BAD_CAST "role", BAD_CAST "doc-toc");
    xmlSetProp(nav, BAD_CAST "aria-labelledby", BAD_CAST "toc-title");
    xmlNodePtr h = text_child(nav, ns, "h1", l10n(lang, L_TOC));
    xmlSetProp(h, BAD_CAST "id", BAD_CAST "toc-title");
    nav_list(nav, ns, toc, ntoc);
    nav_landmarks(b, body, ns, epub, x);
    if (x && x->pages && x->pages->n)
        nav_pages(b, body, ns, epub, x->pages);
    return doc;
}

/* The NCX's head: the book's id, the depth of its table of contents and
 * the page counts of the page list (0 without one): how many pages, and
 * the highest page number among the labels that are numbers. */
static void ncx_head(xmlNodePtr head, xmlNsPtr ns, const book *b, const tocent *toc, size_t ntoc,
                     const pagemap *pm)
{
    int maxdepth = 1;
    for (size_t i = 0; i < ntoc; i++)
        if (toc[i].depth + 1 > maxdepth)
            maxdepth = toc[i].depth + 1;
    size_t npages = pm ? pm->n : 0;
    unsigned long maxpage = 0;
    for (size_t i = 0; i < npages; i++) {
        const char *l = pm->v[i].label;
        size_t k = strspn(l, "0123456789");
        if (k && k < 10 && !l[k]) {
            unsigned long v = strtoul(l, NULL, 10);
            if (v > maxpage)
                maxpage = v;
        }
    }
    char num[32], total[32], maxnum[32];
    snprintf(num, sizeof num, "%d", maxdepth);
    snprintf(total, sizeof total, "%zu", npages);
    snprintf(maxnum, sizeof maxnum, "%lu", maxpage);
    struct {
        const char *name, *content;
    } metas[4] = {{"dtb:uid", b->uuid}, {"dtb:depth", num}, {"dtb:totalPageCount", total}, {"dtb:maxPageNumber", maxnum}};
    for (int i = 0; i < 4; i++) {
        xmlNodePtr m = xmlNewChild(head, ns, BAD_CAST "meta", NULL);
        xmlSetProp(m, BAD_CAST "name", BAD_CAST metas[i].name);
        xmlSetProp(m, BAD_CAST "content", BAD_CAST metas[i].content);
    }
}

/* The page list; play order goes on from *order. */
static void ncx_pages(xmlNodePtr ncx, xmlNsPtr ns, const book *b, const pagemap *pm, int *order)
{
    xmlNodePtr pl = xmlNewChild(ncx, ns, BAD_CAST "pageList", NULL);
    xmlNodePtr nl = xmlNewChild(pl, ns, BAD_CAST "navLabel", NULL);
    text_child(nl, ns, "text", l10n(b->meta.lang, L_PAGES));
    for (size_t i = 0; i < pm->n; i++) {
        const page_mark *m = &pm->v[i];
        xmlNodePtr pt = xmlNewChild(pl, ns, BAD_CAST "pageTarget", NULL);
        char id[48];
        snprintf(id, sizeof id, "pt-%zu", i + 1);
        xmlSetProp(pt, BAD_CAST "id", BAD_CAST id);
        xmlSetProp(pt, BAD_CAST "type", BAD_CAST "normal");
        xmlSetProp(pt, BAD_CAST "value", BAD_CAST m->label);
        snprintf(id, sizeof id, "%d", ++*order);
        xmlSetProp(pt, BAD_CAST "playOrder", BAD_CAST id);
        xmlNodePtr pnl = xmlNewChild(pt, ns, BAD_CAST "navLabel", NULL);
        text_child(pnl, ns, "text", m->label);
        xmlNodePtr c = xmlNewChild(pt, ns, BAD_CAST "content", NULL);
        char *src = page_href(b, m);
        xhtml_set_uri(c, "src", src);
        free(src);
    }
}

static xmlDocPtr make_ncx(const book *b, const tocent *toc, size_t ntoc, const epub_extra *x)
{
    xmlDocPtr doc;
    xmlNsPtr ns;
    xmlNodePtr ncx = new_xml_doc("ncx", NCX_NS, "2005-1", &doc, &ns);
    xhtml_set_xml_lang(ncx, b->meta.lang);
    const pagemap *pm = x ? x->pages : NULL;
    ncx_head(xmlNewChild(ncx, ns, BAD_CAST "head", NULL), ns, b, toc, ntoc, pm);
    xmlNodePtr dt = xmlNewChild(ncx, ns, BAD_CAST "docTitle", NULL);
    text_child(dt, ns, "text", b->meta.title);
    xmlNodePtr map = xmlNewChild(ncx, ns, BAD_CAST "navMap", NULL);
    xmlNodePtr stack[TOC_MAX_DEPTH + 2];
    stack[0] = map;
    int order = 0;
    for (size_t i = 0; i < ntoc; i++) {
        int d = toc[i].depth;
        xmlNodePtr np = xmlNewChild(stack[d], ns, BAD_CAST "navPoint", NULL);
        char id[32];
        snprintf(id, sizeof id, "np-%d", ++order);
        xmlSetProp(np, BAD_CAST "id", BAD_CAST id);
        snprintf(id, sizeof id, "%d", order);
        xmlSetProp(np, BAD_CAST "playOrder", BAD_CAST id);
        xmlNodePtr nl = xmlNewChild(np, ns, BAD_CAST "navLabel", NULL);
        text_child(nl, ns, "text", toc[i].label);
        xmlNodePtr content = xmlNewChild(np, ns, BAD_CAST "content", NULL);
        xhtml_set_uri(content, "src", toc[i].href);
        stack[d + 1] = np;
    }
    if (pm && pm->n)
        ncx_pages(ncx, ns, b, pm, &order);
    return doc;
}

static xmlDocPtr make_titlepage(const book *b)
{
    const meta *m = &b->meta;
    xmlDocPtr doc;
    xmlNodePtr body = xhtml_new(m->lang, m->title, "styles/book.css", &doc);
    xmlNsPtr ns = body->ns, epub = xhtml_epub_ns(doc);
    xmlSetNsProp(body, epub, BAD_CAST "type", BAD_CAST "frontmatter");
    xmlNodePtr sec = xmlNewChild(body, ns, BAD_CAST "section", NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "titlepage");
    xmlSetProp(sec, BAD_CAST "class", BAD_CAST "titlepage");
    xmlSetProp(sec, BAD_CAST "aria-label", BAD_CAST l10n(m->lang, L_TITLEPAGE));
    text_child(sec, ns, "h1", m->title);
    if (m->subtitle) {
        xmlNodePtr p = text_child(sec, ns, "p", m->subtitle);
        xmlSetProp(p, BAD_CAST "class", BAD_CAST "subtitle");
    }
    for (int i = 0; i < m->nauthors; i++) {
        xmlNodePtr p = text_child(sec, ns, "p", m->authors[i]);
        xmlSetProp(p, BAD_CAST "class", BAD_CAST "author");
    }
    if (m->publisher) {
        xmlNodePtr p = text_child(sec, ns, "p", m->publisher);
        xmlSetProp(p, BAD_CAST "class", BAD_CAST "publisher");
    }
    return doc;
}

static xmlDocPtr make_cover_page(const book *b, const epub_extra *x)
{
    xmlDocPtr doc;
    xmlNodePtr body = xhtml_new(b->meta.lang, l10n(b->meta.lang, L_COVER), "styles/book.css", &doc);
    xmlNsPtr ns = body->ns, epub = xhtml_epub_ns(doc);
    xmlSetNsProp(body, epub, BAD_CAST "type", BAD_CAST "cover");
    xmlNodePtr sec = xmlNewChild(body, ns, BAD_CAST "section", NULL);
    xmlSetNsProp(sec, epub, BAD_CAST "type", BAD_CAST "cover");
    xmlSetProp(sec, BAD_CAST "class", BAD_CAST "cover");
    xmlNodePtr img = xmlNewChild(sec, ns, BAD_CAST "img", NULL);
    xmlSetProp(img, BAD_CAST "src", BAD_CAST(cover_jpeg(x) ? "images/cover.jpg" : "images/cover.png"));
    xmlSetProp(img, BAD_CAST "role", BAD_CAST "doc-cover");
    char *alt = xasprintf("%s%s%s", b->meta.title, b->meta.subtitle ? ": " : "",
                          b->meta.subtitle ? b->meta.subtitle : "");
    xmlSetProp(img, BAD_CAST "alt", BAD_CAST alt);
    free(alt);
    return doc;
}

static xmlDocPtr make_container(void)
{
    xmlDocPtr doc;
    xmlNsPtr ns;
    xmlNodePtr c = new_xml_doc("container", "urn:oasis:names:tc:opendocument:xmlns:container", "1.0", &doc, &ns);
    xmlNodePtr rfs = xmlNewChild(c, ns, BAD_CAST "rootfiles", NULL);
    xmlNodePtr rf = xmlNewChild(rfs, ns, BAD_CAST "rootfile", NULL);
    xmlSetProp(rf, BAD_CAST "full-path", BAD_CAST "EPUB/package.opf");
    xmlSetProp(rf, BAD_CAST "media-type", BAD_CAST "application/oebps-package+xml");
    return doc;
}

static xmlDocPtr make_apple_options(void)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr d = xmlNewNode(NULL, BAD_CAST "display_options");
    xmlDocSetRootElement(doc, d);
    xmlNodePtr p = xmlNewChild(d, NULL, BAD_CAST "platform", NULL);
    xmlSetProp(p, BAD_CAST "name", BAD_CAST "*");
    xmlNodePtr o = xmlNewChild(p, NULL, BAD_CAST "option", BAD_CAST "true");
    xmlSetProp(o, BAD_CAST "name", BAD_CAST "specified-fonts");
    return doc;
}

static void meta_prop(xmlNodePtr md, xmlNsPtr ns, const char *prop, const char *value)
{
    xmlNodePtr e = text_child(md, ns, "meta", value);
    xmlSetProp(e, BAD_CAST "property", BAD_CAST prop);
}

/* What goodiebag checks before the EPUB claims conformance to EPUB
 * Accessibility 1.1 (WCAG 2.1 AA): every image has an alternative text or
 * is marked decorative, headings go down one level at a time in every
 * chapter (as the warning in book.c says), the language is set, and a
 * publisher is named to make the claim. The rest of what WCAG asks (the
 * structure, navigation, language and contrast of what goodiebag writes)
 * is the compiler's own. Where one check fails the package says nothing
 * about conformance (no claim is better than a wrong one). */
typedef struct a11y_facts {
    int images, images_alt;  /* images; those with alt text or decorative */
    const char *noalt_file, *noalt_url; /* the first image without alt text */
    int noalt_line, noalt_col;
    int gaps;                /* heading level jumps */
    const char *gap_file;    /* the first one */
    int gap_line, gap_col, gap_from, gap_to;
} a11y_facts;

static int node_line_of(cmark_node *n)
{
    return cmark_node_get_start_line(n);
}

static int node_col_of(cmark_node *n)
{
    int c = cmark_node_get_start_column(n);
    return c > 0 ? c : 1;
}

static void a11y_check(const book *b, a11y_facts *f)
{
    memset(f, 0, sizeof *f);
    for (int i = 0; i < b->nch; i++) {
        const chapter *c = &b->ch[i];
        if (!c->doc)
            continue;
        int prev = 0;
        cmark_iter *it = cmark_iter_new(c->doc);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *n = cmark_iter_get_node(it);
            if (ev != CMARK_EVENT_ENTER)
                continue;
            cmark_node_type t = cmark_node_get_type(n);
            if (t == CMARK_NODE_HEADING) {
                int level = cmark_node_get_heading_level(n);
                if (prev && level > prev + 1 && f->gaps++ == 0) {
                    f->gap_file = c->diag_name;
                    f->gap_line = node_line_of(n);
                    f->gap_col = node_col_of(n);
                    f->gap_from = prev;
                    f->gap_to = level;
                }
                prev = level;
            } else if (t == CMARK_NODE_IMAGE) {
                const anno *a = node_anno(n);
                f->images++;
                if (a && (!a->alt_blank || a->decorative))
                    f->images_alt++;
                else if (!f->noalt_file) {
                    f->noalt_file = c->diag_name;
                    f->noalt_url = cmark_node_get_url(n);
                    f->noalt_line = node_line_of(n);
                    f->noalt_col = node_col_of(n);
                }
            }
        }
        cmark_iter_free(it);
    }
}

#define A11Y_CLAIM "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"

/* Does the book pass the checks? If not, warns (located at the first
 * problem of each kind) that the EPUB makes no conformance claim. */
static int a11y_conforms(const book *b, const a11y_facts *f, diag *d)
{
    int ok = 1;
    int noalt = f->images - f->images_alt;
    if (noalt) {
        ok = 0;
        diag_warning(d, f->noalt_file, f->noalt_line, f->noalt_col,
                     "the EPUB makes no accessibility conformance claim (" A11Y_CLAIM "): %d image%s no "
                     "alternative text, the first here ('%.200s'); describe %s, or mark %s {.decorative}",
                     noalt, noalt == 1 ? " has" : "s have", f->noalt_url ? f->noalt_url : "",
                     noalt == 1 ? "it" : "them", noalt == 1 ? "it" : "them");
    }
    if (f->gaps) {
        ok = 0;
        diag_warning(d, f->gap_file, f->gap_line, f->gap_col,
                     "the EPUB makes no accessibility conformance claim (" A11Y_CLAIM "): the heading levels "
                     "jump from %d to %d here%s%.0d%s; use every level in between",
                     f->gap_from, f->gap_to, f->gaps > 1 ? " (and " : "",
                     f->gaps > 1 ? f->gaps - 1 : 0, f->gaps > 2 ? " more times)" : f->gaps > 1 ? " more time)" : "");
    }
    if (!b->meta.lang || !b->meta.lang[0]) {
        ok = 0;
        diag_warning(d, NULL, 0, 0,
                     "the EPUB makes no accessibility conformance claim (" A11Y_CLAIM "): the book has no language");
    }
    if (!b->meta.publisher || !b->meta.publisher[0]) {
        ok = 0;
        diag_warning(d, NULL, 0, 0,
                     "the EPUB makes no accessibility conformance claim (" A11Y_CLAIM "): no publisher to make it");
    }
    return ok;
}

/* EPUB Accessibility 1.1 metadata: only what the book really has. */
static void a11y_metadata(const book *b, xmlNodePtr md, xmlNsPtr ns, const epub_extra *x, diag *d)
{
    a11y_facts f;
    a11y_check(b, &f);
    int images = f.images, images_alt = f.images_alt;
    int with_cover = has_cover(x);
    int all_alt = images_alt == images; /* the cover has generated alt text */
    int visual = images > 0 || with_cover;
    meta_prop(md, ns, "schema:accessMode", "textual");
    if (visual)
        meta_prop(md, ns, "schema:accessMode", "visual");
    if (!visual || all_alt)
        meta_prop(md, ns, "schema:accessModeSufficient", "textual");
    if (visual)
        meta_prop(md, ns, "schema:accessModeSufficient", "textual,visual");
    meta_prop(md, ns, "schema:accessibilityFeature", "structuralNavigation");
    meta_prop(md, ns, "schema:accessibilityFeature", "tableOfContents");
    meta_prop(md, ns, "schema:accessibilityFeature", "readingOrder");
    if (visual && all_alt)
        meta_prop(md, ns, "schema:accessibilityFeature", "alternativeText");
    if (x && x->pages && x->pages->n) {
        meta_prop(md, ns, "schema:accessibilityFeature", "printPageNumbers");
        meta_prop(md, ns, "schema:accessibilityFeature", "pageNavigation");
        meta_prop(md, ns, "schema:accessibilityFeature", "pageBreakMarkers");
    }
    meta_prop(md, ns, "schema:accessibilityHazard", "none");
    const char *lang = b->meta.lang;
    buf sum = {0};
    buf_puts(&sum, l10n(lang, L_A11Y_BASE));
    if (x && x->pages && x->pages->n)
        buf_puts(&sum, l10n(lang, L_A11Y_PAGES));
    buf_puts(&sum, ".");
    if (visual)
        buf_puts(&sum, l10n(lang, all_alt ? L_A11Y_ALT_ALL : L_A11Y_ALT_SOME));
    buf_puts(&sum, l10n(lang, L_A11Y_HAZARD));
    meta_prop(md, ns, "schema:accessibilitySummary", sum.data);
    buf_free(&sum);
    if (a11y_conforms(b, &f, d)) {
        /* the claim, and who makes it (EPUB Accessibility 1.1, 2.1
         * "Conformance reporting": dcterms:conformsTo and a11y:certifiedBy) */
        meta_prop(md, ns, "dcterms:conformsTo", A11Y_CLAIM);
        meta_prop(md, ns, "a11y:certifiedBy", b->meta.publisher);
    }
}

typedef struct item {
    const char *id, *href, *media, *props;
} item;

/* The manifest and the reading order (spine) of the package document. */
typedef struct manifest {
    item *items;
    size_t nitems, capitems;
    const char **spine;
    size_t nspine, capspine;
} manifest;

/* The book's titles, authors, publisher, language, date, description and
 * print source. */
static void opf_dc(xmlNodePtr md, xmlNsPtr ns, xmlNsPtr dc, const book *b, const epub_extra *x)
{
    const meta *m = &b->meta;
    xmlNodePtr e = text_child(md, dc, "identifier", b->uuid);
    xmlSetProp(e, BAD_CAST "id", BAD_CAST "bookid");
    e = text_child(md, dc, "title", m->title);
    xmlSetProp(e, BAD_CAST "id", BAD_CAST "title");
    e = text_child(md, ns, "meta", "main");
    xmlSetProp(e, BAD_CAST "refines", BAD_CAST "#title");
    xmlSetProp(e, BAD_CAST "property", BAD_CAST "title-type");
    if (m->subtitle) {
        e = text_child(md, dc, "title", m->subtitle);
        xmlSetProp(e, BAD_CAST "id", BAD_CAST "subtitle");
        e = text_child(md, ns, "meta", "subtitle");
        xmlSetProp(e, BAD_CAST "refines", BAD_CAST "#subtitle");
        xmlSetProp(e, BAD_CAST "property", BAD_CAST "title-type");
    }
    for (int i = 0; i < m->nauthors; i++) {
        e = text_child(md, dc, "creator", m->authors[i]);
        char id[24];
        snprintf(id, sizeof id, "creator-%d", i + 1);
        xmlSetProp(e, BAD_CAST "id", BAD_CAST id);
        char ref[26];
        snprintf(ref, sizeof ref, "#%s", id);
        e = text_child(md, ns, "meta", "aut");
        xmlSetProp(e, BAD_CAST "refines", BAD_CAST ref);
        xmlSetProp(e, BAD_CAST "property", BAD_CAST "role");
        xmlSetProp(e, BAD_CAST "scheme", BAD_CAST "marc:relators");
    }
    if (m->publisher)
        text_child(md, dc, "publisher", m->publisher);
    text_child(md, dc, "language", m->lang);
    text_child(md, dc, "date", m->date);
    if (m->description)
        text_child(md, dc, "description", m->description);
    if (x && x->print_source) {
        e = text_child(md, dc, "source", x->print_source);
        xmlSetProp(e, BAD_CAST "id", BAD_CAST "print-source");
        e = text_child(md, ns, "meta", "pagination");
        xmlSetProp(e, BAD_CAST "refines", BAD_CAST "#print-source");
        xmlSetProp(e, BAD_CAST "property", BAD_CAST "source-of");
    }
}

static xmlDocPtr make_opf(const book *b, const manifest *mf, const epub_extra *x, diag *d)
{
    xmlDocPtr doc;
    xmlNsPtr ns;
    xmlNodePtr pkgel = new_xml_doc("package", OPF_NS, "3.0", &doc, &ns);
    xmlSetProp(pkgel, BAD_CAST "unique-identifier", BAD_CAST "bookid");
    xhtml_set_xml_lang(pkgel, b->meta.lang);
    xmlNodePtr md = xmlNewChild(pkgel, ns, BAD_CAST "metadata", NULL);
    opf_dc(md, ns, xmlNewNs(md, BAD_CAST DC_NS, BAD_CAST "dc"), b, x);
    a11y_metadata(b, md, ns, x, d);
    char *mod = iso_time(b->build_epoch);
    xmlNodePtr e = text_child(md, ns, "meta", mod);
    xmlSetProp(e, BAD_CAST "property", BAD_CAST "dcterms:modified");
    free(mod);
    if (has_cover(x)) {
        e = xmlNewChild(md, ns, BAD_CAST "meta", NULL);
        xmlSetProp(e, BAD_CAST "name", BAD_CAST "cover");
        xmlSetProp(e, BAD_CAST "content", BAD_CAST "cover-image");
    }

    xmlNodePtr man = xmlNewChild(pkgel, ns, BAD_CAST "manifest", NULL);
    for (size_t i = 0; i < mf->nitems; i++) {
        const item *m = &mf->items[i];
        xmlNodePtr it = xmlNewChild(man, ns, BAD_CAST "item", NULL);
        xmlSetProp(it, BAD_CAST "id", BAD_CAST m->id);
        xhtml_set_uri(it, "href", m->href);
        xmlSetProp(it, BAD_CAST "media-type", BAD_CAST m->media);
        if (m->props)
            xmlSetProp(it, BAD_CAST "properties", BAD_CAST m->props);
    }
    xmlNodePtr sp = xmlNewChild(pkgel, ns, BAD_CAST "spine", NULL);
    xmlSetProp(sp, BAD_CAST "toc", BAD_CAST "ncx");
    for (size_t i = 0; i < mf->nspine; i++) {
        xmlNodePtr ir = xmlNewChild(sp, ns, BAD_CAST "itemref", NULL);
        xmlSetProp(ir, BAD_CAST "idref", BAD_CAST mf->spine[i]);
    }
    return doc;
}

/* ---- zip ---- */

static int zip_all(const pkg *p, long long epoch, char **out, size_t *outlen, diag *d)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) {
        diag_error(d, NULL, 0, 0, "cannot create the EPUB archive: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        diag_error(d, NULL, 0, 0, "cannot create the EPUB archive: %s", zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return -1;
    }
    zip_source_keep(src);
    /* DOS timestamps start in 1980 */
    time_t mt = (time_t)(epoch < 315532800LL ? 315532800LL : epoch);
    int bad = 0;
    for (size_t i = 0; i < p->n && !bad; i++) {
        zip_source_t *s = zip_source_buffer(za, p->v[i].data, p->v[i].len, 0);
        zip_int64_t idx = s ? zip_file_add(za, p->v[i].name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
        if (idx < 0) {
            if (s)
                zip_source_free(s);
            bad = 1;
            break;
        }
        /* level 2: a tenth of the time of level 6 on fonts, 3% larger */
        int store = p->v[i].pack == PACK_STORE;
        zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 2);
        zip_file_set_mtime(za, (zip_uint64_t)idx, mt, 0);
    }
    if (bad || zip_close(za) != 0) {
        diag_error(d, NULL, 0, 0, "cannot write the EPUB archive: %s", zip_strerror(za));
        zip_discard(za);
        zip_source_free(src);
        zip_error_fini(&ze);
        return -1;
    }
    zip_stat_t st;
    buf res = {0};
    if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
        buf_reserve(&res, (size_t)st.size);
        zip_int64_t r = zip_source_read(src, res.data, st.size);
        if (r > 0)
            res.len = (size_t)r;
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    if (!res.len) {
        buf_free(&res);
        diag_error(d, NULL, 0, 0, "cannot read back the EPUB archive");
        return -1;
    }
    *out = buf_detach(&res, outlen);
    return 0;
}

static const char *font_media(const char *file)
{
    if (ends_with(file, ".otf"))
        return "font/otf";
    if (ends_with(file, ".woff"))
        return "font/woff";
    if (ends_with(file, ".woff2"))
        return "font/woff2";
    return "font/ttf";
}

/* Strings are not copied: literals, or the caller's arena. */
static void add_item(manifest *mf, const char *id, const char *href, const char *media, const char *props)
{
    GROW(mf->items, mf->capitems, mf->nitems + 1);
    mf->items[mf->nitems++] = (item){id, href, media, props};
}

static void add_spine(manifest *mf, const char *id)
{
    GROW(mf->spine, mf->capspine, mf->nspine + 1);
    mf->spine[mf->nspine++] = id;
}

/* The cover page and image. Returns the index of the image's entry when
 * the image is still being drawn (its bytes are filled in before
 * zipping), else (size_t)-1. */
static size_t add_cover(pkg *p, manifest *mf, const book *b, const epub_extra *x)
{
    int jpeg = cover_jpeg(x);
    add_item(mf, "cover-image", jpeg ? "images/cover.jpg" : "images/cover.png", jpeg ? "image/jpeg" : "image/png",
             "cover-image");
    add_item(mf, "cover", "cover.xhtml", "application/xhtml+xml", NULL);
    add_spine(mf, "cover");
    add_doc(p, "EPUB/cover.xhtml", make_cover_page(b, x));
    size_t pending = x->cover_png ? (size_t)-1 : p->n;
    add_entry(p, jpeg ? "EPUB/images/cover.jpg" : "EPUB/images/cover.png",
              x->cover_png ? xstrndup(x->cover_png, x->cover_len) : NULL, x->cover_png ? x->cover_len : 0, PACK_STORE);
    return pending;
}

/* Takes the cover still being drawn, as late as possible, into entry e.
 * Returns 0, or -1 after reporting to d. */
static int fill_cover(pkg *p, size_t e, const epub_extra *x, diag *d)
{
    size_t clen = 0;
    const char *c = x->cover_wait(x->cover_ctx, &clen);
    if (!c) {
        diag_error(d, NULL, 0, 0, "cannot draw the cover image");
        return -1;
    }
    p->v[e].data = xstrndup(c, clen);
    p->v[e].len = clen;
    return 0;
}

/* The style sheet: the embedded fonts, declared for the style's
 * families, then the style's CSS. Returns a new buffer of *len bytes. */
static char *style_sheet(const style *s, int notes, size_t *len)
{
    static const struct {
        int weight;
        const char *style;
    } face[FONT_COUNT] = {
        [FONT_BODY] = {400, "normal"},          [FONT_BODY_ITALIC] = {400, "italic"},
        [FONT_BODY_BOLD] = {700, "normal"},     [FONT_BODY_BOLD_ITALIC] = {700, "italic"},
        [FONT_HEADING] = {700, "normal"},       [FONT_HEADING_REGULAR] = {400, "normal"},
        [FONT_HEADING_ITALIC] = {400, "italic"}, [FONT_MONO] = {400, "normal"},
    };
    /* @namespace must precede every other rule (else it is ignored):
     * before the fonts, for the style sheet's epub|type selectors */
    buf css = {0};
    buf_puts(&css, "@namespace epub \"http://www.idpf.org/2007/ops\";\n");
    for (int r = 0; r < FONT_COUNT; r++) {
        int dup = 0;
        for (int q = 0; q < r; q++)
            if (!strcmp(s->font_family[q], s->font_family[r]) && face[q].weight == face[r].weight &&
                !strcmp(face[q].style, face[r].style))
                dup = 1;
        if (dup)
            continue;
        buf_printf(&css, "@font-face {\n  font-family: \"%s\";\n  src: url(\"../fonts/%s\");\n"
                         "  font-weight: %d;\n  font-style: %s;\n}\n",
                   s->font_family[r], s->font_file[r], face[r].weight, face[r].style);
    }
    buf_add(&css, s->css, s->css_len);
    if (notes)
        buf_puts(&css, xnote_css());
    return buf_detach(&css, len);
}

static void add_chapters(pkg *p, manifest *mf, arena *a, const book *b, const epub_extra *x)
{
    for (int i = 0; i < b->nch; i++) {
        const chapter *c = &b->ch[i];
        if (!c->doc)
            continue;
        const char *id = arena_printf(a, "ch%03d", i + 1);
        add_item(mf, id, c->out_name, "application/xhtml+xml", NULL);
        add_spine(mf, id);
        xmlDocPtr doc = xhtml_chapter(b, i, x ? x->pages : NULL);
        add_doc(p, arena_printf(a, "EPUB/%s", c->out_name), doc);
    }
}

static void add_images(pkg *p, manifest *mf, arena *a, const book *b)
{
    int nimg = 0;
    for (resource *r = b->resources; r; r = r->next) {
        const char *id = arena_printf(a, "img%03d", ++nimg);
        add_item(mf, id, r->out_name, r->media_type, NULL);
        add_entry(p, arena_printf(a, "EPUB/%s", r->out_name), xstrndup(r->data, r->len), r->len,
                  strcmp(r->media_type, "image/svg+xml") ? PACK_STORE : PACK_DEFLATE);
    }
}

/* The characters the EPUB's fonts must hold: those of the documents in p
 * so far, of the table of contents (nav and NCX) and its heading. */
static cpset *written_chars(const pkg *p, const tocent *toc, size_t ntoc, const char *lang)
{
    cpset *cps = cpset_new();
    for (size_t i = 0; i < p->n; i++)
        if (ends_with(p->v[i].name, ".xhtml") && p->v[i].data)
            cpset_add_utf8(cps, p->v[i].data, p->v[i].len);
    for (size_t i = 0; i < ntoc; i++)
        cpset_add_utf8(cps, toc[i].label, strlen(toc[i].label));
    cpset_add_utf8(cps, l10n(lang, L_TOC), strlen(l10n(lang, L_TOC)));
    return cps;
}

/* The file of font role r: taken from pre (handed over), else subset to
 * cps, else the whole file as the style read and checked it. Returns a
 * new buffer of *len bytes. */
static char *font_data(const style *s, int r, epub_fonts *pre, const cpset *cps, size_t *len)
{
    if (pre && pre->data[r]) {
        char *data = pre->data[r];
        *len = pre->len[r];
        pre->data[r] = NULL;
        return data;
    }
    char *data = font_subset(s->font_blob[r], cps, len);
    if (!data) {
        unsigned n = 0;
        const char *bytes = hb_blob_get_data(s->font_blob[r], &n);
        data = xmalloc(n + 1);
        memcpy(data, bytes, n);
        *len = n;
    }
    return data;
}

/* The fonts: each file once, subset to the characters of every document
 * (the documents in p and the table of contents). */
static void add_fonts(pkg *p, manifest *mf, arena *a, const book *b, const style *s, const tocent *toc,
                      size_t ntoc, epub_fonts *fonts)
{
    cpset *cps = written_chars(p, toc, ntoc, b->meta.lang);
    epub_fonts *pre = fonts && fonts->cps ? fonts : NULL;
    if (pre) {
        /* the fonts subset ahead serve if they have every character; if
         * not (an entity, say, that only cmark decoded), subset again to
         * both sets: the same input always gives the same fonts */
        if (!cpset_covers(pre->cps, cps))
            pre = NULL;
        cpset_union(cps, fonts->cps);
    }
    for (int r = 0; r < FONT_COUNT; r++) {
        if (shares_file(s, r))
            continue;
        size_t flen = 0;
        char *data = font_data(s, r, pre, cps, &flen);
        const char *href = arena_printf(a, "fonts/%s", s->font_file[r]);
        add_item(mf, arena_printf(a, "font%d", r + 1), href, font_media(s->font_file[r]), NULL);
        add_entry(p, arena_printf(a, "EPUB/%s", href), data, flen, PACK_DEFLATE);
    }
    cpset_free(cps);
}

/* The package document, last in the list but placed in the zip after the
 * container (readers do not care; tools that peek find it early). */
static void add_opf(pkg *p, const manifest *mf, const book *b, const epub_extra *x, diag *d)
{
    add_doc(p, "EPUB/package.opf", make_opf(b, mf, x, d));
    entry opf = p->v[p->n - 1];
    memmove(p->v + 4, p->v + 3, (p->n - 4) * sizeof *p->v);
    p->v[3] = opf;
}

int epub_build(const book *b, const style *s, const epub_extra *x, epub_fonts *fonts, char **out, size_t *outlen,
               diag *d)
{
    pkg p = {0};
    manifest mf = {0};
    arena a = {0};
    int rc = -1;

    add_entry(&p, "mimetype", xstrdup("application/epub+zip"), 20, PACK_STORE);
    add_doc(&p, "META-INF/container.xml", make_container());
    add_doc(&p, "META-INF/com.apple.ibooks.display-options.xml", make_apple_options());
    size_t cover_entry = has_cover(x) ? add_cover(&p, &mf, b, x) : (size_t)-1;
    add_item(&mf, "titlepage", "title.xhtml", "application/xhtml+xml", NULL);
    add_spine(&mf, "titlepage");
    add_doc(&p, "EPUB/title.xhtml", make_titlepage(b));
    add_item(&mf, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
    add_spine(&mf, "nav");
    add_item(&mf, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
    add_item(&mf, "css", "styles/book.css", "text/css", NULL);
    size_t clen;
    int notes = 0;
    for (int i = 0; i < b->nch; i++)
        notes |= b->ch[i].nnotes > 0;
    char *css = style_sheet(s, notes, &clen);
    add_entry(&p, "EPUB/styles/book.css", css, clen, PACK_DEFLATE);
    add_chapters(&p, &mf, &a, b, x);
    add_images(&p, &mf, &a, b);

    size_t ntoc = 0;
    tocent *toc = collect_toc(b, &ntoc);
    add_fonts(&p, &mf, &a, b, s, toc, ntoc, fonts);
    add_doc(&p, "EPUB/nav.xhtml", make_nav(b, toc, ntoc, x));
    add_doc(&p, "EPUB/toc.ncx", make_ncx(b, toc, ntoc, x));
    if (cover_entry == (size_t)-1 || fill_cover(&p, cover_entry, x, d) == 0) {
        add_opf(&p, &mf, b, x, d);
        rc = zip_all(&p, b->build_epoch, out, outlen, d);
    }

    for (size_t i = 0; i < ntoc; i++)
        free(toc[i].href);
    free(toc);
    for (size_t i = 0; i < p.n; i++) {
        free(p.v[i].name);
        free(p.v[i].data);
    }
    free(p.v);
    free(mf.items);
    free(mf.spine);
    arena_free(&a);
    if (fonts)
        epub_fonts_free(fonts);
    return rc;
}

static void add_str(cpset *c, const char *t)
{
    if (t)
        cpset_add_utf8(c, t, strlen(t));
}

int epub_fonts_prepare(const book *b, const style *s, epub_fonts *f)
{
    memset(f, 0, sizeof *f);
    f->cps = cpset_new();
    for (int i = 0; i < b->nch; i++) {
        const chapter *c = &b->ch[i];
        if (c->text)
            cpset_add_utf8(f->cps, c->text, c->len);
        add_str(f->cps, c->title);
        add_str(f->cps, c->label);
    }
    const meta *m = &b->meta;
    add_str(f->cps, m->title);
    add_str(f->cps, m->subtitle);
    add_str(f->cps, m->publisher);
    add_str(f->cps, m->description);
    add_str(f->cps, m->date);
    for (int i = 0; i < m->nauthors; i++)
        add_str(f->cps, m->authors[i]);
    for (int k = 0; k < L_COUNT; k++)
        add_str(f->cps, l10n(m->lang, (l10n_key)k));
    for (int r = 0; r < FONT_COUNT; r++) {
        if (shares_file(s, r))
            continue;
        f->data[r] = font_subset(s->font_blob[r], f->cps, &f->len[r]);
        if (!f->data[r]) {
            epub_fonts_free(f);
            return -1;
        }
    }
    return 0;
}

void epub_fonts_free(epub_fonts *f)
{
    for (int r = 0; r < FONT_COUNT; r++)
        free(f->data[r]);
    cpset_free(f->cps);
    memset(f, 0, sizeof *f);
}
