/* sanitize — raw HTML in Markdown, reduced to a safe, valid subset.
 *
 * HTML blocks are parsed with libxml2's HTML parser and copied element by
 * element into a fresh tree, keeping an allow-list of elements and
 * attributes and repairing the content model (no blocks inside phrasing
 * elements, only li in lists, ...) so the EPUB stays valid whatever is
 * written. Scripts, styles, embedded objects, forms, event handlers and
 * javascript:/data: URLs are dropped with a warning. Inline HTML (single tags
 * between Markdown text) is classified tag by tag; the XHTML writer pairs
 * the opening and closing tags.
 *
 * The same rules serve SVG images (sanitize_svg: parsed, copied without
 * scripts, handlers and outside references, written again) and every URI
 * the outputs hold (sanitize_uri_kind judges, sanitize_uri writes).
 */
#ifndef GB_SANITIZE_H
#define GB_SANITIZE_H

#include <libxml/tree.h>

#include "base/diag.h"

/* Returns a new <div> element (not attached to any document; free with
 * xmlFreeNode) holding the safe content of the HTML fragment `html`, or NULL
 * if nothing visible remains. Problems are reported as warnings at
 * file:line. */
xmlNodePtr sanitize_block(const char *html, diag *d, const char *file, int line);

/* An inline tag, classified. */
typedef struct html_tag {
    char name[16];     /* lower-case element name, "" when dropped/ignored */
    int closing;       /* </name> */
    int empty;         /* br, wbr: no closing tag */
    char title[256];   /* title attribute (abbr, ...), or "" */
    char lang[36];     /* lang attribute, or "" */
    char href[1024];   /* a: external href kept, or "" */
    int skip_content;  /* script/style: drop the text up to the closing tag */
} html_tag;

/* Classifies one inline HTML chunk (a tag, a comment, a declaration).
 * Fills *t; t->name is "" when the chunk is to be dropped. Warns about
 * unsafe content (scripts, event handlers, javascript: URLs) at file:line:col. */
void sanitize_inline(const char *html, html_tag *t, diag *d, const char *file, int line, int col);

/* Returns 1 if element `name` (lower case) is phrasing content the
 * writers make: the inline elements raw HTML keeps, br, wbr, and img (of
 * Markdown images). The one list of inline HTML elements. */
int sanitize_is_inline(const char *name);

/* The one rule set for URLs in raw HTML, Markdown and SVG images. */
typedef enum {
    URI_EXTERNAL,    /* http, https, ftp, mailto, tel */
    URI_FRAGMENT,    /* "#name": inside the same document */
    URI_DATA_RASTER, /* data:image/png or data:image/jpeg */
    URI_RELATIVE,    /* a relative path that stays below its folder */
    URI_UNSAFE       /* javascript:, vbscript:, file:, other data:, other
                        schemes, absolute paths, "..", backslashes, empty */
} san_uri;

/* Classifies url (leading white space ignored). */
san_uri sanitize_uri_kind(const char *url);

/* Returns 1 if an URL is safe to keep as a link target (http, https,
 * mailto, ftp, tel, or a fragment "#..."). */
int sanitize_url_ok(const char *url);

/* The one writer of URIs into the outputs: returns url as a valid URI
 * reference (a new string, caller frees): surrounding white space
 * removed, and every byte a URI may not hold (space, quotes, <, >, \,
 * controls, non-ASCII outside an international host name, a second '#', a
 * '%' not followed by two hex digits) percent-encoded (UTF-8 bytes as %XX). Returns NULL when no valid URI can
 * be made of it: its host (scheme://host) holds characters no host may
 * hold. Does not judge the scheme: see sanitize_uri_kind. */
char *sanitize_uri(const char *url);

/* An SVG image, sanitised. */
#define SAN_SVG_MAX_ELEMENTS 100000L
typedef struct san_svg {
    char *epub;           /* for the EPUB (safe links kept); caller frees */
    size_t epub_len;
    char *pdf;            /* for librsvg: links unwrapped (their drawing kept) */
    size_t pdf_len;
    char width[64], height[64], viewbox[128]; /* the root's, "" if absent */
} san_svg;

/* Parses the SVG file data[0..len) and writes it again (libxml2) without
 * scripts, foreignObject, event handlers, animations of references, and
 * references outside the drawing (href/xlink:href/src other than #name, a
 * raster data: image or, on <a>, an external link; style sheets and
 * url(...) values naming outside, @import). Returns NULL and fills *out,
 * warning at file:line:col about what was removed from image `what`; or a
 * message (static or thread-local) when the file is not well-formed XML,
 * its root element is not <svg>, or it has more than SAN_SVG_MAX_ELEMENTS
 * elements. */
const char *sanitize_svg(const char *data, size_t len, san_svg *out, diag *d, const char *file, int line,
                         int col, const char *what);

#endif
