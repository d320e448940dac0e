/* textstr — PDF text strings (§7.9.2.2): writing one from UTF-8, and
 * reading one (PDFDocEncoding or UTF-16BE) back to UTF-8. */
#ifndef GB_POST_TEXTSTR_H
#define GB_POST_TEXTSTR_H

#include "base/util.h"
#include "post/lex.h"

/* Appends s (UTF-8; invalid bytes become U+FFFD) to b as a text string: a
 * literal string when s is ASCII, else UTF-16BE with a byte order mark, as
 * a hex string. */
void textstr_put(buf *b, const char *s);

/* Appends the text of the string token v (literal or hex) to b as UTF-8;
 * returns 0, or -1 if v is not one string token. */
int textstr_to_utf8(span v, buf *b);

#endif
