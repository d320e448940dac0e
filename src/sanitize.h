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
 */
#ifndef GB_SANITIZE_H
#define GB_SANITIZE_H

#include <libxml/tree.h>

#include "diag.h"

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

/* Returns 1 if an URL is safe to keep as a link target (http, https,
 * mailto, ftp, tel, or a fragment "#..."). */
int sanitize_url_ok(const char *url);

#endif
