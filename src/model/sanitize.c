/* sanitize — see sanitize.h.
 *
 * Design: copy, don't edit. The parsed HTML is never trusted or reused; we
 * walk it and build a new tree of allowed elements only, deciding at each
 * element whether it may appear inside its new parent. Rejected choice:
 * deleting bad nodes from the parsed tree in place, which leaves invalid
 * nesting behind. Recursion depth is capped (SAN_MAX_DEPTH): deeper content
 * is flattened into its ancestor.
 */
#include "model/sanitize.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlsave.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

#define SAN_MAX_DEPTH 48

typedef enum { K_DROP, K_UNWRAP, K_PHRASING, K_BLOCK, K_EMPTY, K_LIST, K_LI, K_DL, K_DTDD,
               K_TABLE, K_TSECT, K_TR, K_CELL, K_CAPTION, K_CODEBLOCK } kind;

typedef struct elem {
    const char *name;
    kind k;
    int flow; /* 1: may contain blocks (flow content); 0: phrasing only */
} elem;

static const elem elems[] = {
    {"a", K_PHRASING, 0},      {"abbr", K_PHRASING, 0},  {"b", K_PHRASING, 0},
    {"bdi", K_PHRASING, 0},    {"bdo", K_PHRASING, 0},   {"cite", K_PHRASING, 0},
    {"code", K_PHRASING, 0},   {"del", K_PHRASING, 0},   {"dfn", K_PHRASING, 0},
    {"em", K_PHRASING, 0},     {"i", K_PHRASING, 0},     {"ins", K_PHRASING, 0},
    {"kbd", K_PHRASING, 0},    {"mark", K_PHRASING, 0},  {"q", K_PHRASING, 0},
    {"s", K_PHRASING, 0},      {"samp", K_PHRASING, 0},  {"small", K_PHRASING, 0},
    {"span", K_PHRASING, 0},   {"strong", K_PHRASING, 0}, {"sub", K_PHRASING, 0},
    {"sup", K_PHRASING, 0},    {"time", K_PHRASING, 0},  {"u", K_PHRASING, 0},
    {"var", K_PHRASING, 0},    {"br", K_EMPTY, 0},       {"wbr", K_EMPTY, 0},
    {"hr", K_EMPTY, 1},        {"p", K_BLOCK, 0},        {"div", K_BLOCK, 1},
    {"section", K_BLOCK, 1},   {"aside", K_BLOCK, 1},    {"blockquote", K_BLOCK, 1},
    {"figure", K_BLOCK, 1},    {"figcaption", K_BLOCK, 1}, {"details", K_BLOCK, 1},
    {"summary", K_BLOCK, 0},   {"address", K_BLOCK, 1},  {"article", K_BLOCK, 1},
    {"header", K_BLOCK, 1},    {"footer", K_BLOCK, 1},   {"pre", K_CODEBLOCK, 0},
    {"ul", K_LIST, 1},         {"ol", K_LIST, 1},        {"li", K_LI, 1},
    {"dl", K_DL, 1},           {"dt", K_DTDD, 0},        {"dd", K_DTDD, 1},
    {"table", K_TABLE, 1},     {"thead", K_TSECT, 1},    {"tbody", K_TSECT, 1},
    {"tfoot", K_TSECT, 1},     {"tr", K_TR, 1},          {"td", K_CELL, 1},
    {"th", K_CELL, 1},         {"caption", K_CAPTION, 1},
    /* dropped with their content */
    {"script", K_DROP, 0},     {"style", K_DROP, 0},     {"iframe", K_DROP, 0},
    {"object", K_DROP, 0},     {"embed", K_DROP, 0},     {"applet", K_DROP, 0},
    {"form", K_DROP, 0},       {"input", K_DROP, 0},     {"button", K_DROP, 0},
    {"textarea", K_DROP, 0},   {"select", K_DROP, 0},    {"option", K_DROP, 0},
    {"link", K_DROP, 0},       {"meta", K_DROP, 0},      {"base", K_DROP, 0},
    {"frame", K_DROP, 0},      {"frameset", K_DROP, 0},  {"noscript", K_DROP, 0},
    {"template", K_DROP, 0},   {"svg", K_DROP, 0},       {"math", K_DROP, 0},
    {"canvas", K_DROP, 0},     {"audio", K_DROP, 0},     {"video", K_DROP, 0},
    {"source", K_DROP, 0},     {"track", K_DROP, 0},     {"img", K_DROP, 0},
    {"picture", K_DROP, 0},    {"title", K_DROP, 0},     {"head", K_DROP, 0},
    {"param", K_DROP, 0},      {"map", K_DROP, 0},       {"area", K_DROP, 0},
    {"col", K_DROP, 0},        {"colgroup", K_DROP, 0},
};

static const elem *lookup(const char *name)
{
    for (size_t i = 0; i < sizeof elems / sizeof *elems; i++)
        if (!strcmp(elems[i].name, name))
            return &elems[i];
    return NULL;
}

static int is_heading(const char *n)
{
    return n[0] == 'h' && n[1] >= '1' && n[1] <= '6' && !n[2];
}

static int is_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

san_uri sanitize_uri_kind(const char *url)
{
    while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r' || *url == '\f')
        url++;
    if (url[0] == '#')
        return url[1] ? URI_FRAGMENT : URI_UNSAFE;
    static const char *const ok[] = {"http://", "https://", "mailto:", "ftp://", "tel:", NULL};
    for (int i = 0; ok[i]; i++)
        if (!strncasecmp(url, ok[i], strlen(ok[i])))
            return URI_EXTERNAL;
    /* data: is an image only if it says so, as a raster format both
     * outputs draw (an SVG inside could hold scripts) */
    static const char *const raster[] = {"data:image/png;", "data:image/png,", "data:image/jpeg;",
                                         "data:image/jpeg,", NULL};
    for (int i = 0; raster[i]; i++)
        if (!strncasecmp(url, raster[i], strlen(raster[i])))
            return URI_DATA_RASTER;
    /* a scheme (letters, then ':' before any '/', '?' or '#'), or an
     * absolute path, or a way up: leads outside */
    const char *p = url;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p == ':' || url[0] == '/' || url[0] == '\\' || !*url)
        return URI_UNSAFE;
    for (const char *q = url; *q; q++)
        if (*q == '\\' || (q[0] == '.' && q[1] == '.' && (q == url || q[-1] == '/') && (!q[2] || q[2] == '/')))
            return URI_UNSAFE;
    return URI_RELATIVE;
}

int sanitize_url_ok(const char *url)
{
    san_uri k = sanitize_uri_kind(url);
    return k == URI_EXTERNAL || k == URI_FRAGMENT;
}

/* May the host of scheme://host be written as it is (after
 * percent-encoding its non-ASCII bytes)? Letters, digits, '-', '.', '_',
 * '~', non-ASCII letters (an international name), an IPv6 literal in
 * brackets, an optional user@ and :port. */
static int host_ok(const char *a, size_t n)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (a[i] == '@')
            at = a + i;
    if (at) {
        n -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    if (n && a[0] == '[') {
        size_t i = 1;
        while (i < n && (is_hex(a[i]) || a[i] == ':' || a[i] == '.'))
            i++;
        if (i >= n || a[i] != ']')
            return 0;
        a += i + 1;
        n -= i + 1;
        if (n == 0)
            return 1;
        if (a[0] != ':')
            return 0;
        for (size_t k = 1; k < n; k++)
            if (!isdigit((unsigned char)a[k]))
                return 0;
        return 1;
    }
    size_t h = n;
    for (size_t i = 0; i < n; i++)
        if (a[i] == ':') {
            h = i;
            for (size_t k = i + 1; k < n; k++)
                if (!isdigit((unsigned char)a[k]))
                    return 0;
            break;
        }
    if (h == 0)
        return 0;
    for (size_t i = 0; i < h; i++) {
        unsigned char c = (unsigned char)a[i];
        if (!(isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c >= 0x80))
            return 0;
    }
    return 1;
}

char *sanitize_uri(const char *url)
{
    while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r' || *url == '\f')
        url++;
    size_t n = strlen(url);
    while (n && (url[n - 1] == ' ' || url[n - 1] == '\t' || url[n - 1] == '\n' || url[n - 1] == '\r' ||
                 url[n - 1] == '\f'))
        n--;
    /* the authority of scheme://authority/..., where brackets may stay */
    size_t auth = 0, auth_end = 0;
    const char *sep = strstr(url, "://");
    if (sep && (size_t)(sep - url) < n) {
        int scheme = sep > url;
        for (const char *q = url; q < sep; q++)
            if (!isalnum((unsigned char)*q) && *q != '+' && *q != '-' && *q != '.')
                scheme = 0;
        if (scheme) {
            auth = (size_t)(sep - url) + 3;
            auth_end = auth;
            while (auth_end < n && url[auth_end] != '/' && url[auth_end] != '?' && url[auth_end] != '#')
                auth_end++;
            if (!host_ok(url + auth, auth_end - auth))
                return NULL;
        }
    }
    static const char hex[] = "0123456789ABCDEF";
    buf b = {0};
    int seen_hash = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)url[i];
        int keep = isalnum(c) || strchr("-._~:/?@!$&'()*+,;=", c);
        if (c == 0)
            keep = 0;
        if (c == '#')
            keep = !seen_hash, seen_hash = 1;
        /* brackets (IPv6) and a name's non-ASCII letters stay in the host:
         * readers resolve international domain names written as such */
        if ((c == '[' || c == ']' || c >= 0x80) && i >= auth && i < auth_end)
            keep = 1;
        if (c == '%' && i + 2 < n && is_hex(url[i + 1]) && is_hex(url[i + 2]))
            keep = 1;
        if (keep) {
            buf_putc(&b, (char)c);
        } else {
            buf_putc(&b, '%');
            buf_putc(&b, hex[c >> 4]);
            buf_putc(&b, hex[c & 15]);
        }
    }
    size_t len;
    return buf_detach(&b, &len);
}

typedef struct san {
    diag *d;
    const char *file;
    int line;
    int warned_script, warned_handler, warned_url, warned_img, warned_other;
} san;

static void warn(san *s, int *flag, const char *msg)
{
    if (*flag)
        return;
    *flag = 1;
    diag_warning(s->d, s->file, s->line, 1, "%s", msg);
}

/* Copies the allowed attributes of src onto dst. */
static void copy_attrs(san *s, xmlNodePtr src, xmlNodePtr dst, const char *name)
{
    for (xmlAttrPtr a = src->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        xmlChar *v = xmlNodeListGetString(src->doc, a->children, 1);
        const char *val = v ? (const char *)v : "";
        if (!strncasecmp(an, "on", 2)) {
            warn(s, &s->warned_handler, "raw HTML: event handler attributes (on...) removed");
        } else if (!strcmp(an, "href") && !strcmp(name, "a")) {
            char *uri = sanitize_uri_kind(val) == URI_EXTERNAL ? sanitize_uri(val) : NULL;
            if (uri)
                xmlSetProp(dst, BAD_CAST "href", BAD_CAST uri);
            else if (sanitize_uri_kind(val) == URI_EXTERNAL)
                warn(s, &s->warned_url, "raw HTML: a link that is not a valid URL was removed (its text is kept)");
            else if (!strncasecmp(val, "javascript:", 11) || !strncasecmp(val, "data:", 5) ||
                     !strncasecmp(val, "vbscript:", 9))
                warn(s, &s->warned_url, "raw HTML: javascript:/data: link removed (its text is kept)");
            else
                warn(s, &s->warned_other, "raw HTML: only external links (https://...) are kept in raw HTML; write internal links in Markdown");
            free(uri);
        } else if (!strcmp(an, "title") || !strcmp(an, "class") || !strcmp(an, "dir")) {
            if (strcmp(an, "dir") || !strcmp(val, "ltr") || !strcmp(val, "rtl") || !strcmp(val, "auto"))
                xmlSetProp(dst, a->name, BAD_CAST val);
        } else if (!strcmp(an, "lang")) {
            int ok = *val && strlen(val) < 36;
            for (const char *p = val; *p; p++)
                if (!isalnum((unsigned char)*p) && *p != '-')
                    ok = 0;
            if (ok) {
                xmlSetProp(dst, BAD_CAST "lang", BAD_CAST val);
                xmlNsPtr xmlns = xmlSearchNsByHref(dst->doc, dst, XML_XML_NAMESPACE);
                xmlSetNsProp(dst, xmlns, BAD_CAST "lang", BAD_CAST val);
            }
        } else if ((!strcmp(an, "colspan") || !strcmp(an, "rowspan")) &&
                   (!strcmp(name, "td") || !strcmp(name, "th"))) {
            int n = atoi(val);
            if (n >= 1 && n <= 1000) {
                char num[8];
                snprintf(num, sizeof num, "%d", n);
                xmlSetProp(dst, a->name, BAD_CAST num);
            }
        } else if (!strcmp(an, "scope") && !strcmp(name, "th")) {
            if (!strcmp(val, "row") || !strcmp(val, "col") || !strcmp(val, "rowgroup") || !strcmp(val, "colgroup"))
                xmlSetProp(dst, a->name, BAD_CAST val);
        } else if (!strcmp(an, "start") && !strcmp(name, "ol")) {
            char *end;
            long n = strtol(val, &end, 10);
            if (!*end && *val && n > -1000000000L && n < 1000000000L) {
                char num[16];
                snprintf(num, sizeof num, "%ld", n);
                xmlSetProp(dst, a->name, BAD_CAST num);
            }
        } else if (!strcmp(an, "datetime") && !strcmp(name, "time")) {
            /* dropped: its syntax is strict and not worth validating */
        }
        if (v)
            xmlFree(v);
    }
}

/* Adds text, dropping characters XML 1.0 forbids. */
static void add_text(xmlNodePtr parent, const char *t)
{
    buf b = {0};
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            continue;
        buf_putc(&b, (char)*p);
    }
    if (b.len)
        xmlAddChild(parent, xmlNewText(BAD_CAST b.data));
    buf_free(&b);
}

static int only_space(const char *t)
{
    for (; *t; t++)
        if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
            return 0;
    return 1;
}

/* What a parent accepts. */
typedef enum { A_FLOW, A_PHRASING, A_LIST, A_DL, A_TABLE, A_TSECT, A_TR } accepts;

static accepts accepts_of(const char *name)
{
    const elem *e = lookup(name);
    if (!e)
        return A_FLOW;
    switch (e->k) {
    case K_LIST: return A_LIST;
    case K_DL: return A_DL;
    case K_TABLE: return A_TABLE;
    case K_TSECT: return A_TSECT;
    case K_TR: return A_TR;
    default: return e->flow ? A_FLOW : A_PHRASING;
    }
}

static void copy_children(san *s, xmlNodePtr src, xmlNodePtr dst, int depth);
static int has_content(xmlNodePtr n);

static int named(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* HTML's nesting rules beyond phrasing/flow that validators check: returns
 * 1 if element `name` may not appear inside dst or its ancestors (it is
 * then unwrapped, its content kept). */
static int forbidden_inside(const char *name, xmlNodePtr dst)
{
    static const char *const rules[][5] = {
        /* element, then ancestors it must not have */
        {"a", "a", NULL},
        {"dfn", "dfn", NULL},
        {"address", "address", NULL},
        {"header", "header", "footer", "address", "th"},
        {"footer", "header", "footer", "address", "th"},
        {"section", "address", "th", NULL},
        {"article", "address", "th", NULL},
        {"aside", "address", "th", NULL},
        {"table", "caption", NULL},
    };
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        if (strcmp(rules[i][0], name))
            continue;
        for (xmlNodePtr p = dst; p && p->type == XML_ELEMENT_NODE; p = p->parent)
            for (int k = 1; k < 5 && rules[i][k]; k++)
                if (!strcmp((const char *)p->name, rules[i][k]))
                    return 1;
    }
    return 0;
}

/* Puts a table's parts in the order HTML requires: one caption, one thead,
 * the body (rows, or tbody elements with stray rows wrapped in a tbody of
 * their own), one tfoot. Extra captions are removed; extra thead and tfoot
 * become tbody. */
static void fix_table(san *s, xmlNodePtr table)
{
    xmlNodePtr caption = NULL, head = NULL, foot = NULL;
    xmlNodePtr *body = NULL;
    size_t nbody = 0, cap = 0;
    int has_tbody = 0;
    xmlNodePtr c = table->children;
    while (c) {
        xmlNodePtr next = c->next;
        xmlUnlinkNode(c);
        if (named(c, "caption") && !caption) {
            caption = c;
        } else if (named(c, "thead") && !head) {
            head = c;
        } else if (named(c, "tfoot") && !foot) {
            foot = c;
        } else if (named(c, "thead") || named(c, "tfoot") || named(c, "tbody") || named(c, "tr")) {
            if (!named(c, "tr")) {
                xmlNodeSetName(c, BAD_CAST "tbody");
                has_tbody = 1;
            }
            GROW(body, cap, nbody + 1);
            body[nbody++] = c;
        } else {
            if (c->type == XML_ELEMENT_NODE)
                warn(s, &s->warned_other, "raw HTML: a table's malformed parts were removed");
            xmlFreeNode(c);
        }
        c = next;
    }
    if (caption)
        xmlAddChild(table, caption);
    if (head)
        xmlAddChild(table, head);
    xmlNodePtr run = NULL; /* the tbody that collects stray rows */
    for (size_t i = 0; i < nbody; i++) {
        if (has_tbody && named(body[i], "tr")) {
            if (!run)
                run = xmlNewChild(table, table->ns, BAD_CAST "tbody", NULL);
            xmlAddChild(run, body[i]);
        } else {
            run = NULL;
            xmlAddChild(table, body[i]);
        }
    }
    if (foot)
        xmlAddChild(table, foot);
    free(body);
}

/* A definition list must be groups of dt+ then dd+; one that is not
 * becomes plain blocks (dl -> div, dt -> p, dd -> div). */
static void fix_dl(xmlNodePtr dl)
{
    const char *first = NULL, *last = NULL;
    for (xmlNodePtr c = dl->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!first)
            first = (const char *)c->name;
        last = (const char *)c->name;
    }
    if (!first || (!strcmp(first, "dt") && !strcmp(last, "dd")))
        return;
    xmlNodeSetName(dl, BAD_CAST "div");
    for (xmlNodePtr c = dl->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            xmlNodeSetName(c, BAD_CAST(named(c, "dt") ? "p" : "div"));
}

/* Text: added to dst, or given a container in a list; dropped elsewhere
 * in a list or table (only white space belongs there). */
static void copy_text(const char *t, xmlNodePtr dst, accepts acc)
{
    if (acc == A_LIST || acc == A_DL || acc == A_TABLE || acc == A_TSECT || acc == A_TR) {
        if (only_space(t))
            return;
        /* stray text in a list or table: give it a proper container */
        const char *wrap = acc == A_LIST ? "li" : acc == A_DL ? "dd" : NULL;
        if (!wrap)
            return;
        xmlNodePtr w = xmlNewChild(dst, NULL, BAD_CAST wrap, NULL);
        add_text(w, t);
        return;
    }
    add_text(dst, t);
}

/* The element's name in lower case into lname. Returns 0 if it is too
 * long to be one of the elements kept. */
static int lower_name(xmlNodePtr n, char lname[16])
{
    const char *name = (const char *)n->name;
    size_t ln = strlen(name);
    if (ln >= 16)
        return 0;
    for (size_t i = 0; i <= ln; i++)
        lname[i] = (char)tolower((unsigned char)name[i]);
    return 1;
}

static void warn_dropped(san *s, const char *lname)
{
    if (!strcmp(lname, "script") || !strcmp(lname, "style") || !strcmp(lname, "iframe") ||
        !strcmp(lname, "object") || !strcmp(lname, "embed"))
        warn(s, &s->warned_script, "raw HTML: <script>, <style> and embedded content removed");
    else if (!strcmp(lname, "img"))
        warn(s, &s->warned_img, "raw HTML: <img> removed; use Markdown images ![alt](file)");
    else
        warn(s, &s->warned_other, "raw HTML: unsupported elements were removed");
}

/* How an element fits where it is copied. */
typedef enum {
    FIT_OK,   /* copied as it is */
    FIT_WRAP, /* in a list (dl): inside an li (dd) of its own */
    FIT_NO    /* out of place: unwrapped, or dropped in a table */
} fit;

/* Does element e, written as `name`, fit in dst, which accepts acc? */
static fit fits(const elem *e, const char *name, xmlNodePtr dst, accepts acc)
{
    int ok;
    switch (acc) {
    case A_PHRASING:
        ok = (e->k == K_PHRASING || e->k == K_EMPTY) && strcmp(name, "hr");
        break;
    case A_FLOW:
        ok = e->k == K_PHRASING || e->k == K_EMPTY || e->k == K_BLOCK || e->k == K_LIST || e->k == K_DL ||
             e->k == K_TABLE || e->k == K_CODEBLOCK;
        /* a summary opens a details element; a figcaption opens a figure */
        if (!strcmp(name, "summary"))
            ok = named(dst, "details") && !has_content(dst);
        if (!strcmp(name, "figcaption"))
            ok = named(dst, "figure") && !has_content(dst);
        break;
    case A_LIST:
        if (e->k != K_LI)
            return FIT_WRAP;
        ok = 1;
        break;
    case A_DL:
        if (e->k != K_DTDD)
            return FIT_WRAP;
        ok = 1;
        break;
    case A_TABLE:
        ok = e->k == K_TSECT || e->k == K_TR || e->k == K_CAPTION;
        break;
    case A_TSECT:
        ok = e->k == K_TR;
        break;
    case A_TR:
        ok = e->k == K_CELL;
        break;
    default:
        ok = 0;
    }
    return ok && !forbidden_inside(name, dst) ? FIT_OK : FIT_NO;
}

/* An element that does not fit in dst: dropped in a table, else its
 * content copied in its place (li/dt/dd/td out of place, or a block
 * inside phrasing). */
static void misfit(san *s, xmlNodePtr n, const elem *e, xmlNodePtr dst, accepts acc, int depth)
{
    if (acc == A_TABLE || acc == A_TSECT || acc == A_TR) {
        warn(s, &s->warned_other, "raw HTML: a table's malformed parts were removed");
        return;
    }
    if (acc == A_PHRASING && (e->k == K_BLOCK || e->k == K_LIST || e->k == K_CODEBLOCK) && dst->children)
        xmlAddChild(dst, xmlNewText(BAD_CAST " "));
    copy_children(s, n, dst, depth + 1);
}

/* Repairs element el (e, written as `name`) once its content is copied:
 * may rename it, or free it when it must not stay empty. */
static void finish_element(san *s, xmlNodePtr el, const elem *e, const char *name)
{
    if (e->k == K_TABLE)
        fix_table(s, el);
    if (e->k == K_DL)
        fix_dl(el);
    /* Keep structurally required content: empty lists and tables are invalid. */
    if ((e->k == K_LIST || e->k == K_DL || e->k == K_TABLE || e->k == K_TSECT || e->k == K_TR) &&
        !el->children) {
        xmlUnlinkNode(el);
        xmlFreeNode(el);
    } else if (!strcmp(name, "a") && !xmlHasProp(el, BAD_CAST "href")) {
        /* an anchor without a safe target: keep its content as a span */
        xmlNodeSetName(el, BAD_CAST "span");
    } else if (!strcmp(name, "details")) {
        /* details needs a summary first: without one it is a div */
        xmlNodePtr c = el->children;
        while (c && c->type != XML_ELEMENT_NODE)
            c = c->next;
        if (!named(c, "summary"))
            xmlNodeSetName(el, BAD_CAST "div");
    } else if (!strcmp(name, "bdo")) {
        /* bdo needs dir="ltr" or "rtl" */
        xmlChar *dir = xmlGetProp(el, BAD_CAST "dir");
        if (!dir || (strcmp((const char *)dir, "ltr") && strcmp((const char *)dir, "rtl")))
            xmlNodeSetName(el, BAD_CAST "span");
        xmlFree(dir);
    }
}

/* Copies node n into dst as the content model allows: the element itself,
 * its content alone (unwrapped), or nothing. */
static void copy_node(san *s, xmlNodePtr n, xmlNodePtr dst, int depth)
{
    accepts acc = accepts_of((const char *)dst->name);
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            copy_text((const char *)n->content, dst, acc);
        return;
    }
    if (n->type != XML_ELEMENT_NODE)
        return; /* comments, processing instructions */
    char lname[16];
    if (!lower_name(n, lname)) {
        copy_children(s, n, dst, depth + 1);
        return;
    }
    const elem *e = lookup(lname);
    const char *name = lname;
    if (is_heading(lname)) {
        name = "p";
        e = lookup("p");
    }
    if (!e) {
        /* html/body/unknown elements: keep the content, drop the tag */
        if (strcmp(lname, "html") && strcmp(lname, "body"))
            warn(s, &s->warned_other, "raw HTML: unsupported elements were removed (their text is kept)");
        copy_children(s, n, dst, depth + 1);
        return;
    }
    if (e->k == K_DROP) {
        warn_dropped(s, lname);
        return;
    }
    if (depth > SAN_MAX_DEPTH) {
        copy_children(s, n, dst, depth + 1);
        return;
    }
    switch (fits(e, name, dst, acc)) {
    case FIT_WRAP:
        copy_node(s, n, xmlNewChild(dst, NULL, BAD_CAST(acc == A_LIST ? "li" : "dd"), NULL), depth + 1);
        return;
    case FIT_NO:
        misfit(s, n, e, dst, acc, depth);
        return;
    case FIT_OK:
        break;
    }
    xmlNodePtr el = xmlNewNode(dst->ns, BAD_CAST name);
    xmlAddChild(dst, el);
    copy_attrs(s, n, el, name);
    if (e->k != K_EMPTY)
        copy_children(s, n, el, depth + 1);
    finish_element(s, el, e, name);
}

static void copy_children(san *s, xmlNodePtr src, xmlNodePtr dst, int depth)
{
    for (xmlNodePtr c = src->children; c; c = c->next)
        copy_node(s, c, dst, depth);
}

static int has_content(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content && !only_space((const char *)c->content))
            return 1;
        if (c->type == XML_ELEMENT_NODE)
            return 1;
    }
    return 0;
}

xmlNodePtr sanitize_block(const char *html, diag *d, const char *file, int line)
{
    san s = {.d = d, .file = file, .line = line};
    buf wrapped = {0};
    buf_puts(&wrapped, "<html><body>");
    buf_puts(&wrapped, html);
    buf_puts(&wrapped, "</body></html>");
    htmlDocPtr doc = htmlReadMemory(wrapped.data, (int)(wrapped.len > 0x7FFFFFFF ? 0x7FFFFFFF : wrapped.len),
                                    NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_NOBLANKS);
    buf_free(&wrapped);
    xmlNodePtr out = xmlNewNode(NULL, BAD_CAST "div");
    if (doc) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        if (root)
            copy_children(&s, root, out, 0);
        xmlFreeDoc(doc);
    }
    if (!has_content(out)) {
        xmlFreeNode(out);
        return NULL;
    }
    return out;
}

static void get_attr(const char *p, const char *end, const char *name, char *out, size_t outsz)
{
    size_t nl = strlen(name);
    out[0] = 0;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        const char *an = p;
        while (p < end && *p != '=' && *p != ' ' && *p != '>' && *p != '/' && *p != '\t' && *p != '\n')
            p++;
        size_t al = (size_t)(p - an);
        const char *v = NULL;
        size_t vl = 0;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
            p++;
        if (p < end && *p == '=') {
            p++;
            while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
                p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                char q = *p++;
                v = p;
                while (p < end && *p != q)
                    p++;
                vl = (size_t)(p - v);
                if (p < end)
                    p++;
            } else {
                v = p;
                while (p < end && *p != ' ' && *p != '>' && *p != '\t' && *p != '\n')
                    p++;
                vl = (size_t)(p - v);
            }
        }
        if (al == 0) {
            p++;
            continue;
        }
        if (al == nl && !strncasecmp(an, name, nl) && v) {
            if (vl >= outsz)
                vl = outsz - 1;
            memcpy(out, v, vl);
            out[vl] = 0;
            /* undo the few entities that matter in attribute values */
            char *o = out;
            for (char *i = out; *i;) {
                if (!strncmp(i, "&amp;", 5)) *o++ = '&', i += 5;
                else if (!strncmp(i, "&quot;", 6)) *o++ = '"', i += 6;
                else if (!strncmp(i, "&lt;", 4)) *o++ = '<', i += 4;
                else if (!strncmp(i, "&gt;", 4)) *o++ = '>', i += 4;
                else *o++ = *i++;
            }
            *o = 0;
            return;
        }
    }
}

int sanitize_is_inline(const char *name)
{
    if (!strcmp(name, "img"))
        return 1; /* dropped from raw HTML, but the writers make it of Markdown images */
    const elem *e = lookup(name);
    return e && (e->k == K_PHRASING || (e->k == K_EMPTY && !e->flow));
}

/* Warns once about an event handler attribute (on...=) in attrs[0..end). */
static void warn_handlers(const char *attrs, const char *end, diag *d, const char *file, int line, int col)
{
    for (const char *q = attrs; q + 3 < end; q++)
        if ((q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n') && (q[0] == 'o' || q[0] == 'O') &&
            (q[1] == 'n' || q[1] == 'N') && isalpha((unsigned char)q[2])) {
            const char *e = q + 2;
            while (isalpha((unsigned char)*e))
                e++;
            while (*e == ' ')
                e++;
            if (*e == '=') {
                diag_warning(d, file, line, col, "raw HTML: event handler attribute removed");
                return;
            }
        }
}

/* An inline <a>'s href into t->href when it is a valid external URL;
 * else a warning, and the link becomes a span (its text is kept). */
static void inline_href(const char *attrs, const char *end, html_tag *t, diag *d, const char *file, int line,
                        int col)
{
    get_attr(attrs, end, "href", t->href, sizeof t->href);
    char *uri = t->href[0] && sanitize_uri_kind(t->href) == URI_EXTERNAL ? sanitize_uri(t->href) : NULL;
    if (uri && strlen(uri) < sizeof t->href) {
        strcpy(t->href, uri);
    } else if (t->href[0] && sanitize_uri_kind(t->href) == URI_EXTERNAL) {
        diag_warning(d, file, line, col, "raw HTML: a link that is not a valid URL was removed (its text is kept)");
        t->href[0] = 0;
    } else if (t->href[0]) {
        if (!strncasecmp(t->href, "javascript:", 11) || !strncasecmp(t->href, "data:", 5) ||
            !strncasecmp(t->href, "vbscript:", 9))
            diag_warning(d, file, line, col, "raw HTML: javascript:/data: link removed (its text is kept)");
        else
            diag_warning(d, file, line, col,
                         "raw HTML: only external links are kept in raw HTML; write internal links in Markdown");
        t->href[0] = 0;
    }
    free(uri);
    if (!t->href[0])
        strcpy(t->name, "span");
}

/* The attributes an inline opening tag keeps: title, a valid lang, and
 * an <a>'s external href. */
static void inline_attrs(const char *attrs, const char *end, html_tag *t, diag *d, const char *file, int line,
                         int col)
{
    get_attr(attrs, end, "title", t->title, sizeof t->title);
    char lang[64];
    get_attr(attrs, end, "lang", lang, sizeof lang);
    int lok = lang[0] && strlen(lang) < sizeof t->lang;
    for (const char *q = lang; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '-')
            lok = 0;
    if (lok)
        strcpy(t->lang, lang);
    if (!strcmp(t->name, "a"))
        inline_href(attrs, end, t, d, file, line, col);
}

void sanitize_inline(const char *html, html_tag *t, diag *d, const char *file, int line, int col)
{
    memset(t, 0, sizeof *t);
    const char *p = html;
    if (p[0] != '<' || p[1] == '!' || p[1] == '?')
        return; /* comments, declarations, processing instructions: dropped */
    p++;
    if (*p == '/') {
        t->closing = 1;
        p++;
    }
    char name[16];
    size_t n = 0;
    while (isalnum((unsigned char)*p) && n + 1 < sizeof name)
        name[n++] = (char)tolower((unsigned char)*p++);
    name[n] = 0;
    if (isalnum((unsigned char)*p))
        return; /* absurdly long name */
    const char *attrs = p, *end = p + strlen(p);
    if (!strcmp(name, "script") || !strcmp(name, "style")) {
        if (!t->closing) {
            diag_warning(d, file, line, col, "raw HTML: <%s> removed", name);
            t->skip_content = 1;
        }
        strcpy(t->name, name); /* the writer uses it to end the skipping */
        t->empty = 0;
        return;
    }
    const elem *e = lookup(name);
    if (e && e->k == K_EMPTY && !e->flow) { /* br, wbr */
        strcpy(t->name, name);
        t->empty = 1;
        return;
    }
    warn_handlers(attrs, end, d, file, line, col);
    /* the phrasing elements raw HTML keeps, but bdo: it needs the dir
     * attribute, which inline tags do not keep */
    if (!e || e->k != K_PHRASING || !strcmp(name, "bdo")) {
        if (!t->closing && n)
            diag_warning(d, file, line, col, "raw HTML: <%s> is not supported here and was removed", name);
        return;
    }
    strcpy(t->name, name);
    if (!t->closing)
        inline_attrs(attrs, end, t, d, file, line, col);
}

/* ---- SVG images ---------------------------------------------------------
 *
 * The same copy-don't-edit design as raw HTML: the parsed SVG is walked and
 * a new document is built of what the rules above allow (sanitize_uri_kind
 * for every reference, the "on..." rule for event handlers, the CSS check
 * below for style sheets and url(...) values). Rejected choice: an SVG
 * allow-list of elements and attributes, which would drop legitimate
 * drawing features of the next SVG version; what can run code or reach
 * outside the image is a short, closed list. */

#define SVG_NS "http://www.w3.org/2000/svg"
#define XLINK_NS "http://www.w3.org/1999/xlink"

/* Is this CSS (a style sheet or one property value) free of references
 * outside the image? @import, escapes (which could spell either), and
 * url(...) or image functions naming anything but #fragment or a raster
 * data: image are refused. */
static int css_ok(const char *css)
{
    if (strchr(css, '\\'))
        return 0;
    static const char *const bad[] = {"@import", "image-set(", "image(", "src(", "cross-fade(", "element(",
                                      "expression(", "-moz-binding", "behavior", NULL};
    for (int i = 0; bad[i]; i++)
        if (strcasestr(css, bad[i]))
            return 0;
    for (const char *p = css; (p = strcasestr(p, "url(")) != NULL;) {
        p += 4;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        char q = 0;
        if (*p == '"' || *p == '\'')
            q = *p++;
        const char *e = p;
        while (*e && (q ? *e != q : *e != ')'))
            e++;
        char *target = xstrndup(p, (size_t)(e - p));
        san_uri k = sanitize_uri_kind(target);
        free(target);
        if (k != URI_FRAGMENT && k != URI_DATA_RASTER)
            return 0;
    }
    return 1;
}

typedef struct svgc {
    xmlDocPtr out;
    xmlNsPtr svg, xlink;
    int for_pdf;   /* <a> unwrapped: librsvg would make PDF link annotations */
    int removed_script, removed_ref;
    long elements;
} svgc;

/* Is n an SVG element? Its namespace may be written as an entity
 * (xmlns="&ns_svg;", as Adobe Illustrator does), which libxml2 leaves as
 * written when entities are not substituted. */
static int is_svg_el(xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    if (!n->ns || xmlStrEqual(n->ns->href, BAD_CAST SVG_NS))
        return 1;
    const char *h = (const char *)n->ns->href;
    size_t l = h ? strlen(h) : 0;
    if (l < 3 || h[0] != '&' || h[l - 1] != ';' || l > 64)
        return 0;
    char name[64];
    memcpy(name, h + 1, l - 2);
    name[l - 2] = 0;
    xmlEntityPtr e = xmlGetDocEntity(n->doc, BAD_CAST name);
    return e && e->etype == XML_INTERNAL_GENERAL_ENTITY && e->content && xmlStrEqual(e->content, BAD_CAST SVG_NS);
}

/* An attribute's value without expanding entity references more than one
 * level (no "billion laughs"); NULL when it cannot be had that way. */
static char *attr_value(xmlDocPtr doc, xmlAttrPtr a)
{
    buf b = {0};
    for (xmlNodePtr t = a->children; t; t = t->next) {
        if (t->type == XML_TEXT_NODE && t->content) {
            buf_puts(&b, (const char *)t->content);
        } else if (t->type == XML_ENTITY_REF_NODE) {
            xmlEntityPtr e = xmlGetDocEntity(doc, t->name);
            if (!e || e->etype != XML_INTERNAL_GENERAL_ENTITY || !e->content || strchr((const char *)e->content, '&')) {
                buf_free(&b);
                return NULL;
            }
            buf_puts(&b, (const char *)e->content);
        }
    }
    size_t len;
    return buf_detach(&b, &len);
}

/* Animations that set a reference or a handler can smuggle either in. */
static int bad_animation(xmlDocPtr doc, xmlNodePtr n)
{
    static const char *const anim[] = {"set", "animate", "animateColor", "animateMotion", "animateTransform", NULL};
    int is_anim = 0;
    for (int i = 0; anim[i]; i++)
        if (xmlStrEqual(n->name, BAD_CAST anim[i]))
            is_anim = 1;
    if (!is_anim)
        return 0;
    xmlAttrPtr a = xmlHasProp(n, BAD_CAST "attributeName");
    char *v = a ? attr_value(doc, a) : NULL;
    if (!v)
        return a != NULL;
    const char *name = strchr(v, ':') ? strchr(v, ':') + 1 : v;
    int bad = !strcasecmp(name, "href") || !strcasecmp(name, "src") || !strcasecmp(name, "style") ||
              !strncasecmp(name, "on", 2);
    free(v);
    return bad;
}

static void svg_copy_attrs(svgc *c, xmlNodePtr src, xmlNodePtr dst)
{
    int is_a = xmlStrEqual(src->name, BAD_CAST "a"), is_image = xmlStrEqual(src->name, BAD_CAST "image");
    for (xmlAttrPtr a = src->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        int xlink = a->ns && xmlStrEqual(a->ns->href, BAD_CAST XLINK_NS);
        int xml = a->ns && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE);
        if (a->ns && !xlink && !xml)
            continue; /* editors' private attributes (inkscape:..., sodipodi:...) */
        if (xml && strcmp(an, "lang") && strcmp(an, "space"))
            continue; /* xml:base would send #fragment references outside */
        if (!strncasecmp(an, "on", 2)) {
            c->removed_script = 1;
            continue;
        }
        char *v = attr_value(src->doc, a);
        if (!v)
            continue;
        int keep = 1;
        char *uri = NULL;
        if (!strcmp(an, "href") || !strcmp(an, "src")) {
            san_uri k = sanitize_uri_kind(v);
            keep = k == URI_FRAGMENT || (k == URI_EXTERNAL && is_a) || (k == URI_DATA_RASTER && is_image);
            uri = keep ? sanitize_uri(v) : NULL;
            keep = uri != NULL;
            if (!keep)
                c->removed_ref = 1;
        } else if (xlink) {
            keep = !strcmp(an, "title"); /* xlink:show, xlink:actuate...: dropped */
        } else if (strcasestr(v, "url(") || !strcmp(an, "style")) {
            keep = css_ok(v);
            if (!keep)
                c->removed_ref = 1;
        }
        if (keep) {
            xmlNsPtr ns = NULL;
            if (xlink) {
                if (!c->xlink)
                    c->xlink = xmlNewNs(xmlDocGetRootElement(c->out), BAD_CAST XLINK_NS, BAD_CAST "xlink");
                ns = c->xlink;
            } else if (xml) {
                ns = xmlSearchNsByHref(c->out, dst, XML_XML_NAMESPACE);
            }
            xmlSetNsProp(dst, ns, a->name, BAD_CAST(uri ? uri : v));
        }
        free(uri);
        free(v);
    }
}

static xmlNodePtr svg_text_of(xmlNodePtr n, buf *b)
{
    for (xmlNodePtr t = n->children; t; t = t->next)
        if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) && t->content)
            buf_puts(b, (const char *)t->content);
    return n;
}

/* A link whose target was removed is unwrapped (its drawing stays); one
 * without a human-readable title gets its target as one (EPUB
 * accessibility asks for it). */
static void svg_fix_link(svgc *c, xmlNodePtr a)
{
    xmlAttrPtr href = xmlHasProp(a, BAD_CAST "href");
    if (!href)
        href = xmlHasNsProp(a, BAD_CAST "href", BAD_CAST XLINK_NS);
    if (!href) {
        while (a->children) {
            xmlNodePtr k = a->children;
            xmlUnlinkNode(k);
            xmlAddPrevSibling(a, k);
        }
        xmlUnlinkNode(a);
        xmlFreeNode(a);
        return;
    }
    for (xmlNodePtr k = a->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE && xmlStrEqual(k->name, BAD_CAST "title"))
            return;
    if (xmlHasNsProp(a, BAD_CAST "title", BAD_CAST XLINK_NS))
        return;
    xmlChar *v = xmlNodeListGetString(c->out, href->children, 1);
    xmlNodePtr t = xmlNewDocNode(c->out, c->svg, BAD_CAST "title", NULL);
    xmlAddChild(t, xmlNewDocText(c->out, v ? v : BAD_CAST ""));
    xmlFree(v);
    if (a->children)
        xmlAddPrevSibling(a->children, t);
    else
        xmlAddChild(a, t);
}

static void svg_copy(svgc *c, xmlNodePtr src, xmlNodePtr dst)
{
    for (xmlNodePtr n = src->children; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                xmlAddChild(dst, xmlNewDocText(c->out, n->content));
            continue;
        }
        if (n->type == XML_ENTITY_REF_NODE) {
            xmlEntityPtr e = xmlGetDocEntity(src->doc, n->name);
            if (e && e->etype == XML_INTERNAL_GENERAL_ENTITY && e->content && !strchr((const char *)e->content, '&') &&
                !strchr((const char *)e->content, '<'))
                xmlAddChild(dst, xmlNewDocText(c->out, e->content));
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || !is_svg_el(n))
            continue; /* comments, processing instructions, other vocabularies */
        const char *name = (const char *)n->name;
        if (!strcmp(name, "script") || !strcmp(name, "handler") || !strcmp(name, "listener") ||
            !strcmp(name, "foreignObject") || bad_animation(src->doc, n)) {
            c->removed_script = 1;
            continue;
        }
        if (!strcmp(name, "style")) {
            buf css = {0};
            svg_text_of(n, &css);
            int ok = css_ok(css.data ? css.data : "");
            if (ok) {
                xmlNodePtr el = xmlNewDocNode(c->out, c->svg, BAD_CAST "style", NULL);
                xmlAddChild(dst, el);
                svg_copy_attrs(c, n, el);
                if (css.len)
                    xmlAddChild(el, xmlNewDocText(c->out, BAD_CAST css.data));
            } else {
                c->removed_ref = 1;
            }
            buf_free(&css);
            continue;
        }
        if (!strcmp(name, "a") && c->for_pdf) {
            svg_copy(c, n, dst); /* unwrapped: its drawing stays */
            continue;
        }
        xmlNodePtr el = xmlNewDocNode(c->out, c->svg, n->name, NULL);
        xmlAddChild(dst, el);
        svg_copy_attrs(c, n, el);
        if ((!strcmp(name, "use") || !strcmp(name, "image") || !strcmp(name, "feImage")) &&
            !xmlHasProp(el, BAD_CAST "href") &&
            !xmlHasNsProp(el, BAD_CAST "href", BAD_CAST XLINK_NS)) {
            /* what it showed is outside the image: nothing to show */
            xmlUnlinkNode(el);
            xmlFreeNode(el);
            continue;
        }
        svg_copy(c, n, el);
        if (!strcmp(name, "a"))
            svg_fix_link(c, el);
    }
}

/* Counts the elements of an XML text without parsing it (start tags
 * outside comments, CDATA sections and processing instructions): the
 * limit is checked before libxml2 builds a tree. */
static long count_elements(const char *s, size_t n, long stop)
{
    long count = 0;
    const char *end = s + n;
    for (const char *p = s; p < end && count <= stop; p++) {
        p = memchr(p, '<', (size_t)(end - p));
        if (!p || p + 1 >= end)
            break;
        const char *close = NULL;
        if (end - p >= 4 && !memcmp(p, "<!--", 4))
            close = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
        else if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9))
            close = memmem(p + 9, (size_t)(end - p - 9), "]]>", 3);
        else if (p[1] == '?')
            close = memmem(p + 2, (size_t)(end - p - 2), "?>", 2);
        else if (isalpha((unsigned char)p[1]) || p[1] == '_' || p[1] == ':' || (unsigned char)p[1] >= 0x80)
            count++;
        else
            continue;
        if (p[1] == '!' || p[1] == '?') {
            if (!close)
                break;
            p = close;
        }
    }
    return count;
}

static char *svg_serialize(xmlDocPtr doc, size_t *len)
{
    xmlBufferPtr xb = xmlBufferCreate();
    xmlSaveCtxtPtr ctx = xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_AS_XML);
    xmlSaveDoc(ctx, doc);
    xmlSaveClose(ctx);
    *len = (size_t)xmlBufferLength(xb);
    char *s = xstrndup((const char *)xmlBufferContent(xb), *len);
    xmlBufferFree(xb);
    return s;
}

static char *svg_build(xmlNodePtr root, int for_pdf, size_t *len, int *script, int *ref)
{
    svgc c = {.for_pdf = for_pdf};
    c.out = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr el = xmlNewDocNode(c.out, NULL, BAD_CAST "svg", NULL);
    xmlDocSetRootElement(c.out, el);
    c.svg = xmlNewNs(el, BAD_CAST SVG_NS, NULL);
    xmlSetNs(el, c.svg);
    svg_copy_attrs(&c, root, el);
    svg_copy(&c, root, el);
    char *s = svg_serialize(c.out, len);
    xmlFreeDoc(c.out);
    *script |= c.removed_script;
    *ref |= c.removed_ref;
    return s;
}

static void copy_root_attr(xmlNodePtr root, const char *name, char *out, size_t n)
{
    out[0] = 0;
    xmlAttrPtr a = xmlHasProp(root, BAD_CAST name);
    char *v = a ? attr_value(root->doc, a) : NULL;
    if (v)
        snprintf(out, n, "%s", v);
    free(v);
}

const char *sanitize_svg(const char *data, size_t len, san_svg *out, diag *d, const char *file, int line,
                         int col, const char *what)
{
    memset(out, 0, sizeof *out);
    if (len > 0x7FFFFFFF)
        return "the SVG file is too large";
    if (count_elements(data, len, SAN_SVG_MAX_ELEMENTS) > SAN_SVG_MAX_ELEMENTS)
        return "the SVG has more than 100000 elements (goodiebag's limit): simplify the drawing or use a PNG";
    /* no network, no DTD or external entities loaded, entities not
     * substituted (libxml2's default depth limit of 256 stays) */
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return "cannot read the SVG (out of memory)";
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    static __thread char msg[300];
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        if (e && e->message && strstr(e->message, "Excessive depth"))
            snprintf(msg, sizeof msg, "the SVG nests its elements more than 256 deep (its line %d; goodiebag's "
                     "limit): simplify the drawing", e->line);
        else
            snprintf(msg, sizeof msg, "the SVG is not well-formed XML (its line %d: %s)", e ? e->line : 0,
                     e && e->message ? e->message : "?");
        size_t ml = strlen(msg);
        if (ml > 2 && msg[ml - 2] == '\n') /* libxml2's messages end in a newline */
            memmove(msg + ml - 2, msg + ml - 1, 2);
        xmlFreeParserCtxt(ctxt);
        return msg;
    }
    xmlFreeParserCtxt(ctxt);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !is_svg_el(root) || !xmlStrEqual(root->name, BAD_CAST "svg")) {
        snprintf(msg, sizeof msg, "its root element is <%.40s>, not <svg>: it is not an SVG image",
                 root ? (const char *)root->name : "");
        xmlFreeDoc(doc);
        return msg;
    }
    copy_root_attr(root, "width", out->width, sizeof out->width);
    copy_root_attr(root, "height", out->height, sizeof out->height);
    copy_root_attr(root, "viewBox", out->viewbox, sizeof out->viewbox);
    int script = 0, ref = 0;
    out->epub = svg_build(root, 0, &out->epub_len, &script, &ref);
    out->pdf = svg_build(root, 1, &out->pdf_len, &script, &ref);
    xmlFreeDoc(doc);
    if (script)
        diag_warning(d, file, line, col, "image '%.200s': its scripts and event handlers were removed (the drawing is shown without them)", what);
    if (ref)
        diag_warning(d, file, line, col,
                     "image '%.200s': its references to files outside the drawing were removed (what they showed is not shown)", what);
    return NULL;
}
