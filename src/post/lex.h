/* lex — the tokens of PDF syntax (ISO 32000-1 §7.2, §7.3), read from a
 * bounded byte range: no function here reads at or beyond its end pointer.
 * Tokens and spans point into the caller's bytes and own nothing. */
#ifndef GB_POST_LEX_H
#define GB_POST_LEX_H

#include <stddef.h>

typedef enum tok_kind {
    TOK_EOF,  /* the end of the range */
    TOK_NUM,  /* starts with a digit, sign or dot (checked where used) */
    TOK_NAME, /* /Name */
    TOK_STR,  /* (literal string), parentheses included */
    TOK_HEX,  /* <hex string>, angle brackets included */
    TOK_LB,   /* [ */
    TOK_RB,   /* ] */
    TOK_LD,   /* << */
    TOK_RD,   /* >> */
    TOK_KW,   /* any other regular characters: keyword, operator, true, null */
} tok_kind;

typedef struct tok {
    tok_kind k;
    const char *s, *e; /* its bytes [s, e) */
} tok;

/* A range of bytes, usually one value ("3 0 R", "<< ... >>"). */
typedef struct span {
    const char *s, *e;
} span;

/* Reads the next token from *pp (bounded by e), skipping white space and
 * comments, and moves *pp past it. Returns 0, or -1 on a syntax error
 * (unterminated string, bad hex string, stray delimiter). */
int lex_token(const char **pp, const char *e, tok *t);

/* 1 if the token's bytes are exactly s. */
int tok_is(const tok *t, const char *s);
/* 1 if the span's bytes are exactly s. */
int span_is(span v, const char *s);
/* Stores the value of a non-negative integer token (no sign, no dot) below
 * `limit` in *v and returns 0; -1 for anything else. */
int tok_uint(const tok *t, size_t limit, size_t *v);

/* Character classes: white space (§7.2.2, NUL included); regular (neither
 * white space nor a delimiter); a hex digit and its value. */
int lex_is_space(char c);
int lex_is_regular(char c);
int lex_is_hex(char c);
int lex_hexval(char c);

#endif
