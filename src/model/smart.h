/* smart — typographic punctuation by language: straight quotes become the
 * language's quotation marks, apostrophes ’, "--" an en dash, "---" an em
 * dash, "..." an ellipsis. Only text is rewritten: never code spans, code
 * blocks, raw HTML (nor the text inside inline <code>, <kbd>, <samp>,
 * <script>, <style>), link destinations or the URL an autolink shows.
 *
 * Marks per language (the tag's primary subtag): nl and en ‘…’ and “…”;
 * de „…“ and ‚…‘ (de-CH «…» and ‹…›); fr « … » with narrow no-break
 * spaces (U+202F) inside and “…” inside those; any other language as en.
 * Whether a quote opens or closes is decided by the characters around it
 * (as SmartyPants does), across inline elements, within one paragraph. */
#ifndef GB_SMART_H
#define GB_SMART_H

#include <cmark-gfm.h>

/* Rewrites the text nodes of the tree under doc in place, for the
 * language tag lang (NULL: en). A block whose text would become longer
 * than max_len bytes (marks are longer than the quotes they replace) is
 * left as typed; the first such block is returned (NULL: none). */
cmark_node *smart_tree(cmark_node *doc, const char *lang, size_t max_len);

/* Backslash escapes (\" \' \- \.) keep their character straight. Before
 * parsing, smart_protect returns a malloc'd copy of the len bytes of
 * Markdown s in which each such escape is a stand-in of the same length
 * (U+0080..U+0083), or NULL when there is none (or when the text has a
 * character reference, which could name a stand-in). After smart_tree,
 * smart_restore puts the escapes back: as the plain character in text,
 * link destinations, titles and info strings (what cmark makes of an
 * escape), as the backslash and the character in code and raw HTML. */
char *smart_protect(const char *s, size_t len);
void smart_restore(cmark_node *doc);

/* The same rewriting of a plain string (one paragraph), e.g. the book's
 * title. Returns a malloc'd string the caller frees. */
char *smart_string(const char *s, const char *lang);

#endif
