/* xhtml — see xhtml.h.
 *
 * One walk over the chapter's cmark tree with cmark's iterator and an
 * explicit stack of open elements (no recursion: nesting depth costs no C
 * stack). Inline raw HTML tags, classified at load time by sanitize, push
 * and pop elements on the same stack; whatever is still open when the
 * enclosing Markdown element ends is closed with it, so the output is
 * always well formed.
 */
#include "epub/xhtml.h"
#include "epub/xnotes.h"

#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>

#include "epub/xtable.h"
#include "model/gfm.h"
#include "model/sanitize.h"
#include "model/task.h"
#include "base/utf8.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define EPUB_NS "http://www.idpf.org/2007/ops"

/* Is s[0..len) text XML 1.0 allows, in valid UTF-8? The fast path: plain
 * ASCII without control characters. */
static int xml_text_ok(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r')
                return 0;
            i++;
            continue;
        }
        int l;
        uint32_t cp = utf8_decode(s + i, len - i, &l);
        if ((cp == 0xFFFD && l == 1) || cp == 0xFFFE || cp == 0xFFFF)
            return 0;
        i += (size_t)l;
    }
    return 1;
}

int xhtml_clean(const char *s, size_t len, buf *out)
{
    if (xml_text_ok(s, len))
        return 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                buf_putc(out, (char)c);
            i++;
            continue;
        }
        int l;
        uint32_t cp = utf8_decode(s + i, len - i, &l);
        if (cp == 0xFFFD && l == 1)
            buf_puts(out, "\xEF\xBF\xBD"); /* an invalid byte: U+FFFD */
        else if (cp != 0xFFFE && cp != 0xFFFF)
            buf_add(out, s + i, (size_t)l);
        i += (size_t)l;
    }
    return 1;
}

void xhtml_add_text(xmlNodePtr parent, const char *s, size_t len)
{
    buf clean = {0};
    if (xhtml_clean(s, len, &clean)) {
        s = clean.data ? clean.data : "";
        len = clean.len;
    }
    if (len > 0) {
        /* xmlNodeAddContentLen merges with a trailing text child. */
        xmlNodePtr last = parent->last;
        if (last && last->type == XML_TEXT_NODE)
            xmlNodeAddContentLen(last, BAD_CAST s, (int)len);
        else
            xmlAddChild(parent, xmlNewTextLen(BAD_CAST s, (int)len));
    }
    buf_free(&clean);
}

/* Cleans one node's content in place (text, CDATA, comment, an
 * attribute's text). */
static void clean_content(xmlNodePtr n)
{
    if (!n->content)
        return;
    buf clean = {0};
    if (xhtml_clean((const char *)n->content, strlen((const char *)n->content), &clean))
        xmlNodeSetContent(n, BAD_CAST(clean.data ? clean.data : ""));
    buf_free(&clean);
}

/* The node after n in document order below root (its first child, else the
 * next sibling of it or of its nearest ancestor), or NULL after the last:
 * a walk without recursion, whatever the depth. */
static xmlNodePtr next_in_order(xmlNodePtr n, xmlNodePtr root)
{
    if (n->type == XML_ELEMENT_NODE && n->children)
        return n->children;
    while (n && n != root && !n->next)
        n = n->parent;
    return !n || n == root ? NULL : n->next;
}

void xhtml_clean_tree(xmlNodePtr root)
{
    for (xmlNodePtr n = root; n;) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE || n->type == XML_COMMENT_NODE ||
            n->type == XML_PI_NODE)
            clean_content(n);
        if (n->type == XML_ELEMENT_NODE)
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                for (xmlNodePtr t = a->children; t; t = t->next)
                    if (t->type == XML_TEXT_NODE)
                        clean_content(t);
        n = next_in_order(n, root);
    }
}

void xhtml_set_uri(xmlNodePtr el, const char *name, const char *uri)
{
    char *u = sanitize_uri(uri);
    if (u)
        xmlSetProp(el, BAD_CAST name, BAD_CAST u);
    free(u);
}

void xhtml_set_xml_lang(xmlNodePtr el, const char *lang)
{
    xmlNsPtr ns = xmlSearchNsByHref(el->doc, el, XML_XML_NAMESPACE);
    xmlSetNsProp(el, ns, BAD_CAST "lang", BAD_CAST lang);
}

xmlNsPtr xhtml_epub_ns(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    return xmlSearchNsByHref(doc, root, BAD_CAST EPUB_NS);
}

xmlNodePtr xhtml_new(const char *lang, const char *title, const char *css_href, xmlDocPtr *out)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlCreateIntSubset(doc, BAD_CAST "html", NULL, NULL);
    xmlNodePtr html = xmlNewNode(NULL, BAD_CAST "html");
    xmlDocSetRootElement(doc, html);
    xmlNsPtr ns = xmlNewNs(html, BAD_CAST XHTML_NS, NULL);
    xmlSetNs(html, ns);
    xmlNewNs(html, BAD_CAST EPUB_NS, BAD_CAST "epub");
    xmlSetProp(html, BAD_CAST "lang", BAD_CAST lang);
    xhtml_set_xml_lang(html, lang);
    xmlNodePtr head = xmlNewChild(html, ns, BAD_CAST "head", NULL);
    xmlNodePtr charset = xmlNewChild(head, ns, BAD_CAST "meta", NULL);
    xmlSetProp(charset, BAD_CAST "charset", BAD_CAST "utf-8");
    xmlNodePtr t = xmlNewChild(head, ns, BAD_CAST "title", NULL);
    xhtml_add_text(t, title, strlen(title));
    if (css_href) {
        xmlNodePtr link = xmlNewChild(head, ns, BAD_CAST "link", NULL);
        xmlSetProp(link, BAD_CAST "rel", BAD_CAST "stylesheet");
        xmlSetProp(link, BAD_CAST "type", BAD_CAST "text/css");
        xmlSetProp(link, BAD_CAST "href", BAD_CAST css_href);
    }
    *out = doc;
    return xmlNewChild(html, ns, BAD_CAST "body", NULL);
}

/* Phrasing content in XHTML's namespace. */
static int is_phrasing(xmlNodePtr n)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST XHTML_NS) &&
           sanitize_is_inline((const char *)n->name);
}

/* Pretty-printing (XML_SAVE_FORMAT) indents the children of every element
 * that has no text child. In XHTML that whitespace is visible: a space in
 * <p><strong>a</strong><em>b</em></p>, a blank first line and an indent in
 * <pre><code>. libxml2 prints an element's content as is when one of its
 * children is a text node, so such elements (pre, and those holding
 * phrasing elements) get an empty one, which prints as nothing. */
static void keep_inline_whitespace(xmlNodePtr root)
{
    for (xmlNodePtr n = root; n;) {
        if (n->type == XML_ELEMENT_NODE && n->children) {
            int need = n->ns && xmlStrEqual(n->ns->href, BAD_CAST XHTML_NS) &&
                       xmlStrEqual(n->name, BAD_CAST "pre");
            int has_text = 0;
            for (xmlNodePtr c = n->children; c; c = c->next) {
                if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE ||
                    c->type == XML_ENTITY_REF_NODE)
                    has_text = 1;
                else if (is_phrasing(c))
                    need = 1;
            }
            if (need && !has_text)
                xmlAddPrevSibling(n->children, xmlNewDocText(n->doc, BAD_CAST ""));
        }
        n = next_in_order(n, root);
    }
}

char *xhtml_serialize(xmlDocPtr doc, size_t *len)
{
    /* whatever the writers put in the tree, only what XML 1.0 allows is
     * written */
    xhtml_clean_tree(xmlDocGetRootElement(doc));
    keep_inline_whitespace(xmlDocGetRootElement(doc));
    xmlBufferPtr xb = xmlBufferCreate();
    xmlSaveCtxtPtr ctx = xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_AS_XML);
    xmlSaveDoc(ctx, doc);
    xmlSaveClose(ctx);
    char *s = xstrndup((const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
    *len = (size_t)xmlBufferLength(xb);
    xmlBufferFree(xb);
    return s;
}

/* ---- the chapter walk ---- */

typedef struct frame {
    xmlNodePtr el;
    cmark_node *src;   /* the Markdown node that opened it; NULL for raw HTML */
    char html[16];     /* raw HTML tag name that opened it */
} frame;

typedef struct walk {
    const book *b;
    const chapter *c;
    xmlDocPtr doc;
    xmlNsPtr ns, epub;
    frame *st;
    size_t n, cap;
    int skip_raw;      /* inside <script>/<style>: drop text */
    int task;          /* a task item just opened: 1 open, 2 done */
    const page_mark *marks;
    size_t nmarks, next_mark;
    int table_col;     /* xtable: the cell's column in its row */
} walk;

static xmlNodePtr top(walk *w)
{
    return w->st[w->n - 1].el;
}

static void push(walk *w, xmlNodePtr el, cmark_node *src, const char *html)
{
    GROW(w->st, w->cap, w->n + 1);
    frame *f = &w->st[w->n++];
    f->el = el;
    f->src = src;
    f->html[0] = 0;
    if (html)
        snprintf(f->html, sizeof f->html, "%s", html);
}

static void pop_to(walk *w, cmark_node *src)
{
    while (w->n > 1) {
        frame *f = &w->st[--w->n];
        if (f->src == src)
            break;
    }
}

static xmlNodePtr child(walk *w, const char *name)
{
    return xmlNewChild(top(w), w->ns, BAD_CAST name, NULL);
}

/* Inline elements (emphasis, links, raw inline HTML) nest without bound in
 * Markdown ("*a _b *c ..."), but XML parsers refuse documents nested deeper
 * than 256 elements (libxml2's default, which reading systems use). Past
 * this many open frames an inline element is flattened: its frame reuses
 * the current element, so its text stays and the pairing still works.
 * Block nesting is bounded by BOOK_MAX_DEPTH and raw HTML blocks by the
 * sanitiser, which keeps every document well under 256. */
#define XHTML_MAX_INLINE_FRAMES 160

static int too_deep(const walk *w)
{
    return w->n >= XHTML_MAX_INLINE_FRAMES;
}

static void marker(walk *w, xmlNodePtr parent, const page_mark *m)
{
    xmlNodePtr s = xmlNewChild(parent, w->ns, BAD_CAST "span", NULL);
    xmlSetNsProp(s, w->epub, BAD_CAST "type", BAD_CAST "pagebreak");
    xmlSetProp(s, BAD_CAST "role", BAD_CAST "doc-pagebreak");
    char id[64];
    snprintf(id, sizeof id, "page_%s", m->label);
    xmlSetProp(s, BAD_CAST "id", BAD_CAST id);
    xmlSetProp(s, BAD_CAST "aria-label", BAD_CAST m->label);
}

/* Text of a node, with page markers inserted at their offsets. */
static void text_with_marks(walk *w, xmlNodePtr parent, cmark_node *n, const char *s)
{
    size_t len = strlen(s), done = 0;
    while (w->next_mark < w->nmarks && w->marks[w->next_mark].node == n) {
        const page_mark *m = &w->marks[w->next_mark++];
        size_t off = m->offset > len ? len : m->offset;
        if (off < done)
            off = done;
        xhtml_add_text(parent, s + done, off - done);
        marker(w, parent, m);
        done = off;
    }
    xhtml_add_text(parent, s + done, len - done);
}

/* Markers placed at the start of a block element. */
static void block_marks(walk *w, xmlNodePtr el, cmark_node *n)
{
    while (w->next_mark < w->nmarks && w->marks[w->next_mark].node == n)
        marker(w, el, &w->marks[w->next_mark++]);
}

static int tight_paragraph(cmark_node *para)
{
    cmark_node *item = cmark_node_parent(para);
    if (!item || cmark_node_get_type(item) != CMARK_NODE_ITEM)
        return 0;
    cmark_node *list = cmark_node_parent(item);
    return list && cmark_node_get_list_tight(list);
}

static void img_element(walk *w, xmlNodePtr parent, cmark_node *n)
{
    anno *a = node_anno(n);
    buf alt = {0};
    node_plain_text(n, &alt);
    if (!a || !a->res) {
        /* the image failed to load (already an error); keep the alt text */
        xhtml_add_text(parent, alt.data ? alt.data : "", alt.len);
        buf_free(&alt);
        return;
    }
    xmlNodePtr img = xmlNewChild(parent, w->ns, BAD_CAST "img", NULL);
    char *src = xasprintf("../%s", a->res->out_name);
    xhtml_set_uri(img, "src", src);
    free(src);
    xmlNodePtr tmp = xmlNewText(BAD_CAST "");
    xhtml_add_text(tmp, alt.data ? alt.data : "", alt.len);
    xmlSetProp(img, BAD_CAST "alt", tmp->content ? tmp->content : BAD_CAST "");
    xmlFreeNode(tmp);
    buf_free(&alt);
}

/* A paragraph that holds only an image becomes a figure. */
static cmark_node *lone_image(cmark_node *para)
{
    cmark_node *first = cmark_node_first_child(para);
    if (!first || cmark_node_next(first) || cmark_node_get_type(first) != CMARK_NODE_IMAGE)
        return NULL;
    return first;
}

static void html_inline(walk *w, cmark_node *n)
{
    anno *a = node_anno(n);
    const html_tag *t = a ? a->tag : NULL;
    if (!t || !t->name[0])
        return;
    if (!strcmp(t->name, "script") || !strcmp(t->name, "style")) {
        w->skip_raw = !t->closing;
        return;
    }
    if (t->empty) {
        child(w, t->name);
        return;
    }
    if (!t->closing) {
        if (too_deep(w)) {
            push(w, top(w), NULL, t->name);
            return;
        }
        xmlNodePtr el = child(w, t->name);
        if (t->title[0])
            xmlSetProp(el, BAD_CAST "title", BAD_CAST t->title);
        if (t->lang[0]) {
            xmlSetProp(el, BAD_CAST "lang", BAD_CAST t->lang);
            xhtml_set_xml_lang(el, t->lang);
        }
        if (t->href[0])
            xhtml_set_uri(el, "href", t->href);
        /* a link inside a link is invalid: demote */
        if (!strcmp(t->name, "a"))
            for (xmlNodePtr p = el->parent; p; p = p->parent)
                if (p->type == XML_ELEMENT_NODE && !strcmp((const char *)p->name, "a")) {
                    xmlNodeSetName(el, BAD_CAST "span");
                    xmlUnsetProp(el, BAD_CAST "href");
                    break;
                }
        push(w, el, NULL, t->name);
        return;
    }
    /* closing: pop the innermost raw element of that name, if it is open
     * inside the current Markdown element */
    for (size_t i = w->n; i-- > 1;) {
        if (w->st[i].src)
            break;
        if (!strcmp(w->st[i].html, t->name) ||
            (!strcmp(t->name, "a") && !strcmp(w->st[i].html, "span"))) {
            w->n = i;
            return;
        }
    }
}

/* Whether the current element is inside an <a> (links do not nest). */
static int inside_link(walk *w)
{
    for (xmlNodePtr p = top(w); p; p = p->parent)
        if (p->type == XML_ELEMENT_NODE && !strcmp((const char *)p->name, "a"))
            return 1;
    return 0;
}

static void link_element(walk *w, cmark_node *n)
{
    anno *a = node_anno(n);
    xmlNodePtr el;
    int inside_a = inside_link(w);
    if (too_deep(w)) {
        push(w, top(w), n, NULL);
        return;
    }
    if (a && !inside_a && (a->href || a->target_chapter >= 0)) {
        el = child(w, "a");
        if (a->href) {
            xhtml_set_uri(el, "href", a->href);
        } else {
            const chapter *t = &w->b->ch[a->target_chapter];
            const char *file = strrchr(t->out_name, '/') + 1;
            const char *id = a->target_id ? a->target_id : t->title_id;
            char *href = t == w->c && id ? xasprintf("#%s", id)
                         : id            ? xasprintf("%s#%s", file, id)
                                         : xasprintf("%s", file);
            xhtml_set_uri(el, "href", href);
            free(href);
        }
        const char *title = cmark_node_get_title(n);
        if (title && *title) {
            xmlNodePtr tmp = xmlNewText(BAD_CAST "");
            xhtml_add_text(tmp, title, strlen(title));
            xmlSetProp(el, BAD_CAST "title", tmp->content);
            xmlFreeNode(tmp);
        }
    } else {
        el = child(w, "span");
    }
    push(w, el, n, NULL);
}

static void list_element(walk *w, cmark_node *n)
{
    int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    xmlNodePtr el = child(w, ordered ? "ol" : "ul");
    int start = cmark_node_get_list_start(n);
    if (ordered && start != 1) {
        char num[16];
        snprintf(num, sizeof num, "%d", start);
        xmlSetProp(el, BAD_CAST "start", BAD_CAST num);
    }
    push(w, el, n, NULL);
}

static void code_block(walk *w, cmark_node *n)
{
    xmlNodePtr pre = child(w, "pre");
    xmlNodePtr code = xmlNewChild(pre, w->ns, BAD_CAST "code", NULL);
    const char *info = cmark_node_get_fence_info(n);
    if (info && *info) {
        char cls[64] = "language-";
        size_t k = strlen(cls);
        for (const char *p = info; *p && *p != ' ' && k + 1 < sizeof cls; p++) {
            char ch = *p;
            int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                     ch == '-' || ch == '_' || ch == '+';
            cls[k++] = ok ? ch : '-';
        }
        cls[k] = 0;
        xmlSetProp(code, BAD_CAST "class", BAD_CAST cls);
    }
    const char *lit = cmark_node_get_literal(n);
    text_with_marks(w, code, n, lit ? lit : "");
}

/* Puts every element of the tree copy in namespace ns. */
static void set_ns_tree(xmlNodePtr copy, xmlNsPtr ns)
{
    for (xmlNodePtr d = copy; d;) {
        if (d->type == XML_ELEMENT_NODE)
            xmlSetNs(d, ns);
        if (d->children && d->type == XML_ELEMENT_NODE) {
            d = d->children;
            continue;
        }
        while (d && d != copy && !d->next)
            d = d->parent;
        if (!d || d == copy)
            break;
        d = d->next;
    }
}

/* A raw HTML block: the sanitised tree made at load time, copied. */
static void html_block(walk *w, cmark_node *n)
{
    anno *a = node_anno(n);
    if (!a || !a->html)
        return;
    xmlNodePtr parent = top(w);
    for (xmlNodePtr k = a->html->children; k; k = k->next) {
        xmlNodePtr copy = xmlDocCopyNode(k, w->doc, 1);
        if (copy) {
            /* the copy has no namespace: put it in XHTML's, before adding
             * it (xmlAddChild frees a text node that it merges into its
             * neighbour) */
            set_ns_tree(copy, w->ns);
            xmlAddChild(parent, copy);
        }
    }
}

/* Returns 1 when the paragraph was written whole (a figure), so the walk
 * skips its children. */
static int paragraph(walk *w, cmark_node *n)
{
    cmark_node *img = lone_image(n);
    anno *ia = img ? node_anno(img) : NULL;
    if (img && ia && ia->res) {
        xmlNodePtr fig = child(w, "figure");
        block_marks(w, fig, n);
        img_element(w, fig, img);
        const char *title = cmark_node_get_title(img);
        if (title && *title) {
            xmlNodePtr cap = xmlNewChild(fig, w->ns, BAD_CAST "figcaption", NULL);
            xhtml_add_text(cap, title, strlen(title));
        }
        return 1;
    }
    xmlNodePtr cap = gfm_is_caption(n) ? xtable_caption(top(w), w->ns) : NULL;
    if (cap) {
        push(w, cap, n, NULL);
        block_marks(w, cap, n);
        return 0;
    }
    if (tight_paragraph(n)) {
        push(w, top(w), n, NULL);
        block_marks(w, top(w), n);
    } else {
        xmlNodePtr el = child(w, "p");
        push(w, el, n, NULL);
        block_marks(w, el, n);
    }
    return 0;
}

static void heading(walk *w, cmark_node *n)
{
    char name[4] = "h1";
    int level = cmark_node_get_heading_level(n);
    name[1] = (char)('0' + (level < 1 ? 1 : level > 6 ? 6 : level));
    xmlNodePtr el = child(w, name);
    anno *a = node_anno(n);
    if (a && a->id)
        xmlSetProp(el, BAD_CAST "id", BAD_CAST a->id);
    push(w, el, n, NULL);
    block_marks(w, el, n);
    const chapter *c = w->c;
    if (n == c->title_node && c->label && *c->label) {
        xmlNodePtr lab = xmlNewChild(el, w->ns, BAD_CAST "span", NULL);
        xmlSetProp(lab, BAD_CAST "class", BAD_CAST "chapter-label");
        xhtml_add_text(lab, c->label, strlen(c->label));
        xhtml_add_text(el, " ", 1);
    }
}

/* A task item's box, its state for screen readers in the book's
 * language ("klaar"/"open"). */
static void task_box(walk *w, int done)
{
    xmlNodePtr box = child(w, "span");
    xmlSetProp(box, BAD_CAST "class", BAD_CAST "task-box");
    xmlSetProp(box, BAD_CAST "role", BAD_CAST "img");
    xmlSetProp(box, BAD_CAST "aria-label", BAD_CAST task_label(w->b->meta.lang, done));
    const char *g = task_glyph(done);
    xhtml_add_text(box, g, strlen(g));
    xhtml_add_text(top(w), " ", 1);
}

/* Writes the element node n opens. Returns 1 when n was written whole
 * (the walk skips its children). */
static int enter(walk *w, cmark_node *n)
{
    xmlNodePtr el;
    int task = w->task;
    w->task = 0;
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_BLOCK_QUOTE:
        push(w, child(w, "blockquote"), n, NULL);
        break;
    case CMARK_NODE_LIST:
        list_element(w, n);
        break;
    case CMARK_NODE_ITEM:
        el = child(w, "li");
        push(w, el, n, NULL);
        block_marks(w, el, n);
        if (gfm_task_state(n) >= 0) {
            xmlSetProp(el, BAD_CAST "class", BAD_CAST "task");
            xmlSetProp(el, BAD_CAST "style", BAD_CAST "list-style-type: none");
            w->task = 1 + gfm_task_state(n);
        }
        break;
    case CMARK_NODE_CODE_BLOCK:
        code_block(w, n);
        break;
    case CMARK_NODE_HTML_BLOCK:
        html_block(w, n);
        break;
    case CMARK_NODE_PARAGRAPH:
        if (paragraph(w, n))
            return 1;
        if (task)
            task_box(w, task - 1);
        break;
    case CMARK_NODE_HEADING:
        heading(w, n);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        child(w, "hr");
        break;
    case CMARK_NODE_TEXT:
        if (!w->skip_raw && !gfm_caption_prefix(n))
            text_with_marks(w, top(w), n, cmark_node_get_literal(n));
        break;
    case CMARK_NODE_SOFTBREAK:
        if (!w->skip_raw)
            xhtml_add_text(top(w), "\n", 1);
        break;
    case CMARK_NODE_LINEBREAK:
        child(w, "br");
        break;
    case CMARK_NODE_CODE:
        text_with_marks(w, child(w, "code"), n, cmark_node_get_literal(n));
        break;
    case CMARK_NODE_HTML_INLINE:
        html_inline(w, n);
        break;
    case CMARK_NODE_EMPH:
        push(w, too_deep(w) ? top(w) : child(w, "em"), n, NULL);
        break;
    case CMARK_NODE_STRONG:
        push(w, too_deep(w) ? top(w) : child(w, "strong"), n, NULL);
        break;
    case CMARK_NODE_LINK:
        link_element(w, n);
        break;
    case CMARK_NODE_IMAGE:
        img_element(w, top(w), n);
        return 1;
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        if (node_anno(n) && node_anno(n)->kind == ANNO_NOTEREF)
            xnote_mark(top(w), w->ns, w->epub, node_anno(n), inside_link(w));
        break;
    default: /* the document, and the extensions' nodes (tables: xtable.c) */
        if (gfm_kind_of(n) == GFM_STRIKETHROUGH) {
            push(w, too_deep(w) ? top(w) : child(w, "del"), n, NULL);
            break;
        }
        el = xtable_element(top(w), w->ns, n, &w->table_col);
        if (el)
            push(w, el, n, NULL);
        break;
    }
    return 0;
}

/* Walks root's tree (the chapter's document, or a note's definition) into
 * the element on top of the stack. */
static void walk_tree(walk *w, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (n == root)
            continue;
        if (ev == CMARK_EVENT_EXIT) {
            if (t == CMARK_NODE_FOOTNOTE_REFERENCE) /* a leaf the iterator also exits */
                continue;
            pop_to(w, n);
            /* an inline <script> never closed hides the rest of its
             * paragraph only, not the rest of the chapter */
            if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
                w->skip_raw = 0;
            continue;
        }
        if (enter(w, n))
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
}

/* The page markers of chapter ci: contiguous in reading order. */
static void chapter_marks(walk *w, const pagemap *pm, int ci)
{
    size_t first = 0;
    while (first < pm->n && pm->v[first].chapter != ci)
        first++;
    size_t last = first;
    while (last < pm->n && pm->v[last].chapter == ci)
        last++;
    w->marks = pm->v + first;
    w->nmarks = last - first;
}

/* The chapter's <section> in body. */
static xmlNodePtr chapter_section(walk *w, xmlNodePtr body)
{
    const chapter *c = w->c;
    xmlSetNsProp(body, w->epub, BAD_CAST "type", BAD_CAST "bodymatter");
    xmlNodePtr sec = xmlNewChild(body, w->ns, BAD_CAST "section", NULL);
    xmlSetNsProp(sec, w->epub, BAD_CAST "type", BAD_CAST "chapter");
    xmlSetProp(sec, BAD_CAST "role", BAD_CAST "doc-chapter");
    if (c->title_id)
        xmlSetProp(sec, BAD_CAST "aria-labelledby", BAD_CAST c->title_id);
    if (c->theme > 0) {
        char cls[32];
        snprintf(cls, sizeof cls, "theme-%d", c->theme);
        xmlSetProp(sec, BAD_CAST "class", BAD_CAST cls);
    }
    return sec;
}

xmlDocPtr xhtml_chapter(const book *b, int ci, const pagemap *pm)
{
    const chapter *c = &b->ch[ci];
    walk w = {.b = b, .c = c};
    xmlNodePtr body = xhtml_new(b->meta.lang, c->title, "../styles/book.css", &w.doc);
    w.ns = body->ns;
    w.epub = xhtml_epub_ns(w.doc);
    if (pm)
        chapter_marks(&w, pm, ci);
    xmlNodePtr sec = chapter_section(&w, body);
    push(&w, sec, c->doc, NULL);
    walk_tree(&w, c->doc);
    /* the chapter's footnotes (xnotes.c), each walked into its aside */
    for (int k = 0; k < c->nnotes; k++) {
        xmlNodePtr as = xnote_open(sec, w.ns, w.epub, &c->notes[k]);
        push(&w, as, c->notes[k].def, NULL);
        walk_tree(&w, c->notes[k].def);
        w.n = 1;
        xnote_close(as, w.ns, &c->notes[k], b->meta.lang);
    }
    /* marks the walk did not meet (should not happen) still get a target */
    while (w.next_mark < w.nmarks) {
        xmlNodePtr p = xmlNewChild(sec, w.ns, BAD_CAST "p", NULL);
        marker(&w, p, &w.marks[w.next_mark++]);
    }
    free(w.st);
    return w.doc;
}
