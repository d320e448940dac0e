/* xhtml — the EPUB's XHTML content documents, built as libxml2 trees from
 * the document model and serialised by libxml2 (never by concatenating
 * markup). */
#ifndef GB_XHTML_H
#define GB_XHTML_H

#include <libxml/tree.h>

#include "model/book.h"
#include "layout/pagemap.h"

/* Creates an XHTML document with <head> (charset, <title>, the style
 * sheet at css_href if not NULL) and an empty <body>, in language lang.
 * Returns the body; *doc receives the document (caller frees with
 * xmlFreeDoc). */
xmlNodePtr xhtml_new(const char *lang, const char *title, const char *css_href, xmlDocPtr *doc);

/* Builds the content document of chapter i. Page-break markers from `pm`
 * (may be NULL) are inserted where the printed pages begin. Returns a new
 * document (caller frees with xmlFreeDoc). */
xmlDocPtr xhtml_chapter(const book *b, int i, const pagemap *pm);

/* Serialises doc (UTF-8, XML declaration, HTML5 doctype) into a new buffer
 * (caller frees); *len receives its length. */
char *xhtml_serialize(xmlDocPtr doc, size_t *len);

/* The one text-to-XML rule of every writer: if s[0..len) holds what XML
 * 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) or is not
 * valid UTF-8 (lone surrogates, stray bytes), appends the text without the
 * forbidden characters (invalid bytes as U+FFFD) to out and returns 1;
 * returns 0 (out untouched) when the text is fine as it is. */
int xhtml_clean(const char *s, size_t len, buf *out);

/* Applies xhtml_clean to every text, comment and attribute value under
 * root (xhtml_serialize does this, so no writer can emit such text). */
void xhtml_clean_tree(xmlNodePtr root);

/* Adds text to parent, cleaned by xhtml_clean. */
void xhtml_add_text(xmlNodePtr parent, const char *s, size_t len);

/* Sets attribute `name` of el to uri written as a valid URI (through
 * sanitize_uri); sets nothing when no valid URI can be made of it. */
void xhtml_set_uri(xmlNodePtr el, const char *name, const char *uri);

/* Sets an attribute in the XML namespace (xml:lang). */
void xhtml_set_xml_lang(xmlNodePtr el, const char *lang);

/* Returns the epub: namespace declared on the document's root. */
xmlNsPtr xhtml_epub_ns(xmlDocPtr doc);

#endif
