/* pdfpost — see pdfpost.h.
 *
 * Design: the input is only read through a bounded lexer (every access is
 * checked against the end of the buffer). Objects are found through the
 * xref table (all offsets are checked to point at "N G obj" first), parsed
 * on demand and never modified: a changed dictionary is written anew by
 * copying its other entries byte for byte and appending the new ones.
 * Errors unwind with longjmp to pdfpost_apply, which frees everything the
 * context owns (all scratch memory lives in the context for that reason).
 * Work is linear: one pass over the xref, one inflate + tokenize + deflate
 * per content stream, one visit per page, annotation and structure
 * element.
 *
 * Object streams: every one that holds an object in use is inflated once,
 * and the decoded data are appended to a copy of the input (ctx.all), so
 * that every span lies in one buffer and the lexer keeps one end; while an
 * object of an object stream is parsed, the end is that stream's data. The
 * alternative, a lexer bound per span, would touch every function that
 * reads a value.
 */
#include "post/pdfpost.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/util.h"

#define MAX_DEPTH 100                 /* nesting of arrays/dicts, trees */
/* nesting of the structure tree: the layout nests up to 64 lists and quotes,
 * three elements a list level (L, LI, LBody), inside Document and Sect */
#define MAX_STRUCT_DEPTH 400
#define MAX_STREAM ((size_t)256 << 20) /* largest inflated content stream */
#define MAX_OBJECTS ((size_t)8388607)  /* PDF implementation limit */
#define MAX_SECTIONS 64                /* xref sections (incremental updates) */

/* ---- lexer -------------------------------------------------------------- */

enum { CL_REG = 0, CL_WS = 1, CL_DELIM = 2 };
static const unsigned char cls[256] = {
    [0] = CL_WS,     ['\t'] = CL_WS,    ['\n'] = CL_WS,    ['\f'] = CL_WS,    ['\r'] = CL_WS,
    [' '] = CL_WS,   ['('] = CL_DELIM,  [')'] = CL_DELIM,  ['<'] = CL_DELIM,  ['>'] = CL_DELIM,
    ['['] = CL_DELIM, [']'] = CL_DELIM, ['{'] = CL_DELIM,  ['}'] = CL_DELIM,  ['/'] = CL_DELIM,
    ['%'] = CL_DELIM,
};
#define CLS(c) cls[(unsigned char)(c)]

enum { T_EOF, T_NUM, T_NAME, T_STR, T_HEX, T_LB, T_RB, T_LD, T_RD, T_KW };

typedef struct tok {
    int k;
    const char *s, *e;
} tok;

typedef struct span {
    const char *s, *e;
} span;

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

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hexval(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Reads the next token from *pp (bounded by e). Returns 0, or -1 on a
 * syntax error (unterminated string, bad hex string, stray delimiter). */
static int lex(const char **pp, const char *e, tok *t)
{
    const char *p = skip_ws(*pp, e);
    t->s = p;
    if (p >= e) {
        t->k = T_EOF;
        t->e = p;
        *pp = p;
        return 0;
    }
    switch (*p) {
    case '(': {
        size_t depth = 1;
        p++;
        /* fast path: no backslash or nested parenthesis before the first ')' */
        const char *close = memchr(p, ')', (size_t)(e - p));
        if (close && !memchr(p, '\\', (size_t)(close - p)) && !memchr(p, '(', (size_t)(close - p))) {
            p = close + 1;
            t->k = T_STR;
            break;
        }
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
        if (depth)
            return -1;
        t->k = T_STR;
        break;
    }
    case '<':
        if (p + 1 < e && p[1] == '<') {
            p += 2;
            t->k = T_LD;
            break;
        }
        for (p++; p < e && *p != '>'; p++)
            if (!is_hex(*p) && CLS(*p) != CL_WS)
                return -1;
        if (p >= e)
            return -1;
        p++;
        t->k = T_HEX;
        break;
    case '>':
        if (p + 1 < e && p[1] == '>') {
            p += 2;
            t->k = T_RD;
            break;
        }
        return -1;
    case '[':
        p++;
        t->k = T_LB;
        break;
    case ']':
        p++;
        t->k = T_RB;
        break;
    case '/':
        for (p++; p < e && CLS(*p) == CL_REG; p++)
            ;
        t->k = T_NAME;
        break;
    case ')':
    case '{':
    case '}':
        return -1;
    default:
        while (p < e && CLS(*p) == CL_REG)
            p++;
        /* Classified by its first character: no keyword or operator starts
         * like a number. Numbers are validated where their value is used
         * (tok_uint). */
        t->k = (*t->s >= '0' && *t->s <= '9') || *t->s == '+' || *t->s == '-' || *t->s == '.' ? T_NUM : T_KW;
        break;
    }
    t->e = p;
    *pp = p;
    return 0;
}

static int tok_is(const tok *t, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(t->e - t->s) == n && memcmp(t->s, s, n) == 0;
}

static int span_is(span v, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(v.e - v.s) == n && memcmp(v.s, s, n) == 0;
}

/* A non-negative integer token (no sign, no dot) below `limit`. */
static int tok_uint(const tok *t, size_t limit, size_t *v)
{
    if (t->k != T_NUM || t->s == t->e)
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

/* ---- context and errors ------------------------------------------------- */

typedef struct upd {
    size_t num, gen, off; /* off 0: the object is free from now on, gen its next generation */
} upd;

typedef struct opi {
    size_t s, e;
    unsigned char kind;
} opi;

enum { OP_OTHER, OP_PAINT, OP_Q, OP_QEND, OP_BT, OP_ET, OP_SPLIT = 0x80 };

enum { F_DONE = 1, F_PAGE = 2, F_STRUCT = 4, F_LOADING = 8, F_ANNOT = 16, F_CONTENT = 32, F_OBJSTM = 64 };

typedef struct ctx {
    const char *d, *end; /* the input (then all); end: where lexing stops */
    size_t n;            /* the input's length */
    size_t size;      /* trailer /Size */
    size_t next;      /* next free object number */
    size_t *off;      /* offset of each object in d, 0 = not in use; >= n: in an object stream */
    size_t *gen;
    size_t *stm, *lim; /* compressed objects: object stream + 1; end of its data in d */
    buf all;          /* with object streams: the input, then their decoded data */
    int xrefstm;      /* the newest xref section is a stream: so is the update's */
    unsigned char *flag;
    span root, info, id; /* trailer values (id: first /ID string or empty) */
    size_t lastxref;
    buf out;
    upd *upd;
    size_t nupd, capupd;
    buf raw, xout, tmp; /* inflated, transformed, compressed content */
    buf xmp, txt;       /* metadata packet, a decoded string */
    struct xent *ents;  /* entries of one xref section */
    size_t capents;
    opi *ops;         /* operations of the current run */
    size_t nops, capops;
    size_t wraps;     /* artifact sequences added by transform */
    size_t *stack;
    size_t capstack;
    z_stream zi, zd;
    int zi_ok, zd_ok;
    const pdfpost_info *info_in;
    size_t nlink, nfig;
    const char *why;
    jmp_buf jb;
} ctx;

static _Noreturn void fail(ctx *c, const char *why)
{
    c->why = why;
    longjmp(c->jb, 1);
}

/* ---- object syntax ------------------------------------------------------ */

static void next(ctx *c, const char **pp, tok *t)
{
    if (lex(pp, c->end, t) < 0)
        fail(c, "PDF syntax error");
}

/* Skips one value starting at *pp (refs "N G R" count as one value) and
 * stores its extent in v. */
static void skip_value(ctx *c, const char **pp, int depth, span *v)
{
    tok t;
    if (depth > MAX_DEPTH)
        fail(c, "PDF objects nested too deeply");
    next(c, pp, &t);
    v->s = t.s;
    switch (t.k) {
    case T_NUM: {
        const char *q = *pp;
        tok t2, t3;
        if (lex(&q, c->end, &t2) == 0 && t2.k == T_NUM && lex(&q, c->end, &t3) == 0 && t3.k == T_KW &&
            tok_is(&t3, "R")) {
            *pp = q;
            t.e = t3.e;
        }
        break;
    }
    case T_NAME:
    case T_STR:
    case T_HEX:
        break;
    case T_KW:
        if (!tok_is(&t, "true") && !tok_is(&t, "false") && !tok_is(&t, "null"))
            fail(c, "PDF syntax error: unexpected keyword");
        break;
    case T_LB:
        for (;;) {
            const char *q = *pp;
            tok t2;
            next(c, &q, &t2);
            if (t2.k == T_RB) {
                *pp = q;
                t.e = t2.e;
                break;
            }
            span dummy;
            skip_value(c, pp, depth + 1, &dummy);
        }
        break;
    case T_LD:
        for (;;) {
            tok key;
            next(c, pp, &key);
            if (key.k == T_RD) {
                t.e = key.e;
                break;
            }
            if (key.k != T_NAME)
                fail(c, "PDF syntax error: dictionary key is not a name");
            span dummy;
            skip_value(c, pp, depth + 1, &dummy);
        }
        break;
    default:
        fail(c, "PDF syntax error: value expected");
    }
    v->e = t.e;
}

static int first_tok(span v, tok *t)
{
    const char *p = v.s;
    return lex(&p, v.e, t) == 0 ? t->k : T_EOF;
}

static int is_dict(span v)
{
    tok t;
    return first_tok(v, &t) == T_LD;
}

static int is_array(span v)
{
    tok t;
    return first_tok(v, &t) == T_LB;
}

/* Iterates over the entries of a dictionary value (already validated by
 * skip_value). */
typedef struct dictit {
    const char *p;
} dictit;

static void dict_begin(ctx *c, span v, dictit *it)
{
    tok t;
    it->p = v.s;
    next(c, &it->p, &t);
    if (t.k != T_LD)
        fail(c, "PDF dictionary expected");
}

static int dict_next(ctx *c, dictit *it, span *key, span *val)
{
    tok t;
    next(c, &it->p, &t);
    if (t.k == T_RD)
        return 0;
    if (t.k != T_NAME)
        fail(c, "PDF syntax error: dictionary key is not a name");
    key->s = t.s;
    key->e = t.e;
    skip_value(c, &it->p, 1, val);
    return 1;
}

static int dict_get(ctx *c, span dict, const char *key, span *val)
{
    dictit it;
    span k, v;
    dict_begin(c, dict, &it);
    while (dict_next(c, &it, &k, &v))
        if (span_is(k, key)) {
            *val = v;
            return 1;
        }
    return 0;
}

/* Iterates over the elements of an array value. */
static void array_begin(ctx *c, span v, dictit *it)
{
    tok t;
    it->p = v.s;
    next(c, &it->p, &t);
    if (t.k != T_LB)
        fail(c, "PDF array expected");
}

static int array_next(ctx *c, dictit *it, span *val)
{
    const char *q = it->p;
    tok t;
    next(c, &q, &t);
    if (t.k == T_RB)
        return 0;
    skip_value(c, &it->p, 1, val);
    return 1;
}

/* If v is "N G R" with N < size, stores N (and G) and returns 1. */
static int val_ref(ctx *c, span v, size_t *num, size_t *gen)
{
    const char *p = v.s;
    tok a, b, r;
    if (lex(&p, v.e, &a) < 0 || lex(&p, v.e, &b) < 0 || lex(&p, v.e, &r) < 0)
        return 0;
    if (a.k != T_NUM || b.k != T_NUM || r.k != T_KW || !tok_is(&r, "R"))
        return 0;
    size_t g;
    if (tok_uint(&a, c->size, num) < 0 || tok_uint(&b, 65536, &g) < 0)
        fail(c, "PDF reference to an object number out of range");
    if (gen)
        *gen = g;
    return 1;
}

static int val_uint(span v, size_t limit, size_t *x)
{
    const char *p = v.s;
    tok t;
    if (lex(&p, v.e, &t) < 0 || p != v.e)
        return -1;
    return tok_uint(&t, limit, x);
}

static int val_name(span v, const char *name)
{
    return span_is(v, name);
}

/* ---- objects ------------------------------------------------------------ */

typedef struct pobj {
    size_t num, gen;
    span v;            /* the value (for a stream: its dictionary) */
    int stream;
    const char *data;  /* stream data */
    size_t len;
} pobj;

/* Parses "num gen obj" at offset `at` of the input (num below limit);
 * returns the position after "obj", or NULL. */
static const char *obj_header_at(ctx *c, size_t at, size_t limit, size_t *num, size_t *gen)
{
    const char *p = c->d + at, *e = c->d + c->n;
    tok a, b, k;
    if (lex(&p, e, &a) < 0 || lex(&p, e, &b) < 0 || lex(&p, e, &k) < 0 || a.s != c->d + at ||
        tok_uint(&a, limit, num) < 0 || tok_uint(&b, 65536, gen) < 0 || k.k != T_KW || !tok_is(&k, "obj"))
        return NULL;
    return p;
}

/* Parses "num gen obj" at the xref offset of num; p is left after "obj". */
static const char *obj_header(ctx *c, size_t num, size_t *gen)
{
    size_t x;
    const char *p = obj_header_at(c, c->off[num], c->size, &x, gen);
    if (!p || x != num)
        fail(c, "xref offset does not point at its object");
    return p;
}

static void load(ctx *c, size_t num, pobj *o);

/* Reads the value of an object of the input after its "obj" at p and, for
 * a stream, locates its data. lenref: /Length may be a reference (not in
 * an xref stream, which is read before the xref is known). */
static void obj_body(ctx *c, const char *p, pobj *o, int lenref)
{
    const char *saved = c->end, *e = c->d + c->n;
    c->end = e; /* an object of the input lies within the input */
    o->stream = 0;
    o->data = NULL;
    o->len = 0;
    skip_value(c, &p, 0, &o->v);
    tok t;
    next(c, &p, &t);
    if (t.k == T_KW && tok_is(&t, "endobj")) {
        c->end = saved;
        return;
    }
    if (t.k != T_KW || !tok_is(&t, "stream") || !is_dict(o->v))
        fail(c, "PDF syntax error: endobj expected");
    p = t.e;
    if (p < e && *p == '\r')
        p++;
    if (p >= e || *p != '\n')
        fail(c, "PDF syntax error: end of line expected after stream");
    p++;
    span lv;
    size_t len, lnum;
    if (!dict_get(c, o->v, "/Length", &lv))
        fail(c, "stream without /Length");
    if (lenref && val_ref(c, lv, &lnum, NULL)) {
        pobj lo;
        c->flag[o->num] |= F_LOADING;
        load(c, lnum, &lo);
        c->flag[o->num] &= (unsigned char)~F_LOADING;
        if (lo.stream)
            fail(c, "stream /Length is not a number");
        lv = lo.v;
    }
    if (val_uint(lv, (size_t)(e - p) + 1, &len) < 0)
        fail(c, "stream /Length is not a number within the file");
    o->stream = 1;
    o->data = p;
    o->len = len;
    p += len;
    while (p < e && CLS(*p) == CL_WS)
        p++;
    if ((size_t)(e - p) < 9 || memcmp(p, "endstream", 9) != 0)
        fail(c, "stream /Length does not end at endstream");
    c->end = saved;
}

static void load(ctx *c, size_t num, pobj *o)
{
    if (num >= c->size || !c->off[num])
        fail(c, "reference to a missing object");
    if (c->flag[num] & F_LOADING)
        fail(c, "object refers to itself");
    o->num = num;
    if (c->off[num] >= c->n) { /* in an object stream: a value, never a stream */
        if (c->d != c->all.data)
            fail(c, "object stream dictionary refers to a compressed object");
        const char *p = c->d + c->off[num], *saved = c->end;
        c->end = c->d + c->lim[num];
        o->gen = 0;
        o->stream = 0;
        o->data = NULL;
        o->len = 0;
        skip_value(c, &p, 0, &o->v);
        c->end = saved;
        return;
    }
    obj_body(c, obj_header(c, num, &o->gen), o, 1);
}

/* ---- stream data -------------------------------------------------------- */

/* Undoes a PNG predictor (ISO 32000-1 §7.4.4.4; RFC 2083 §6) in place on
 * the rows dst->data[base..): each row is a filter-type byte and `cols`
 * bytes of 1-byte samples. */
static void unpredict_png(ctx *c, buf *dst, size_t base, size_t cols)
{
    size_t n = dst->len - base, rows = n / (cols + 1);
    unsigned char *d = (unsigned char *)dst->data + base;
    if (n % (cols + 1))
        fail(c, "stream: predictor rows do not fill the data");
    for (size_t r = 0; r < rows; r++) {
        const unsigned char *in = d + r * (cols + 1) + 1;
        unsigned char *out = d + r * cols, *up = r ? d + (r - 1) * cols : NULL;
        unsigned type = in[-1];
        if (type > 4)
            fail(c, "stream: unknown PNG predictor type");
        for (size_t i = 0; i < cols; i++) {
            unsigned a = i ? out[i - 1] : 0, b = up ? up[i] : 0, cc = up && i ? up[i - 1] : 0, x = in[i];
            switch (type) {
            case 1: x += a; break;
            case 2: x += b; break;
            case 3: x += (a + b) / 2; break;
            case 4: {
                int pa = abs((int)b - (int)cc), pb = abs((int)a - (int)cc), pc = abs((int)a + (int)b - 2 * (int)cc);
                x += pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
                break;
            }
            }
            out[i] = (unsigned char)x;
        }
    }
    dst->len = base + rows * cols;
    if (dst->data)
        dst->data[dst->len] = 0;
}

/* Applies the /DecodeParms dp of a stream to the data it decoded into
 * dst->data[base..): only the PNG predictors on 8-bit, one-colour rows
 * (what xref streams use) are understood. */
static void decode_parms(ctx *c, span dp, buf *dst, size_t base)
{
    span v;
    size_t pred = 1, cols = 1, x;
    if (is_array(dp)) { /* one filter: one parameter dictionary */
        dictit it;
        span e;
        array_begin(c, dp, &it);
        if (!array_next(c, &it, &e) || array_next(c, &it, &v))
            fail(c, "stream: /DecodeParms does not match /Filter");
        dp = e;
    }
    if (span_is(dp, "null"))
        return;
    if (!is_dict(dp))
        fail(c, "stream: /DecodeParms is not a dictionary");
    if (dict_get(c, dp, "/Predictor", &v) && val_uint(v, 16, &pred) < 0)
        fail(c, "stream: unsupported /Predictor");
    if (dict_get(c, dp, "/Columns", &v) && (val_uint(v, (size_t)1 << 20, &cols) < 0 || !cols))
        fail(c, "stream: bad /Columns");
    if (dict_get(c, dp, "/Colors", &v) && (val_uint(v, 2, &x) < 0 || x != 1))
        fail(c, "stream: /Colors other than 1 is not supported");
    if (dict_get(c, dp, "/BitsPerComponent", &v) && (val_uint(v, 9, &x) < 0 || x != 8))
        fail(c, "stream: /BitsPerComponent other than 8 is not supported");
    if (pred == 1)
        return;
    if (pred < 10)
        fail(c, "stream: unsupported /Predictor");
    unpredict_png(c, dst, base, cols);
}

/* Appends the decoded data of stream o to dst. parms: o is an xref or
 * object stream, whose /DecodeParms (PNG predictors) are applied; a
 * content stream with /DecodeParms is an error. */
static void decode_stream(ctx *c, const pobj *o, buf *dst, int parms)
{
#define MSG(s) (parms ? "xref or object stream: " s : "content stream: " s)
    span f, dp;
    int flate = 0;
    size_t base = dst->len;
    if (dict_get(c, o->v, "/Filter", &f)) {
        if (val_name(f, "/FlateDecode")) {
            flate = 1;
        } else if (is_array(f)) {
            dictit it;
            span x;
            int k = 0;
            array_begin(c, f, &it);
            while (array_next(c, &it, &x)) {
                if (k++ || !val_name(x, "/FlateDecode"))
                    fail(c, MSG("filter other than /FlateDecode"));
            }
            flate = k == 1;
        } else {
            fail(c, MSG("filter other than /FlateDecode"));
        }
    }
    int has_dp = dict_get(c, o->v, "/DecodeParms", &dp) && !span_is(dp, "null");
    if (has_dp && (!parms || !flate))
        fail(c, MSG("/DecodeParms are not supported"));
    if (!flate) {
        if (dst->len + o->len > MAX_STREAM)
            fail(c, MSG("too large"));
        buf_add(dst, o->data, o->len);
        return;
    }
    if (!c->zi_ok) {
        memset(&c->zi, 0, sizeof c->zi);
        if (inflateInit(&c->zi) != Z_OK)
            fail(c, "zlib inflateInit failed");
        c->zi_ok = 1;
    } else if (inflateReset(&c->zi) != Z_OK) {
        fail(c, "zlib inflateReset failed");
    }
    if (o->len > UINT32_MAX)
        fail(c, MSG("too large"));
    c->zi.next_in = (Bytef *)(uintptr_t)o->data;
    c->zi.avail_in = (uInt)o->len;
    for (;;) {
        buf_reserve(dst, o->len * 4 + 4096);
        size_t room = dst->cap - dst->len - 1;
        if (room > UINT32_MAX)
            room = UINT32_MAX;
        c->zi.next_out = (Bytef *)dst->data + dst->len;
        c->zi.avail_out = (uInt)room;
        int r = inflate(&c->zi, Z_NO_FLUSH);
        dst->len += room - c->zi.avail_out;
        dst->data[dst->len] = 0;
        if (dst->len > MAX_STREAM)
            fail(c, MSG("too large"));
        if (r == Z_STREAM_END)
            break;
        if (r == Z_BUF_ERROR || (r == Z_OK && c->zi.avail_in == 0 && c->zi.avail_out != 0))
            fail(c, MSG("truncated Flate data"));
        if (r != Z_OK)
            fail(c, MSG("corrupt Flate data"));
    }
    if (has_dp)
        decode_parms(c, dp, dst, base);
#undef MSG
}

/* ---- xref --------------------------------------------------------------- */

/* One entry of an xref section: type 0 free, 1 at offset `off` with
 * generation `gen`, 2 in object stream `off` at index `gen`. */
typedef struct xent {
    size_t num, off, gen;
    int type;
} xent;

static const char *find_startxref(const char *d, size_t n)
{
    size_t lo = n > 1024 ? n - 1024 : 0;
    for (size_t i = n >= 9 ? n - 9 + 1 : 0; i-- > lo;)
        if (memcmp(d + i, "startxref", 9) == 0)
            return d + i + 9;
    return NULL;
}

static void add_ent(ctx *c, size_t *ne, size_t num, size_t off, size_t gen, int type)
{
    GROW(c->ents, c->capents, *ne + 1);
    c->ents[*ne] = (xent){num, off, gen, type};
    (*ne)++;
}

/* Reads the entries of the classic xref table at p (after "xref") into
 * c->ents; p is left after "trailer". Returns their count. */
static size_t read_xref_table(ctx *c, const char **p)
{
    tok t;
    size_t ne = 0;
    for (;;) {
        size_t start, count;
        next(c, p, &t);
        if (t.k == T_KW && tok_is(&t, "trailer"))
            return ne;
        if (tok_uint(&t, MAX_OBJECTS + 1, &start) < 0)
            fail(c, "bad xref subsection");
        next(c, p, &t);
        if (tok_uint(&t, MAX_OBJECTS + 1, &count) < 0 || start + count > MAX_OBJECTS + 1)
            fail(c, "bad xref subsection");
        for (size_t i = 0; i < count; i++) {
            tok a, b, k;
            size_t off, gen;
            next(c, p, &a);
            next(c, p, &b);
            next(c, p, &k);
            if (tok_uint(&a, c->n, &off) < 0 || tok_uint(&b, 65536, &gen) < 0 || k.k != T_KW ||
                (!tok_is(&k, "n") && !tok_is(&k, "f")))
                fail(c, "bad xref entry");
            add_ent(c, &ne, start + i, off, gen, tok_is(&k, "n"));
        }
    }
}

/* A big-endian field of w bytes (0: def). */
static uint64_t field(const unsigned char *p, size_t w, uint64_t def)
{
    uint64_t x = 0;
    if (!w)
        return def;
    for (size_t i = 0; i < w; i++)
        x = x << 8 | p[i];
    return x;
}

/* Reads the xref stream (ISO 32000-1 §7.5.8) whose object starts at offset
 * `at` into c->ents and its dictionary, which is also the trailer, into
 * *dict. Returns the number of entries. */
static size_t read_xref_stream(ctx *c, size_t at, span *dict)
{
    size_t num, gen, w[3], nw = 0, rowlen, size, ne = 0, rows = 0;
    const char *p = obj_header_at(c, at, MAX_OBJECTS + 1, &num, &gen);
    pobj o = {0};
    span v, x;
    dictit it;
    if (!p)
        fail(c, "startxref or /Prev points at neither an xref table nor an xref stream");
    o.num = num;
    o.gen = gen;
    obj_body(c, p, &o, 0);
    if (!o.stream || !dict_get(c, o.v, "/Type", &v) || !val_name(v, "/XRef"))
        fail(c, "startxref or /Prev points at neither an xref table nor an xref stream");
    *dict = o.v;
    if (!dict_get(c, o.v, "/Size", &v) || val_uint(v, MAX_OBJECTS + 1, &size) < 0)
        fail(c, "xref stream without a valid /Size");
    if (!dict_get(c, o.v, "/W", &v) || !is_array(v))
        fail(c, "xref stream without /W");
    array_begin(c, v, &it);
    while (array_next(c, &it, &x))
        if (nw == 3 || val_uint(x, 9, &w[nw++]) < 0)
            fail(c, "xref stream /W is not three widths of at most 8 bytes");
    if (nw != 3 || !(rowlen = w[0] + w[1] + w[2]))
        fail(c, "xref stream /W is not three widths of at most 8 bytes");
    c->raw.len = 0;
    decode_stream(c, &o, &c->raw, 1);
    const unsigned char *d = (const unsigned char *)(c->raw.data ? c->raw.data : "");
    int has_index = dict_get(c, o.v, "/Index", &v);
    if (has_index) {
        if (!is_array(v))
            fail(c, "xref stream /Index is not an array");
        array_begin(c, v, &it);
    }
    for (;;) {
        size_t start = 0, count = size;
        if (has_index) {
            if (!array_next(c, &it, &x))
                break;
            if (val_uint(x, MAX_OBJECTS + 1, &start) < 0 || !array_next(c, &it, &x) ||
                val_uint(x, MAX_OBJECTS + 1, &count) < 0 || start + count > MAX_OBJECTS + 1)
                fail(c, "xref stream /Index is not pairs of object numbers and counts");
        }
        if (count > (c->raw.len / rowlen) - rows)
            fail(c, "xref stream data shorter than its /Index says");
        for (size_t i = 0; i < count; i++, rows++) {
            const unsigned char *r = d + rows * rowlen;
            uint64_t type = field(r, w[0], 1), f2 = field(r + w[0], w[1], 0),
                     f3 = field(r + w[0] + w[1], w[2], 0);
            if (type == 1 && (f2 >= c->n || f3 >= 65536))
                fail(c, "bad xref stream entry");
            if (type == 2 && (f2 > MAX_OBJECTS || f3 > MAX_OBJECTS))
                fail(c, "bad xref stream entry");
            /* other types are references to the null object: free */
            add_ent(c, &ne, start + i, (size_t)f2, (size_t)f3, type == 1 || type == 2 ? (int)type : 0);
        }
        if (!has_index)
            break;
    }
    return ne;
}

/* The newest trailer sets /Size and with it the object arrays. */
static void set_size(ctx *c, span trailer)
{
    span sv;
    if (!dict_get(c, trailer, "/Size", &sv) || val_uint(sv, MAX_OBJECTS + 1, &c->size) < 0 || c->size < 1 ||
        c->size > c->n)
        fail(c, "trailer /Size missing or out of range");
    c->off = xcalloc(c->size, sizeof *c->off);
    c->gen = xcalloc(c->size, sizeof *c->gen);
    c->stm = xcalloc(c->size, sizeof *c->stm);
    c->lim = xcalloc(c->size, sizeof *c->lim);
    c->flag = xcalloc(c->size, 1);
}

/* Records the ne entries in c->ents where no newer section did. */
static void apply_ents(ctx *c, size_t ne)
{
    for (size_t i = 0; i < ne; i++) {
        xent *x = &c->ents[i];
        if (x->num >= c->size)
            fail(c, "xref entry beyond trailer /Size");
        if (c->flag[x->num] & F_DONE) /* already set by a newer section */
            continue;
        c->flag[x->num] |= F_DONE;
        if (!x->num)
            continue;
        if (x->type == 1) {
            if (x->off == 0)
                fail(c, "bad xref entry");
            c->off[x->num] = x->off;
            c->gen[x->num] = x->gen;
        } else if (x->type == 2) {
            c->stm[x->num] = x->off + 1;
            c->lim[x->num] = x->gen; /* the index, until the stream is read */
        }
    }
}

/* Reads the xref section at offset `at` (a table, with the entries of a
 * hybrid file's /XRefStm, or a stream; entries of newer sections win), its
 * trailer into *trailer. */
static void read_xref(ctx *c, size_t at, span *trailer)
{
    const char *p = c->d + at;
    tok t;
    size_t ne;
    int stream;
    next(c, &p, &t);
    stream = !(t.k == T_KW && tok_is(&t, "xref"));
    if (stream) {
        ne = read_xref_stream(c, at, trailer);
    } else {
        ne = read_xref_table(c, &p);
        skip_value(c, &p, 0, trailer);
        if (!is_dict(*trailer))
            fail(c, "trailer is not a dictionary");
    }
    if (!c->size) {
        set_size(c, *trailer);
        c->xrefstm = stream;
    }
    apply_ents(c, ne);
    span v, dummy;
    size_t sat;
    if (!stream && dict_get(c, *trailer, "/XRefStm", &v)) { /* hybrid file, §7.5.8.4 */
        if (val_uint(v, c->n, &sat) < 0)
            fail(c, "bad trailer /XRefStm");
        apply_ents(c, read_xref_stream(c, sat, &dummy));
    }
}

/* Reads every object stream that holds an object in use and points the
 * xref of those objects into their decoded data, which is appended to a
 * copy of the input (so every span stays in one buffer). */
static void read_object_streams(ctx *c)
{
    size_t total = 0, i;
    for (i = 1; i < c->size && !c->stm[i]; i++)
        ;
    if (i == c->size)
        return;
    buf *all = &c->all;
    buf_reserve(all, c->n + 1);
    buf_add(all, c->d, c->n);
    for (i = 1; i < c->size; i++) {
        size_t s = c->stm[i] ? c->stm[i] - 1 : 0, nobj, first;
        if (!c->stm[i] || c->off[i])
            continue; /* not compressed, or its stream is read already */
        if (s < c->size && (c->flag[s] & F_OBJSTM))
            fail(c, "object stream does not hold the object its xref entry says");
        if (s >= c->size || !c->off[s] || c->stm[s])
            fail(c, "compressed object in a missing object stream");
        c->flag[s] |= F_OBJSTM;
        pobj o;
        span v;
        load(c, s, &o);
        if (!o.stream || !dict_get(c, o.v, "/Type", &v) || !val_name(v, "/ObjStm"))
            fail(c, "compressed object in something that is not an object stream");
        if (!dict_get(c, o.v, "/N", &v) || val_uint(v, MAX_OBJECTS + 1, &nobj) < 0)
            fail(c, "object stream without a valid /N");
        if (!dict_get(c, o.v, "/First", &v) || val_uint(v, MAX_STREAM, &first) < 0)
            fail(c, "object stream without a valid /First");
        if (dict_get(c, o.v, "/Extends", &v))
            fail(c, "object streams with /Extends are not supported");
        c->raw.len = 0;
        decode_stream(c, &o, &c->raw, 1);
        if (first > c->raw.len)
            fail(c, "object stream /First beyond its data");
        total += c->raw.len;
        if (total > MAX_STREAM)
            fail(c, "object streams too large");
        size_t base = all->len;
        buf_add(all, c->raw.data ? c->raw.data : "", c->raw.len);
        const char *h = c->raw.data ? c->raw.data : "", *he = h + first;
        for (size_t k = 0; k < nobj; k++) {
            tok a, b;
            size_t objnum, off;
            if (lex(&h, he, &a) < 0 || lex(&h, he, &b) < 0 || tok_uint(&a, MAX_OBJECTS + 1, &objnum) < 0 ||
                tok_uint(&b, c->raw.len - first, &off) < 0)
                fail(c, "object stream header is not /N pairs of numbers and offsets");
            if (objnum < c->size && c->stm[objnum] == s + 1 && c->lim[objnum] == k && !c->off[objnum]) {
                c->off[objnum] = base + first + off;
                c->lim[objnum] = base + c->raw.len;
            }
        }
    }
    for (i = 1; i < c->size; i++)
        if (c->stm[i] && !c->off[i])
            fail(c, "object stream does not hold the object its xref entry says");
    /* the spans taken from the trailer move with the input */
    const char *old = c->d;
    span *sp[] = {&c->root, &c->info, &c->id};
    c->d = all->data;
    c->end = all->data + all->len;
    for (size_t k = 0; k < sizeof sp / sizeof sp[0]; k++)
        if (sp[k]->s) {
            sp[k]->s = c->d + (sp[k]->s - old);
            sp[k]->e = c->d + (sp[k]->e - old);
        }
}

static void read_xrefs(ctx *c)
{
    const char *p = find_startxref(c->d, c->n);
    tok t;
    size_t at, rootnum, seen[MAX_SECTIONS], nseen = 0;
    if (!p)
        fail(c, "no startxref: not a PDF or truncated");
    if (lex(&p, c->end, &t) < 0 || tok_uint(&t, c->n, &at) < 0)
        fail(c, "bad startxref");
    c->lastxref = at;
    for (;;) {
        span tr, v;
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == at)
                fail(c, "xref /Prev loop");
        if (nseen == MAX_SECTIONS)
            fail(c, "too many xref sections");
        seen[nseen++] = at;
        read_xref(c, at, &tr);
        if (nseen == 1) {
            if (!dict_get(c, tr, "/Root", &c->root) || !val_ref(c, c->root, &rootnum, NULL))
                fail(c, "trailer without /Root");
            if (dict_get(c, tr, "/Encrypt", &v))
                fail(c, "encrypted PDFs are not supported");
            if (!dict_get(c, tr, "/Info", &c->info))
                c->info.s = c->info.e = NULL;
            if (dict_get(c, tr, "/ID", &v) && is_array(v)) {
                dictit it;
                span first;
                tok ft;
                array_begin(c, v, &it);
                if (array_next(c, &it, &first)) {
                    int k = first_tok(first, &ft);
                    if (k == T_HEX || k == T_STR)
                        c->id = first;
                }
            }
        }
        if (!dict_get(c, tr, "/Prev", &v))
            break;
        if (val_uint(v, c->n, &at) < 0)
            fail(c, "bad trailer /Prev");
    }
    memset(c->flag, 0, c->size);
    /* Every object in use must be where the xref says; except that an
     * entry pointing at another object that has that offset as its own
     * entry is an object never written, left out (cairo 1.18.4 reserves an
     * object for each Artifact tag and lists it with a stale offset): a
     * reference to it is then an error. */
    for (size_t i = 1; i < c->size; i++)
        if (c->off[i]) {
            size_t g, x;
            if (obj_header_at(c, c->off[i], c->size, &x, &g) && x != i && c->off[x] == c->off[i]) {
                c->off[i] = 0; /* and the update lists it as free */
                GROW(c->upd, c->capupd, c->nupd + 1);
                c->upd[c->nupd++] = (upd){i, c->gen[i] < 65535 ? c->gen[i] + 1 : 65535, 0};
                continue;
            }
            obj_header(c, i, &g);
            if (g != c->gen[i])
                fail(c, "xref generation does not match its object");
        }
    read_object_streams(c);
    memset(c->flag, 0, c->size);
}

/* ---- writing ------------------------------------------------------------ */

static void begin_obj(ctx *c, size_t num, size_t gen)
{
    if (num < c->size) {
        if (c->flag[num] & F_DONE)
            fail(c, "object would be updated twice");
        c->flag[num] |= F_DONE;
    }
    GROW(c->upd, c->capupd, c->nupd + 1);
    c->upd[c->nupd].num = num;
    c->upd[c->nupd].gen = gen;
    c->upd[c->nupd].off = c->out.len;
    c->nupd++;
    buf_printf(&c->out, "%zu %zu obj\n", num, gen);
}

static void end_obj(ctx *c)
{
    buf_puts(&c->out, "\nendobj\n");
}

/* Writes the entries of dictionary d except those named in drop (a
 * NULL-terminated list), without the closing ">>". */
static void dict_copy(ctx *c, span d, const char *const *drop)
{
    dictit it;
    span k, v;
    buf_puts(&c->out, "<<");
    dict_begin(c, d, &it);
    while (dict_next(c, &it, &k, &v)) {
        int skip = 0;
        for (const char *const *x = drop; *x && !skip; x++)
            skip = span_is(k, *x);
        if (skip)
            continue;
        buf_puts(&c->out, "\n");
        buf_add(&c->out, k.s, (size_t)(v.e - k.s));
    }
    buf_puts(&c->out, "\n");
}

/* Decodes UTF-8 at s (n > 0 bytes): the code point, or U+FFFD for an
 * invalid, overlong or surrogate sequence (length 1). */
static uint32_t u8dec(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t c = s[0];
    size_t k;
    uint32_t min;
    *len = 1;
    if (c < 0x80)
        return c;
    if ((c & 0xE0) == 0xC0)
        k = 1, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0)
        k = 2, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0)
        k = 3, min = 0x10000, c &= 0x07;
    else
        return 0xFFFD;
    if (n < k + 1)
        return 0xFFFD;
    for (size_t i = 1; i <= k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0xFFFD;
    *len = k + 1;
    return c;
}

static void u8put(buf *b, uint32_t c)
{
    char o[4];
    size_t n;
    if (c < 0x80)
        o[0] = (char)c, n = 1;
    else if (c < 0x800)
        o[0] = (char)(0xC0 | (c >> 6)), o[1] = (char)(0x80 | (c & 0x3F)), n = 2;
    else if (c < 0x10000)
        o[0] = (char)(0xE0 | (c >> 12)), o[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
        o[2] = (char)(0x80 | (c & 0x3F)), n = 3;
    else
        o[0] = (char)(0xF0 | (c >> 18)), o[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
        o[2] = (char)(0x80 | ((c >> 6) & 0x3F)), o[3] = (char)(0x80 | (c & 0x3F)), n = 4;
    buf_add(b, o, n);
}

/* A PDF text string: a literal string when s is ASCII, else UTF-16BE with
 * a byte order mark, as a hex string. */
static void put_text(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i;
    for (i = 0; i < n && u[i] < 0x80; i++)
        ;
    if (i == n) {
        buf_putc(b, '(');
        for (i = 0; i < n; i++) {
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
        return;
    }
    buf_puts(b, "<FEFF");
    for (i = 0; i < n;) {
        size_t l;
        uint32_t cp = u8dec(u + i, n - i, &l);
        i += l;
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

/* XML character data / attribute value. */
static void put_xml(buf *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t l;
        uint32_t cp = u8dec(u + i, n - i, &l);
        i += l;
        if (cp == '&')
            buf_puts(b, "&amp;");
        else if (cp == '<')
            buf_puts(b, "&lt;");
        else if (cp == '>')
            buf_puts(b, "&gt;");
        else if (cp == '"')
            buf_puts(b, "&quot;");
        else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
            continue;
        else
            u8put(b, cp);
    }
}

/* ---- reading text strings (document information fallback) ------------- */

static const uint16_t pdfdoc_80[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
    0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
    0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0xFFFD, 0x20AC,
};

/* Decodes a string token (literal or hex) to UTF-8 in b; returns 0, or -1
 * if v is not a string. */
static int text_to_utf8(span v, buf *b)
{
    const char *p = v.s;
    tok t;
    buf raw = {0};
    if (lex(&p, v.e, &t) < 0 || p != v.e || (t.k != T_STR && t.k != T_HEX))
        return -1;
    if (t.k == T_HEX) {
        int hi = -1;
        for (p = t.s + 1; p < t.e - 1; p++) {
            if (!is_hex(*p))
                continue;
            if (hi < 0) {
                hi = hexval(*p);
            } else {
                buf_putc(&raw, (char)(hi * 16 + hexval(*p)));
                hi = -1;
            }
        }
        if (hi >= 0)
            buf_putc(&raw, (char)(hi * 16));
    } else {
        for (p = t.s + 1; p < t.e - 1; p++) {
            char ch = *p;
            if (ch == '\r') { /* end of line in a literal string = \n */
                if (p + 1 < t.e - 1 && p[1] == '\n')
                    p++;
                buf_putc(&raw, '\n');
                continue;
            }
            if (ch != '\\') {
                buf_putc(&raw, ch);
                continue;
            }
            ch = *++p; /* a backslash is never the last byte before ')' */
            switch (ch) {
            case 'n': buf_putc(&raw, '\n'); break;
            case 'r': buf_putc(&raw, '\r'); break;
            case 't': buf_putc(&raw, '\t'); break;
            case 'b': buf_putc(&raw, '\b'); break;
            case 'f': buf_putc(&raw, '\f'); break;
            case '\r':
                if (p + 1 < t.e - 1 && p[1] == '\n')
                    p++;
                break;
            case '\n': break;
            default:
                if (ch >= '0' && ch <= '7') {
                    int x = ch - '0';
                    for (int k = 0; k < 2 && p + 1 < t.e - 1 && p[1] >= '0' && p[1] <= '7'; k++)
                        x = x * 8 + (*++p - '0');
                    buf_putc(&raw, (char)(x & 0xFF));
                } else {
                    buf_putc(&raw, ch);
                }
            }
        }
    }
    const unsigned char *r = (const unsigned char *)(raw.data ? raw.data : "");
    size_t n = raw.len;
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
            u8put(b, u);
        }
    } else {
        for (size_t i = 0; i < n; i++)
            u8put(b, r[i] >= 0x80 && r[i] <= 0xA0 ? pdfdoc_80[r[i] - 0x80] : r[i]);
    }
    buf_free(&raw);
    return 0;
}

/* ---- content streams ---------------------------------------------------- */

static int op_kind(const char *s, size_t n)
{
    switch (n) {
    case 1:
        switch (*s) {
        case 'f': case 'F': case 'B': case 'b': case 'S': case 's': case '\'': case '"':
            return OP_PAINT;
        case 'q':
            return OP_Q;
        case 'Q':
            return OP_QEND;
        }
        return OP_OTHER;
    case 2:
        if ((s[0] == 'T' && (s[1] == 'j' || s[1] == 'J')) || (s[0] == 'D' && s[1] == 'o') ||
            (s[0] == 's' && s[1] == 'h') || (s[1] == '*' && (s[0] == 'f' || s[0] == 'B' || s[0] == 'b')))
            return OP_PAINT;
        if (s[0] == 'B' && s[1] == 'T')
            return OP_BT;
        if (s[0] == 'E' && s[1] == 'T')
            return OP_ET;
        return OP_OTHER;
    }
    return OP_OTHER;
}

/* Wraps the painting segments of the current run (operations at
 * marked-content depth 0) in /Artifact BMC ... EMC. Operations whose q/Q
 * or BT/ET partner lies outside the run split it and stay unwrapped, so
 * every wrapped segment is balanced. */
static void flush_run(ctx *c, const char *s, size_t *copied, buf *out)
{
    size_t n = c->nops, sp = 0;
    opi *ops = c->ops;
    if (!n)
        return;
    GROW(c->stack, c->capstack, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char k = ops[i].kind;
        if (k == OP_Q || k == OP_BT) {
            c->stack[sp++] = i;
        } else if (k == OP_QEND || k == OP_ET) {
            unsigned char want = k == OP_QEND ? OP_Q : OP_BT;
            if (sp && ops[c->stack[sp - 1]].kind == want)
                sp--;
            else
                ops[i].kind |= OP_SPLIT;
        }
    }
    while (sp)
        ops[c->stack[--sp]].kind |= OP_SPLIT;
    for (size_t i = 0; i < n;) {
        if (ops[i].kind & OP_SPLIT) {
            i++;
            continue;
        }
        size_t j = i;
        int paint = 0;
        long q = 0, bt = 0;
        for (; j < n && !(ops[j].kind & OP_SPLIT); j++) {
            switch (ops[j].kind) {
            case OP_PAINT: paint = 1; break;
            case OP_Q: q++; break;
            case OP_QEND: q--; break;
            case OP_BT: bt++; break;
            case OP_ET: bt--; break;
            }
            if (q < 0 || bt < 0 || bt > 1)
                fail(c, "content stream: q/Q or BT/ET badly nested");
        }
        if (paint) {
            if (q || bt)
                fail(c, "content stream: q/Q or BT/ET badly nested");
            buf_add(out, s + *copied, ops[i].s - *copied);
            buf_puts(out, "/Artifact BMC\n");
            buf_add(out, s + ops[i].s, ops[j - 1].e - ops[i].s);
            buf_puts(out, "\nEMC\n");
            *copied = ops[j - 1].e;
            c->wraps++;
        }
        i = j;
    }
    c->nops = 0;
}

/* Finds the end of inline image data starting at p (lo: the end of the ID
 * operator): after "EI" preceded by white space and followed by white
 * space, a delimiter or the end. Returns the position after EI, or NULL. */
static const char *inline_image_end(const char *lo, const char *p, const char *e)
{
    const char *q = p;
    while (q + 1 < e) {
        const char *x = memchr(q, 'E', (size_t)(e - q - 1));
        if (!x)
            return NULL;
        if (x[1] == 'I' && x > lo && CLS(x[-1]) == CL_WS && (x + 2 == e || CLS(x[2]) != CL_REG))
            return x + 2;
        q = x + 1;
    }
    return NULL;
}

static void transform(ctx *c, const char *s, size_t n, buf *out)
{
    const char *p = s, *e = s + n, *opstart = NULL;
    size_t copied = 0, nest = 0, mc = 0;
    c->nops = 0;
    c->wraps = 0;
    for (;;) {
        tok t;
        if (lex(&p, e, &t) < 0)
            fail(c, "content stream: syntax error");
        if (t.k == T_EOF)
            break;
        if (!opstart)
            opstart = t.s;
        if (t.k == T_LB || t.k == T_LD) {
            if (++nest > MAX_DEPTH)
                fail(c, "content stream: operands nested too deeply");
            continue;
        }
        if (t.k == T_RB || t.k == T_RD) {
            if (!nest)
                fail(c, "content stream: unbalanced ] or >>");
            nest--;
            continue;
        }
        if (t.k != T_KW || nest)
            continue; /* an operand */
        if ((*t.s == 't' && tok_is(&t, "true")) || (*t.s == 'f' && tok_is(&t, "false")) ||
            (*t.s == 'n' && tok_is(&t, "null")))
            continue;
        /* an operator */
        size_t os = (size_t)(opstart - s), len = (size_t)(t.e - t.s);
        int kind = op_kind(t.s, len);
        opstart = NULL;
        if (len == 2 && t.s[0] == 'B' && t.s[1] == 'I') {
            tok u;
            for (;;) { /* the image dictionary, up to ID */
                if (lex(&p, e, &u) < 0 || u.k == T_EOF)
                    fail(c, "content stream: unterminated inline image");
                if (u.k == T_KW && tok_is(&u, "ID"))
                    break;
            }
            const char *idend = u.e;
            if (p < e && CLS(*p) == CL_WS)
                p++;
            p = inline_image_end(idend, p, e);
            if (!p)
                fail(c, "content stream: inline image without EI");
            t.e = p;
            kind = OP_PAINT;
        } else if (len == 2 && t.s[0] == 'I' && t.s[1] == 'D') {
            fail(c, "content stream: ID outside an inline image");
        }
        int begin = len == 3 && t.s[0] == 'B' && (t.s[1] == 'D' || t.s[1] == 'M') && t.s[2] == 'C';
        int endmc = len == 3 && t.s[0] == 'E' && t.s[1] == 'M' && t.s[2] == 'C';
        if (mc) {
            if (begin && ++mc > MAX_DEPTH)
                fail(c, "content stream: marked content nested too deeply");
            if (endmc)
                mc--;
            continue;
        }
        if (begin) {
            flush_run(c, s, &copied, out);
            mc = 1;
            continue;
        }
        if (endmc)
            fail(c, "content stream: EMC without BMC/BDC");
        GROW(c->ops, c->capops, c->nops + 1);
        c->ops[c->nops].s = os;
        c->ops[c->nops].e = (size_t)(t.e - s);
        c->ops[c->nops].kind = (unsigned char)kind;
        c->nops++;
    }
    if (nest)
        fail(c, "content stream: unterminated array or dictionary");
    if (mc)
        fail(c, "content stream: BMC/BDC without EMC");
    if (opstart)
        fail(c, "content stream: operands without operator at the end");
    flush_run(c, s, &copied, out);
    buf_add(out, s + copied, n - copied);
}

static size_t deflate_tmp(ctx *c, const char *data, size_t n);

/* Writes a new version of object num holding `data` Flate-compressed;
 * keeps the other entries of the old stream dictionary `old` (if any). */
static void write_stream(ctx *c, size_t num, size_t gen, const span *old, const char *data, size_t n)
{
    static const char *const drop[] = {"/Length", "/Filter", "/DecodeParms", "/DL", NULL};
    size_t zlen = deflate_tmp(c, data, n);
    begin_obj(c, num, gen);
    if (old) {
        dict_copy(c, *old, drop);
    } else {
        buf_puts(&c->out, "<<\n");
    }
    buf_printf(&c->out, "/Length %zu\n/Filter /FlateDecode\n>>\nstream\n", zlen);
    buf_add(&c->out, c->tmp.data, zlen);
    buf_puts(&c->out, "\nendstream");
    end_obj(c);
}

/* ---- pages, annotations, structure tree --------------------------------- */

static void resolve_array(ctx *c, span v, span *arr, const char *what)
{
    size_t num;
    if (val_ref(c, v, &num, NULL)) {
        pobj o;
        load(c, num, &o);
        v = o.v;
        if (o.stream)
            v.s = v.e = NULL;
    }
    if (!v.s || !is_array(v))
        fail(c, what);
    *arr = v;
}

/* Rewrites the content of a page when it has painting outside marked
 * content; returns 1 if its /Contents must point at the new stream *newnum
 * (when it was an array). */
static int do_contents(ctx *c, span page, size_t *newnum)
{
    span v, arr;
    size_t num;
    if (!dict_get(c, page, "/Contents", &v))
        return 0;
    if (val_ref(c, v, &num, NULL)) {
        pobj o;
        load(c, num, &o);
        if (o.stream) {
            if (c->flag[num] & F_CONTENT) /* shared with an earlier page */
                return 0;
            c->flag[num] |= F_CONTENT;
            c->raw.len = c->xout.len = 0;
            decode_stream(c, &o, &c->raw, 0);
            transform(c, c->raw.data ? c->raw.data : "", c->raw.len, &c->xout);
            if (c->wraps) /* else nothing to change */
                write_stream(c, num, o.gen, &o.v, c->xout.data, c->xout.len);
            return 0;
        }
    }
    /* an array of streams: one new stream with their concatenation */
    resolve_array(c, v, &arr, "page /Contents is neither a stream nor an array");
    dictit it;
    span x;
    size_t k = 0;
    c->raw.len = c->xout.len = 0;
    array_begin(c, arr, &it);
    while (array_next(c, &it, &x)) {
        pobj o;
        if (!val_ref(c, x, &num, NULL))
            fail(c, "page /Contents array element is not a reference");
        load(c, num, &o);
        if (!o.stream)
            fail(c, "page /Contents array element is not a stream");
        if (k++)
            buf_putc(&c->raw, '\n');
        decode_stream(c, &o, &c->raw, 0);
    }
    if (!k)
        return 0;
    transform(c, c->raw.data ? c->raw.data : "", c->raw.len, &c->xout);
    if (!c->wraps)
        return 0;
    *newnum = c->next++;
    write_stream(c, *newnum, 0, NULL, c->xout.data, c->xout.len);
    return 1;
}

static void do_annots(ctx *c, span page)
{
    static const char *const drop[] = {"/Contents", NULL};
    const pdfpost_info *in = c->info_in;
    span v, arr, x, st;
    dictit it;
    if (!dict_get(c, page, "/Annots", &v))
        return;
    resolve_array(c, v, &arr, "page /Annots is not an array");
    array_begin(c, arr, &it);
    while (array_next(c, &it, &x)) {
        size_t num;
        pobj o;
        if (span_is(x, "null"))
            continue;
        if (!val_ref(c, x, &num, NULL))
            fail(c, "direct annotation dictionaries are not supported");
        load(c, num, &o);
        if (o.stream || !is_dict(o.v))
            fail(c, "annotation is not a dictionary");
        if (!dict_get(c, o.v, "/Subtype", &st) || !val_name(st, "/Link"))
            continue;
        if (c->flag[num] & F_ANNOT) /* shared with an earlier page */
            continue;
        c->flag[num] |= F_ANNOT;
        size_t idx = c->nlink++;
        if (!in->link_desc)
            continue;
        if (idx >= in->nlinks)
            fail(c, "more link annotations than link descriptions");
        if (!in->link_desc[idx])
            continue;
        begin_obj(c, num, o.gen);
        dict_copy(c, o.v, drop);
        buf_puts(&c->out, "/Contents ");
        put_text(&c->out, in->link_desc[idx]);
        buf_puts(&c->out, "\n>>");
        end_obj(c);
    }
}

static void do_page(ctx *c, size_t num, const pobj *o)
{
    static const char *const drop1[] = {"/Tabs", NULL};
    static const char *const drop2[] = {"/Tabs", "/Contents", NULL};
    size_t newnum = 0;
    int newref = do_contents(c, o->v, &newnum);
    do_annots(c, o->v);
    begin_obj(c, num, o->gen);
    dict_copy(c, o->v, newref ? drop2 : drop1);
    if (newref)
        buf_printf(&c->out, "/Contents %zu 0 R\n", newnum);
    buf_puts(&c->out, "/Tabs /S\n>>");
    end_obj(c);
}

static void walk_pages(ctx *c, size_t num, int depth)
{
    pobj o;
    span type, kids;
    if (depth > MAX_DEPTH)
        fail(c, "page tree nested too deeply");
    if (c->flag[num] & F_PAGE)
        fail(c, "page tree has a cycle or a shared node");
    c->flag[num] |= F_PAGE;
    load(c, num, &o);
    if (o.stream || !is_dict(o.v))
        fail(c, "page tree node is not a dictionary");
    int has_type = dict_get(c, o.v, "/Type", &type);
    int has_kids = dict_get(c, o.v, "/Kids", &kids);
    if (has_type ? val_name(type, "/Pages") : has_kids) {
        span arr, x;
        dictit it;
        if (!has_kids)
            fail(c, "page tree node without /Kids");
        resolve_array(c, kids, &arr, "page tree /Kids is not an array");
        array_begin(c, arr, &it);
        while (array_next(c, &it, &x)) {
            size_t kid;
            if (!val_ref(c, x, &kid, NULL))
                fail(c, "page tree /Kids element is not a reference");
            walk_pages(c, kid, depth + 1);
        }
    } else if (!has_type || val_name(type, "/Page")) {
        do_page(c, num, &o);
    } else {
        fail(c, "page tree node is neither /Pages nor /Page");
    }
}

static void walk_struct(ctx *c, span k, int depth);

static void visit_struct(ctx *c, size_t num, int depth)
{
    static const char *const drop[] = {"/Alt", NULL};
    const pdfpost_info *in = c->info_in;
    pobj o;
    span type, s, kids;
    load(c, num, &o);
    if (o.stream || !is_dict(o.v))
        return;
    if (dict_get(c, o.v, "/Type", &type) && (val_name(type, "/MCR") || val_name(type, "/OBJR")))
        return;
    if (!dict_get(c, o.v, "/S", &s))
        return;
    if (c->flag[num] & F_STRUCT)
        fail(c, "structure tree has a cycle or a shared element");
    c->flag[num] |= F_STRUCT;
    if (val_name(s, "/Figure")) {
        size_t idx = c->nfig++;
        if (in->figure_alt) {
            if (idx >= in->nfigures)
                fail(c, "more Figure structure elements than alternative texts");
            if (in->figure_alt[idx]) {
                begin_obj(c, num, o.gen);
                dict_copy(c, o.v, drop);
                buf_puts(&c->out, "/Alt ");
                put_text(&c->out, in->figure_alt[idx]);
                buf_puts(&c->out, "\n>>");
                end_obj(c);
            }
        }
    }
    if (dict_get(c, o.v, "/K", &kids))
        walk_struct(c, kids, depth + 1);
}

static void walk_struct(ctx *c, span k, int depth)
{
    size_t num;
    tok t;
    if (depth > MAX_STRUCT_DEPTH)
        fail(c, "structure tree nested too deeply");
    if (val_ref(c, k, &num, NULL)) {
        visit_struct(c, num, depth);
        return;
    }
    switch (first_tok(k, &t)) {
    case T_LB: {
        dictit it;
        span x;
        array_begin(c, k, &it);
        while (array_next(c, &it, &x)) {
            if (is_array(x))
                fail(c, "structure element /K: nested array");
            walk_struct(c, x, depth);
        }
        break;
    }
    case T_LD: {
        span type, s;
        if (dict_get(c, k, "/Type", &type) && (val_name(type, "/MCR") || val_name(type, "/OBJR")))
            break;
        if (dict_get(c, k, "/S", &s))
            fail(c, "direct structure element dictionaries are not supported");
        break;
    }
    default: /* an MCID, null */
        break;
    }
}

/* ---- page order, page labels, structure order ------------------------- */

static void reorder_pages(ctx *c, size_t num)
{
    static const char *const drop[] = {"/Kids", NULL};
    const pdfpost_info *in = c->info_in;
    pobj o;
    span kids, arr, x;
    dictit it;
    load(c, num, &o);
    if (o.stream || !is_dict(o.v) || !dict_get(c, o.v, "/Kids", &kids))
        fail(c, "page tree root without /Kids");
    resolve_array(c, kids, &arr, "page tree /Kids is not an array");
    span *k = NULL;
    size_t n = 0, cap = 0;
    array_begin(c, arr, &it);
    while (array_next(c, &it, &x)) {
        size_t kid;
        pobj ko;
        span type;
        if (!val_ref(c, x, &kid, NULL))
            fail(c, "page tree /Kids element is not a reference");
        load(c, kid, &ko);
        if (ko.stream || !is_dict(ko.v) || (dict_get(c, ko.v, "/Type", &type) && !val_name(type, "/Page"))) {
            free(k);
            fail(c, "reordering pages needs a page tree of one level");
        }
        GROW(k, cap, n + 1);
        k[n++] = x;
    }
    if (n != in->npages) {
        free(k);
        fail(c, "page order does not match the page count");
    }
    unsigned char *seen = xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        if (in->page_order[i] >= n || seen[in->page_order[i]]) {
            free(seen);
            free(k);
            fail(c, "page order is not a permutation");
        }
        seen[in->page_order[i]] = 1;
    }
    free(seen);
    begin_obj(c, num, o.gen);
    dict_copy(c, o.v, drop);
    buf_puts(&c->out, "/Kids [");
    for (size_t i = 0; i < n; i++) {
        span r = k[in->page_order[i]];
        buf_putc(&c->out, i % 8 ? ' ' : '\n');
        buf_add(&c->out, r.s, (size_t)(r.e - r.s));
    }
    buf_puts(&c->out, "\n]\n>>");
    end_obj(c);
    free(k);
}

/* Lower-case roman numeral value of s, or 0. */
static int roman_value(const char *s)
{
    static const char *const r[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
                                    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
    for (int i = 1; i <= 20; i++)
        if (!strcmp(s, r[i]))
            return i;
    return 0;
}

static int decimal_value(const char *s)
{
    int v = 0;
    if (!*s || *s == '0' || strlen(s) > 9)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* /PageLabels with one range per run of consecutive numbers. */
static void put_page_labels(ctx *c)
{
    const pdfpost_info *in = c->info_in;
    buf_puts(&c->out, "/PageLabels << /Nums [");
    int style = 0, prev = 0; /* 'D' decimal, 'r' roman, 'P' other */
    for (size_t i = 0; i < in->npages; i++) {
        const char *l = in->page_labels[i] ? in->page_labels[i] : "";
        int d = decimal_value(l), r = roman_value(l);
        if (d && style == 'D' && d == prev + 1) {
            prev = d;
            continue;
        }
        if (r && style == 'r' && r == prev + 1) {
            prev = r;
            continue;
        }
        buf_printf(&c->out, "\n%zu << ", i);
        if (d) {
            style = 'D', prev = d;
            buf_printf(&c->out, "/S /D /St %d >>", d);
        } else if (r) {
            style = 'r', prev = r;
            buf_printf(&c->out, "/S /r /St %d >>", r);
        } else {
            style = 'P';
            buf_puts(&c->out, "/P ");
            put_text(&c->out, l);
            buf_puts(&c->out, " >>");
        }
    }
    buf_puts(&c->out, "\n] >>\n");
}

/* Moves the last child of the top structure element to struct_move_to. */
static void move_struct_child(ctx *c, span rootk)
{
    static const char *const drop[] = {"/K", NULL};
    const pdfpost_info *in = c->info_in;
    size_t num;
    span x, k;
    dictit it;
    if (is_array(rootk)) {
        size_t n = 0;
        array_begin(c, rootk, &it);
        while (array_next(c, &it, &x))
            if (n++ == 0)
                rootk = x;
        if (n != 1)
            fail(c, "structure tree root has more than one kid");
    }
    if (!val_ref(c, rootk, &num, NULL))
        fail(c, "structure tree root's kid is not a reference");
    pobj o;
    load(c, num, &o);
    if (o.stream || !is_dict(o.v) || !dict_get(c, o.v, "/K", &k) || !is_array(k))
        fail(c, "top structure element has no /K array");
    span *v = NULL;
    size_t n = 0, cap = 0;
    array_begin(c, k, &it);
    while (array_next(c, &it, &x)) {
        GROW(v, cap, n + 1);
        v[n++] = x;
    }
    if (n == 0 || in->struct_move_to >= n) {
        free(v);
        fail(c, "top structure element has too few children to move");
    }
    span last = v[n - 1];
    memmove(v + in->struct_move_to + 1, v + in->struct_move_to, (n - 1 - in->struct_move_to) * sizeof *v);
    v[in->struct_move_to] = last;
    begin_obj(c, num, o.gen);
    dict_copy(c, o.v, drop);
    buf_puts(&c->out, "/K [");
    for (size_t i = 0; i < n; i++) {
        buf_putc(&c->out, i % 8 ? ' ' : '\n');
        buf_add(&c->out, v[i].s, (size_t)(v[i].e - v[i].s));
    }
    buf_puts(&c->out, "\n]\n>>");
    end_obj(c);
    free(v);
}

/* ---- catalog, metadata, trailer ----------------------------------------- */

/* The document information value for key, decoded to UTF-8 in b (empty if
 * absent or not a string). */
static void info_text(ctx *c, const char *key, buf *b)
{
    size_t num;
    span v;
    span d = c->info;
    b->len = 0;
    if (!d.s)
        return;
    if (val_ref(c, d, &num, NULL)) {
        pobj o;
        load(c, num, &o);
        if (o.stream)
            return;
        d = o.v;
    }
    if (is_dict(d) && dict_get(c, d, key, &v))
        text_to_utf8(v, b);
}

static int date_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > 40)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == ':' || *s == 'T' || *s == 'Z' || *s == '+' ||
              *s == '.'))
            return 0;
    return 1;
}

static void write_metadata(ctx *c, size_t num, size_t gen)
{
    const pdfpost_info *in = c->info_in;
    buf *x = &c->xmp;
    static const char *const keys[] = {"/Title", "/Author", "/Subject", "/Creator", "/Producer"};
    static const char *const open[] = {
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
        "   <dc:creator><rdf:Seq><rdf:li>",
        "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
        "   <xmp:CreatorTool>",
        "   <pdf:Producer>",
    };
    static const char *const close[] = {
        "</rdf:li></rdf:Alt></dc:title>\n",  "</rdf:li></rdf:Seq></dc:creator>\n",
        "</rdf:li></rdf:Alt></dc:description>\n", "</xmp:CreatorTool>\n",
        "</pdf:Producer>\n",
    };
    const char *vals[] = {in->title, in->author, in->subject, in->creator, NULL};
    x->len = 0;
    buf_puts(x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                "  <rdf:Description rdf:about=\"\"\n"
                "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                "   <dc:format>application/pdf</dc:format>\n");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *val = vals[i];
        if (!val) {
            info_text(c, keys[i], &c->txt);
            val = c->txt.len ? c->txt.data : NULL;
        }
        if (!val || !*val)
            continue;
        buf_puts(x, open[i]);
        put_xml(x, val);
        buf_puts(x, close[i]);
    }
    if (in->lang && *in->lang) {
        buf_puts(x, "   <dc:language><rdf:Bag><rdf:li>");
        put_xml(x, in->lang);
        buf_puts(x, "</rdf:li></rdf:Bag></dc:language>\n");
    }
    if (in->date) {
        static const char *const dates[] = {"CreateDate", "ModifyDate", "MetadataDate"};
        for (size_t i = 0; i < 3; i++)
            buf_printf(x, "   <xmp:%s>%s</xmp:%s>\n", dates[i], in->date, dates[i]);
    }
    buf_puts(x, "   <pdfuaid:part>1</pdfuaid:part>\n"
                "  </rdf:Description>\n"
                " </rdf:RDF>\n"
                "</x:xmpmeta>\n"
                "<?xpacket end=\"w\"?>");
    begin_obj(c, num, gen);
    buf_printf(&c->out, "<<\n/Type /Metadata\n/Subtype /XML\n/Length %zu\n>>\nstream\n", x->len);
    buf_add(&c->out, x->data, x->len);
    buf_puts(&c->out, "\nendstream");
    end_obj(c);
}

static void write_catalog(ctx *c, size_t num, const pobj *o, size_t metanum)
{
    static const char *const drop[] = {"/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/Version",
                                       NULL};
    static const char *const drop_labels[] = {"/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata",
                                              "/Version", "/PageLabels", NULL};
    static const char *const dropvp[] = {"/DisplayDocTitle", NULL};
    const pdfpost_info *in = c->info_in;
    span v;
    begin_obj(c, num, o->gen);
    dict_copy(c, o->v, in->page_labels ? drop_labels : drop);
    if (in->page_labels)
        put_page_labels(c);
    if (in->lang) {
        buf_puts(&c->out, "/Lang ");
        put_text(&c->out, in->lang);
        buf_puts(&c->out, "\n");
    } else if (dict_get(c, o->v, "/Lang", &v)) {
        buf_puts(&c->out, "/Lang ");
        buf_add(&c->out, v.s, (size_t)(v.e - v.s));
        buf_puts(&c->out, "\n");
    }
    buf_puts(&c->out, "/MarkInfo << /Marked true >>\n/ViewerPreferences ");
    if (dict_get(c, o->v, "/ViewerPreferences", &v)) {
        size_t vp;
        if (val_ref(c, v, &vp, NULL)) {
            pobj vo;
            load(c, vp, &vo);
            v = vo.v;
            if (vo.stream)
                fail(c, "catalog /ViewerPreferences is not a dictionary");
        }
        if (!is_dict(v))
            fail(c, "catalog /ViewerPreferences is not a dictionary");
        dict_copy(c, v, dropvp);
        buf_puts(&c->out, "/DisplayDocTitle true >>\n");
    } else {
        buf_puts(&c->out, "<< /DisplayDocTitle true >>\n");
    }
    buf_printf(&c->out, "/Metadata %zu %zu R\n", metanum, metanum < c->size ? c->gen[metanum] : (size_t)0);
    if (dict_get(c, o->v, "/Version", &v) && v.e - v.s == 4 && v.s[0] == '/' && memcmp(v.s, "/1.7", 4) > 0)
        buf_printf(&c->out, "/Version %.*s\n", 4, v.s); /* keep a higher version */
    else
        buf_puts(&c->out, "/Version /1.7\n");
    buf_puts(&c->out, ">>");
    end_obj(c);
}

static uint64_t rd64(const unsigned char *p)
{
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = x << 8 | p[i];
    return x;
}

static uint64_t fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* A 128-bit hash of the input, for the file identifier. */
static void hash128(const unsigned char *p, size_t n, unsigned char out[16])
{
    uint64_t h1 = 0x9E3779B97F4A7C15ULL ^ n, h2 = 0xC2B2AE3D27D4EB4FULL + n;
    const uint64_t k1 = 0x87c37b91114253d5ULL, k2 = 0x4cf5ad432745937fULL;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t a = rd64(p + i) * k1, b = rd64(p + i + 8) * k2;
        h1 ^= (a << 31 | a >> 33) * k2;
        h1 = (h1 << 27 | h1 >> 37) + h2;
        h1 = h1 * 5 + 0x52dce729;
        h2 ^= (b << 33 | b >> 31) * k1;
        h2 = (h2 << 31 | h2 >> 33) + h1;
        h2 = h2 * 5 + 0x38495ab5;
    }
    unsigned char tail[16] = {0};
    memcpy(tail, p + i, n - i);
    h1 ^= fmix(rd64(tail) ^ k1);
    h2 ^= fmix(rd64(tail + 8) ^ k2);
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    for (int j = 0; j < 8; j++) {
        out[j] = (unsigned char)(h1 >> (8 * j));
        out[8 + j] = (unsigned char)(h2 >> (8 * j));
    }
}

static int cmp_upd(const void *a, const void *b)
{
    size_t x = ((const upd *)a)->num, y = ((const upd *)b)->num;
    return x < y ? -1 : x > y;
}

/* Compresses data[0..n) into c->tmp; returns the compressed length. */
static size_t deflate_tmp(ctx *c, const char *data, size_t n)
{
    if (!c->zd_ok) {
        memset(&c->zd, 0, sizeof c->zd);
        if (deflateInit(&c->zd, 3) != Z_OK)
            fail(c, "zlib deflateInit failed");
        c->zd_ok = 1;
    } else if (deflateReset(&c->zd) != Z_OK) {
        fail(c, "zlib deflateReset failed");
    }
    if (n > UINT32_MAX)
        fail(c, "content stream too large");
    uLong bound = deflateBound(&c->zd, (uLong)n);
    c->tmp.len = 0;
    buf_reserve(&c->tmp, bound);
    c->zd.next_in = (Bytef *)(uintptr_t)data;
    c->zd.avail_in = (uInt)n;
    c->zd.next_out = (Bytef *)c->tmp.data;
    c->zd.avail_out = (uInt)bound;
    if (deflate(&c->zd, Z_FINISH) != Z_STREAM_END)
        fail(c, "zlib deflate failed");
    return bound - c->zd.avail_out;
}

/* The trailer entries shared by both kinds of xref section. */
static void put_trailer_keys(ctx *c, const char *hex)
{
    buf_printf(&c->out, "/Size %zu\n/Root ", c->next);
    buf_add(&c->out, c->root.s, (size_t)(c->root.e - c->root.s));
    if (c->info.s) {
        buf_puts(&c->out, "\n/Info ");
        buf_add(&c->out, c->info.s, (size_t)(c->info.e - c->info.s));
    }
    buf_puts(&c->out, "\n/ID [");
    if (c->id.s)
        buf_add(&c->out, c->id.s, (size_t)(c->id.e - c->id.s));
    else
        buf_printf(&c->out, "<%s>", hex);
    buf_printf(&c->out, " <%s>]\n/Prev %zu\n", hex, c->lastxref);
}

/* The update's xref section: a classic table, or (when the input's newest
 * section is an xref stream: §7.5.8.4 says an update keeps the kind) an
 * xref stream, Flate-compressed, /W [1 w 2], that lists itself. */
static void write_xref(ctx *c)
{
    unsigned char id[16];
    char hex[33];
    size_t xref = c->out.len;
    hash128((const unsigned char *)c->d, c->n, id);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02X", id[i]);
    if (c->xrefstm) {
        size_t num = c->next++, w = 1;
        GROW(c->upd, c->capupd, c->nupd + 1);
        c->upd[c->nupd++] = (upd){num, 0, xref};
        while (w < 8 && xref >> (8 * w))
            w++;
        qsort(c->upd, c->nupd, sizeof *c->upd, cmp_upd);
        c->xout.len = 0;
        for (size_t i = 0; i < c->nupd; i++) {
            unsigned char row[11];
            row[0] = c->upd[i].off ? 1 : 0;
            for (size_t k = 0; k < w; k++)
                row[1 + k] = (unsigned char)(c->upd[i].off >> (8 * (w - 1 - k)));
            row[1 + w] = (unsigned char)(c->upd[i].gen >> 8);
            row[2 + w] = (unsigned char)c->upd[i].gen;
            buf_add(&c->xout, (const char *)row, w + 3);
        }
        size_t zlen = deflate_tmp(c, c->xout.data, c->xout.len);
        buf_printf(&c->out, "%zu 0 obj\n<< /Type /XRef\n", num);
        put_trailer_keys(c, hex);
        buf_printf(&c->out, "/W [1 %zu 2]\n/Index [", w);
        for (size_t i = 0; i < c->nupd;) {
            size_t j = i + 1;
            while (j < c->nupd && c->upd[j].num == c->upd[j - 1].num + 1)
                j++;
            buf_printf(&c->out, "%s%zu %zu", i ? " " : "", c->upd[i].num, j - i);
            i = j;
        }
        buf_printf(&c->out, "]\n/Filter /FlateDecode\n/Length %zu\n>>\nstream\n", zlen);
        buf_add(&c->out, c->tmp.data, zlen);
        buf_printf(&c->out, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref);
        return;
    }
    qsort(c->upd, c->nupd, sizeof *c->upd, cmp_upd);
    buf_puts(&c->out, "xref\n");
    for (size_t i = 0; i < c->nupd;) {
        size_t j = i + 1;
        while (j < c->nupd && c->upd[j].num == c->upd[j - 1].num + 1)
            j++;
        buf_printf(&c->out, "%zu %zu\n", c->upd[i].num, j - i);
        for (; i < j; i++)
            buf_printf(&c->out, "%010zu %05zu %c\r\n", c->upd[i].off, c->upd[i].gen, c->upd[i].off ? 'n' : 'f');
    }
    buf_puts(&c->out, "trailer\n<< ");
    put_trailer_keys(c, hex);
    buf_printf(&c->out, ">>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* ---- entry points ------------------------------------------------------- */

static void ctx_free(ctx *c)
{
    free(c->off);
    free(c->gen);
    free(c->stm);
    free(c->lim);
    free(c->flag);
    buf_free(&c->all);
    free(c->upd);
    free(c->ops);
    free(c->stack);
    free(c->ents);
    buf_free(&c->raw);
    buf_free(&c->xout);
    buf_free(&c->tmp);
    buf_free(&c->xmp);
    buf_free(&c->txt);
    buf_free(&c->out);
    if (c->zi_ok)
        inflateEnd(&c->zi);
    if (c->zd_ok)
        deflateEnd(&c->zd);
}

static void run(ctx *c)
{
    const pdfpost_info *in = c->info_in;
    pobj cat;
    span v;
    size_t rootnum, num, metanum, metagen = 0;
    if (in->date && !date_ok(in->date))
        fail(c, "date is not of the form YYYY-MM-DDThh:mm:ssZ");
    if (c->n < 8 || memcmp(c->d, "%PDF-", 5) != 0)
        fail(c, "not a PDF (no %PDF- header)");
    read_xrefs(c);
    c->next = c->size;
    val_ref(c, c->root, &rootnum, NULL);
    load(c, rootnum, &cat);
    if (cat.stream || !is_dict(cat.v))
        fail(c, "catalog is not a dictionary");
    /* the update starts on a line of its own */
    buf_reserve(&c->out, c->n + c->n / 2 + 65536);
    buf_add(&c->out, c->d, c->n);
    if (c->d[c->n - 1] != '\n' && c->d[c->n - 1] != '\r')
        buf_putc(&c->out, '\n');
    if (!dict_get(c, cat.v, "/Pages", &v) || !val_ref(c, v, &num, NULL))
        fail(c, "catalog without /Pages");
    walk_pages(c, num, 0);
    if (in->page_order)
        reorder_pages(c, num);
    if (in->link_desc && c->nlink != in->nlinks)
        fail(c, "fewer link annotations than link descriptions");
    if (dict_get(c, cat.v, "/StructTreeRoot", &v)) {
        pobj root;
        span k;
        if (!val_ref(c, v, &num, NULL))
            fail(c, "catalog /StructTreeRoot is not a reference");
        load(c, num, &root);
        if (root.stream || !is_dict(root.v))
            fail(c, "structure tree root is not a dictionary");
        if (dict_get(c, root.v, "/K", &k)) {
            walk_struct(c, k, 0);
            if (in->struct_move_last)
                move_struct_child(c, k);
        }
    }
    if (in->figure_alt && c->nfig != in->nfigures)
        fail(c, "fewer Figure structure elements than alternative texts");
    if (dict_get(c, cat.v, "/Metadata", &v) && val_ref(c, v, &metanum, &metagen) && c->off[metanum]) {
        /* a new version of the existing metadata stream */
    } else {
        metanum = c->next++;
        metagen = 0;
    }
    if (metanum < c->size)
        metagen = c->gen[metanum];
    write_metadata(c, metanum, metagen);
    write_catalog(c, rootnum, &cat, metanum);
    write_xref(c);
}

static void run_content(ctx *c)
{
    buf_reserve(&c->out, c->n + c->n / 8 + 64);
    transform(c, c->d, c->n, &c->out);
}

/* Runs fn under the error handler; on success hands over the output. */
static int guarded(ctx *c, void (*fn)(ctx *), char **out, size_t *outlen, const char **why)
{
    if (setjmp(c->jb)) {
        if (why)
            *why = c->why;
        ctx_free(c);
        free(c);
        return -1;
    }
    fn(c);
    *outlen = c->out.len;
    *out = buf_detach(&c->out, NULL);
    ctx_free(c);
    free(c);
    return 0;
}

int pdfpost_apply(const char *pdf, size_t len, const pdfpost_info *info, char **out, size_t *outlen,
                  const char **why)
{
    static const pdfpost_info none;
    if (!pdf || !out || !outlen) {
        if (why)
            *why = "pdfpost_apply: NULL argument";
        return -1;
    }
    ctx *c = xcalloc(1, sizeof *c);
    c->d = pdf;
    c->n = len;
    c->end = pdf + len;
    c->info_in = info ? info : &none;
    return guarded(c, run, out, outlen, why);
}

int pdfpost_content(const char *in, size_t len, char **out, size_t *outlen, const char **why)
{
    if (!in || !out || !outlen) {
        if (why)
            *why = "pdfpost_content: NULL argument";
        return -1;
    }
    ctx *c = xcalloc(1, sizeof *c);
    c->d = in;
    c->n = len;
    c->end = in + len;
    return guarded(c, run_content, out, outlen, why);
}
