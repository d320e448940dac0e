/* textstr — see textstr.h. */
#include "post/textstr.h"

#include <stdint.h>
#include <string.h>

#include "base/utf8.h"

static void put_utf8(buf *b, uint32_t cp)
{
    char o[4];
    buf_add(b, o, (size_t)utf8_encode(cp, o));
}

/* A literal string of the ASCII bytes s[0..n). */
static void put_literal(buf *b, const unsigned char *u, size_t n)
{
    buf_putc(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (u[i] == '(' || u[i] == ')' || u[i] == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)u[i]);
        } else if (u[i] < 0x20 || u[i] == 0x7F) {
            buf_printf(b, "\\%03o", u[i]);
        } else {
            buf_putc(b, (char)u[i]);
        }
    }
    buf_putc(b, ')');
}

void textstr_put(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i;
    for (i = 0; i < n && u[i] < 0x80; i++)
        ;
    if (i == n) {
        put_literal(b, u, n);
        return;
    }
    buf_puts(b, "<FEFF");
    for (i = 0; i < n;) {
        int l;
        uint32_t cp = utf8_decode(s + i, n - i, &l);
        i += (size_t)l;
        unsigned units[2], nu = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units[0] = 0xD800 | (cp >> 10);
            units[1] = 0xDC00 | (cp & 0x3FF);
            nu = 2;
        } else {
            units[0] = cp;
        }
        for (unsigned j = 0; j < nu; j++) {
            char h[4] = {hex[units[j] >> 12], hex[(units[j] >> 8) & 15], hex[(units[j] >> 4) & 15],
                         hex[units[j] & 15]};
            buf_add(b, h, 4);
        }
    }
    buf_putc(b, '>');
}

/* PDFDocEncoding 0x80..0xA0 (§D.2); the rest of it is Latin-1. */
static const uint16_t pdfdoc_80[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
    0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
    0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD, 0x20AC,
};

/* The bytes of hex string token t (an odd last digit is followed by 0). */
static void hex_bytes(const tok *t, buf *raw)
{
    int hi = -1;
    for (const char *p = t->s + 1; p < t->e - 1; p++) {
        if (!lex_is_hex(*p))
            continue;
        if (hi < 0) {
            hi = lex_hexval(*p);
        } else {
            buf_putc(raw, (char)(hi * 16 + lex_hexval(*p)));
            hi = -1;
        }
    }
    if (hi >= 0)
        buf_putc(raw, (char)(hi * 16));
}

/* The escape at p (after its backslash, before the string's end e): adds
 * its byte, if any, to raw; returns its last byte. */
static const char *escape(const char *p, const char *e, buf *raw)
{
    char ch = *p;
    switch (ch) {
    case 'n': buf_putc(raw, '\n'); break;
    case 'r': buf_putc(raw, '\r'); break;
    case 't': buf_putc(raw, '\t'); break;
    case 'b': buf_putc(raw, '\b'); break;
    case 'f': buf_putc(raw, '\f'); break;
    case '\r':
        if (p + 1 < e && p[1] == '\n')
            p++;
        break;
    case '\n': break;
    default:
        if (ch >= '0' && ch <= '7') {
            int x = ch - '0';
            for (int k = 0; k < 2 && p + 1 < e && p[1] >= '0' && p[1] <= '7'; k++)
                x = x * 8 + (*++p - '0');
            buf_putc(raw, (char)(x & 0xFF));
        } else {
            buf_putc(raw, ch);
        }
    }
    return p;
}

/* The bytes of literal string token t. */
static void literal_bytes(const tok *t, buf *raw)
{
    const char *e = t->e - 1;
    for (const char *p = t->s + 1; p < e; p++) {
        char ch = *p;
        if (ch == '\r') { /* end of line in a literal string = \n */
            if (p + 1 < e && p[1] == '\n')
                p++;
            buf_putc(raw, '\n');
        } else if (ch != '\\') {
            buf_putc(raw, ch);
        } else {
            p = escape(p + 1, e, raw); /* a backslash is never the last byte before ')' */
        }
    }
}

/* The text of string bytes r[0..n): UTF-16BE after a byte order mark,
 * else PDFDocEncoding. */
static void text_to_utf8(const unsigned char *r, size_t n, buf *b)
{
    if (n >= 2 && r[0] == 0xFE && r[1] == 0xFF) {
        for (size_t i = 2; i + 1 < n; i += 2) {
            uint32_t u = (uint32_t)r[i] << 8 | r[i + 1];
            if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
                uint32_t lo = (uint32_t)r[i + 2] << 8 | r[i + 3];
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    i += 2;
                } else {
                    u = 0xFFFD;
                }
            } else if (u >= 0xD800 && u <= 0xDFFF) {
                u = 0xFFFD;
            }
            put_utf8(b, u);
        }
    } else {
        for (size_t i = 0; i < n; i++)
            put_utf8(b, r[i] >= 0x80 && r[i] <= 0xA0 ? pdfdoc_80[r[i] - 0x80] : r[i]);
    }
}

int textstr_to_utf8(span v, buf *b)
{
    const char *p = v.s;
    tok t;
    buf raw = {0};
    if (lex_token(&p, v.e, &t) < 0 || p != v.e || (t.k != TOK_STR && t.k != TOK_HEX))
        return -1;
    if (t.k == TOK_HEX)
        hex_bytes(&t, &raw);
    else
        literal_bytes(&t, &raw);
    text_to_utf8((const unsigned char *)(raw.data ? raw.data : ""), raw.len, b);
    buf_free(&raw);
    return 0;
}
