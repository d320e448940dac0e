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
 * *len (>= 1). Invalid bytes decode as U+FFFD with length 1. */
uint32_t utf8_decode(const char *s, size_t n, int *len);

/* Encodes c into out (4 bytes room); returns the number of bytes. */
int utf8_encode(uint32_t c, char *out);

#endif
