/* val — see val.h. */
#include "post/val.h"

void obj_next(post_ctx *c, const char **pp, tok *t)
{
    if (lex_token(pp, c->end, t) < 0)
        post_fail(c, "PDF syntax error");
}

/* After "N": takes " G R" too when they follow, so a reference is one value. */
static const char *ref_end(post_ctx *c, const char *p)
{
    tok t2, t3;
    if (lex_token(&p, c->end, &t2) == 0 && t2.k == TOK_NUM && lex_token(&p, c->end, &t3) == 0 &&
        t3.k == TOK_KW && tok_is(&t3, "R"))
        return p;
    return NULL;
}

/* Skips the elements of an array after its "[" and the "]"; returns its end. */
static const char *skip_array_rest(post_ctx *c, const char **pp, int depth)
{
    for (;;) {
        const char *q = *pp;
        tok t2;
        obj_next(c, &q, &t2);
        if (t2.k == TOK_RB) {
            *pp = q;
            return t2.e;
        }
        span dummy;
        obj_skip_value(c, pp, depth + 1, &dummy);
    }
}

/* Skips the entries of a dictionary after its "<<" and the ">>"; returns
 * its end. */
static const char *skip_dict_rest(post_ctx *c, const char **pp, int depth)
{
    for (;;) {
        tok key;
        obj_next(c, pp, &key);
        if (key.k == TOK_RD)
            return key.e;
        if (key.k != TOK_NAME)
            post_fail(c, "PDF syntax error: dictionary key is not a name");
        span dummy;
        obj_skip_value(c, pp, depth + 1, &dummy);
    }
}

void obj_skip_value(post_ctx *c, const char **pp, int depth, span *v)
{
    tok t;
    const char *q;
    if (depth > MAX_DEPTH)
        post_fail(c, "PDF objects nested too deeply");
    obj_next(c, pp, &t);
    v->s = t.s;
    switch (t.k) {
    case TOK_NUM:
        if ((q = ref_end(c, *pp)) != NULL)
            *pp = t.e = q;
        break;
    case TOK_NAME:
    case TOK_STR:
    case TOK_HEX:
        break;
    case TOK_KW:
        if (!tok_is(&t, "true") && !tok_is(&t, "false") && !tok_is(&t, "null"))
            post_fail(c, "PDF syntax error: unexpected keyword");
        break;
    case TOK_LB:
        t.e = skip_array_rest(c, pp, depth);
        break;
    case TOK_LD:
        t.e = skip_dict_rest(c, pp, depth);
        break;
    default:
        post_fail(c, "PDF syntax error: value expected");
    }
    v->e = t.e;
}

tok_kind val_first_tok(span v, tok *t)
{
    const char *p = v.s;
    return lex_token(&p, v.e, t) == 0 ? t->k : TOK_EOF;
}

int val_is_dict(span v)
{
    tok t;
    return val_first_tok(v, &t) == TOK_LD;
}

int val_is_array(span v)
{
    tok t;
    return val_first_tok(v, &t) == TOK_LB;
}

void dict_begin(post_ctx *c, span v, dictit *it)
{
    tok t;
    it->p = v.s;
    obj_next(c, &it->p, &t);
    if (t.k != TOK_LD)
        post_fail(c, "PDF dictionary expected");
}

int dict_next(post_ctx *c, dictit *it, span *key, span *val)
{
    tok t;
    obj_next(c, &it->p, &t);
    if (t.k == TOK_RD)
        return 0;
    if (t.k != TOK_NAME)
        post_fail(c, "PDF syntax error: dictionary key is not a name");
    key->s = t.s;
    key->e = t.e;
    obj_skip_value(c, &it->p, 1, val);
    return 1;
}

int dict_get(post_ctx *c, span dict, const char *key, span *val)
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

void array_begin(post_ctx *c, span v, dictit *it)
{
    tok t;
    it->p = v.s;
    obj_next(c, &it->p, &t);
    if (t.k != TOK_LB)
        post_fail(c, "PDF array expected");
}

int array_next(post_ctx *c, dictit *it, span *val)
{
    const char *q = it->p;
    tok t;
    obj_next(c, &q, &t);
    if (t.k == TOK_RB)
        return 0;
    obj_skip_value(c, &it->p, 1, val);
    return 1;
}

int val_ref(post_ctx *c, span v, size_t *num, size_t *gen)
{
    const char *p = v.s;
    tok a, b, r;
    if (lex_token(&p, v.e, &a) < 0 || lex_token(&p, v.e, &b) < 0 || lex_token(&p, v.e, &r) < 0)
        return 0;
    if (a.k != TOK_NUM || b.k != TOK_NUM || r.k != TOK_KW || !tok_is(&r, "R"))
        return 0;
    size_t g;
    if (tok_uint(&a, c->size, num) < 0 || tok_uint(&b, MAX_GEN, &g) < 0)
        post_fail(c, "PDF reference to an object number out of range");
    if (gen)
        *gen = g;
    return 1;
}

int val_uint(span v, size_t limit, size_t *x)
{
    const char *p = v.s;
    tok t;
    if (lex_token(&p, v.e, &t) < 0 || p != v.e)
        return -1;
    return tok_uint(&t, limit, x);
}

int val_name(span v, const char *name)
{
    return span_is(v, name);
}
