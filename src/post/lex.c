/* lex — see lex.h. Every read is checked against the end pointer first. */
#include "post/lex.h"

#include <stdint.h>
#include <string.h>

typedef enum char_class { CL_REG = 0, CL_WS = 1, CL_DELIM = 2 } char_class;

static const unsigned char cls[256] = {
    [0] = CL_WS,     ['\t'] = CL_WS,    ['\n'] = CL_WS,    ['\f'] = CL_WS,    ['\r'] = CL_WS,
    [' '] = CL_WS,   ['('] = CL_DELIM,  [')'] = CL_DELIM,  ['<'] = CL_DELIM,  ['>'] = CL_DELIM,
    ['['] = CL_DELIM, [']'] = CL_DELIM, ['{'] = CL_DELIM,  ['}'] = CL_DELIM,  ['/'] = CL_DELIM,
    ['%'] = CL_DELIM,
};
#define CLS(c) ((char_class)cls[(unsigned char)(c)])

int lex_is_space(char c)
{
    return CLS(c) == CL_WS;
}

int lex_is_regular(char c)
{
    return CLS(c) == CL_REG;
}

int lex_is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int lex_hexval(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static const char *skip_ws(const char *p, const char *e)
{
    for (;;) {
        while (p < e && CLS(*p) == CL_WS)
            p++;
        if (p < e && *p == '%') {
            while (p < e && *p != '\n' && *p != '\r')
                p++;
            continue;
        }
        return p;
    }
}

/* The end of a literal string whose "(" is just before p, or NULL when it
 * is not closed before e. */
static const char *literal_end(const char *p, const char *e)
{
    size_t depth = 1;
    /* fast path: no backslash or nested parenthesis before the first ')' */
    const char *close = memchr(p, ')', (size_t)(e - p));
    if (close && !memchr(p, '\\', (size_t)(close - p)) && !memchr(p, '(', (size_t)(close - p)))
        return close + 1;
    while (p < e) {
        char ch = *p++;
        if (ch == '\\') {
            if (p < e)
                p++;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')' && --depth == 0) {
            break;
        }
    }
    return depth ? NULL : p;
}

/* The end of a hex string whose "<" is just before p, or NULL when it holds
 * anything but hex digits and white space or is not closed before e. */
static const char *hex_end(const char *p, const char *e)
{
    for (; p < e && *p != '>'; p++)
        if (!lex_is_hex(*p) && CLS(*p) != CL_WS)
            return NULL;
    return p < e ? p + 1 : NULL;
}

/* Reads the token starting at p (< e) into t->k and returns its end, or
 * NULL on a syntax error. */
static const char *token_at(const char *p, const char *e, tok *t)
{
    const char *start = p;
    switch (*p) {
    case '(':
        t->k = TOK_STR;
        return literal_end(p + 1, e);
    case '<':
        if (p + 1 < e && p[1] == '<') {
            t->k = TOK_LD;
            return p + 2;
        }
        t->k = TOK_HEX;
        return hex_end(p + 1, e);
    case '>':
        t->k = TOK_RD;
        return p + 1 < e && p[1] == '>' ? p + 2 : NULL;
    case '[':
        t->k = TOK_LB;
        return p + 1;
    case ']':
        t->k = TOK_RB;
        return p + 1;
    case '/':
        for (p++; p < e && CLS(*p) == CL_REG; p++)
            ;
        t->k = TOK_NAME;
        return p;
    case ')':
    case '{':
    case '}':
        return NULL;
    default:
        while (p < e && CLS(*p) == CL_REG)
            p++;
        /* Classified by its first character: no keyword or operator starts
         * like a number. Numbers are validated where their value is used
         * (tok_uint). */
        t->k = (*start >= '0' && *start <= '9') || *start == '+' || *start == '-' || *start == '.' ? TOK_NUM
                                                                                                  : TOK_KW;
        return p;
    }
}

int lex_token(const char **pp, const char *e, tok *t)
{
    const char *p = skip_ws(*pp, e);
    t->s = p;
    if (p >= e) {
        t->k = TOK_EOF;
        t->e = p;
        *pp = p;
        return 0;
    }
    p = token_at(p, e, t);
    if (!p)
        return -1;
    t->e = p;
    *pp = p;
    return 0;
}

int tok_is(const tok *t, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(t->e - t->s) == n && memcmp(t->s, s, n) == 0;
}

int span_is(span v, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(v.e - v.s) == n && memcmp(v.s, s, n) == 0;
}

int tok_uint(const tok *t, size_t limit, size_t *v)
{
    if (t->k != TOK_NUM || t->s == t->e)
        return -1;
    size_t x = 0;
    for (const char *p = t->s; p < t->e; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (x > (SIZE_MAX - 9) / 10)
            return -1;
        x = x * 10 + (size_t)(*p - '0');
        if (x >= limit)
            return -1;
    }
    *v = x;
    return 0;
}
