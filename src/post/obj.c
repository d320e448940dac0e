/* obj — see obj.h. */
#include "post/obj.h"

#include <string.h>

#include "post/val.h"

const char *obj_header_at(post_ctx *c, size_t at, size_t limit, size_t *num, size_t *gen)
{
    const char *p = c->d + at, *e = c->d + c->n;
    tok a, b, k;
    if (lex_token(&p, e, &a) < 0 || lex_token(&p, e, &b) < 0 || lex_token(&p, e, &k) < 0 || a.s != c->d + at ||
        tok_uint(&a, limit, num) < 0 || tok_uint(&b, MAX_GEN, gen) < 0 || k.k != TOK_KW || !tok_is(&k, "obj"))
        return NULL;
    return p;
}

const char *obj_header(post_ctx *c, size_t num, size_t *gen)
{
    size_t x;
    const char *p = obj_header_at(c, c->off[num], c->size, &x, gen);
    if (!p || x != num)
        post_fail(c, "xref offset does not point at its object");
    return p;
}


void obj_body(post_ctx *c, const char *p, pobj *o, length_rule lengths)
{
    const char *saved = c->end, *e = c->d + c->n;
    c->end = e; /* an object of the input lies within the input */
    o->stream = 0;
    o->data = NULL;
    o->len = 0;
    obj_skip_value(c, &p, 0, &o->v);
    tok t;
    obj_next(c, &p, &t);
    if (t.k == TOK_KW && tok_is(&t, "endobj")) {
        c->end = saved;
        return;
    }
    if (t.k != TOK_KW || !tok_is(&t, "stream") || !val_is_dict(o->v))
        post_fail(c, "PDF syntax error: endobj expected");
    p = t.e;
    if (p < e && *p == '\r')
        p++;
    if (p >= e || *p != '\n')
        post_fail(c, "PDF syntax error: end of line expected after stream");
    p++;
    span lv;
    size_t len, lnum;
    if (!dict_get(c, o->v, "/Length", &lv))
        post_fail(c, "stream without /Length");
    if (lengths == LENGTH_MAY_REFER && val_ref(c, lv, &lnum, NULL)) {
        pobj lo;
        c->flag[o->num] |= F_LOADING;
        obj_load(c, lnum, &lo);
        c->flag[o->num] &= (unsigned char)~F_LOADING;
        if (lo.stream)
            post_fail(c, "stream /Length is not a number");
        lv = lo.v;
    }
    if (val_uint(lv, (size_t)(e - p) + 1, &len) < 0)
        post_fail(c, "stream /Length is not a number within the file");
    o->stream = 1;
    o->data = p;
    o->len = len;
    p += len;
    while (p < e && lex_is_space(*p))
        p++;
    if ((size_t)(e - p) < 9 || memcmp(p, "endstream", 9) != 0)
        post_fail(c, "stream /Length does not end at endstream");
    c->end = saved;
}

void obj_load(post_ctx *c, size_t num, pobj *o)
{
    if (num >= c->size || !c->off[num])
        post_fail(c, "reference to a missing object");
    if (c->flag[num] & F_LOADING)
        post_fail(c, "object refers to itself");
    o->num = num;
    if (c->off[num] >= c->n) { /* in an object stream: a value, never a stream */
        if (c->d != c->all.data)
            post_fail(c, "object stream dictionary refers to a compressed object");
        const char *p = c->d + c->off[num], *saved = c->end;
        c->end = c->d + c->lim[num];
        o->gen = 0;
        o->stream = 0;
        o->data = NULL;
        o->len = 0;
        obj_skip_value(c, &p, 0, &o->v);
        c->end = saved;
        return;
    }
    obj_body(c, obj_header(c, num, &o->gen), o, LENGTH_MAY_REFER);
}
