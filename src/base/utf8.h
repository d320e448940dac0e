/* utf8 — validation, decoding and encoding of UTF-8. */
#ifndef GB_UTF8_H
#define GB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Returns 1 if s[0..n) is valid UTF-8 (no overlongs, surrogates or values
 * above U+10FFFF); otherwise 0 and *bad = byte offset of the first invalid
 * sequence. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* Decodes one code point at s (n bytes left, n > 0); stores its length in
 * *len (>= 1). Decoding is strict: an overlong form, a surrogate, a value
 * above U+10FFFF, a stray continuation byte or a sequence cut off by n is
 * invalid, and an invalid first byte decodes as U+FFFD with length 1 (so
 * callers skip one byte and go on). A real U+FFFD in the text has length
 * 3: the input was invalid exactly when the result is U+FFFD with *len 1. */
uint32_t utf8_decode(const char *s, size_t n, int *len);

/* Encodes c into out (4 bytes room); returns the number of bytes. */
int utf8_encode(uint32_t c, char *out);

#endif
