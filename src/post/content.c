/* content — see content.h.
 *
 * One pass over the tokens: operands are skipped, operators are collected
 * into the current run (operations at marked-content depth 0); a BMC/BDC
 * or the end of the stream flushes the run, copying the input up to each
 * wrapped segment and inserting the artifact tags around it. The input is
 * never parsed further than the operators need: a stream is only changed
 * where painting is found outside marked content. */
#include "post/content.h"

#include <string.h>

/* What an operator does, as far as wrapping is concerned. */
typedef enum op_kind { OP_OTHER, OP_PAINT, OP_Q, OP_QEND, OP_BT, OP_ET } op_kind;

/* One operation of the current run: its operands and operator, s[s..e). */
typedef struct content_op {
    size_t s, e;
    op_kind kind;
    unsigned char split; /* its q/Q or BT/ET partner lies outside the run */
} content_op;

/* content_rewrite's pass over one stream. */
typedef struct scan {
    const char *s, *p, *e; /* the stream, the position, its end */
    const char *opstart;   /* first operand of the operation being read */
    size_t nest;           /* depth in operand arrays and dictionaries */
    size_t mc;             /* depth in marked content */
    size_t copied;         /* bytes of s copied to the output so far */
    size_t wraps;          /* artifact sequences added */
} scan;

static op_kind op_kind_of(const char *s, size_t n)
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

/* Marks the operations whose q/Q or BT/ET partner lies outside the run. */
static void mark_splits(post_ctx *c)
{
    size_t n = c->nops, sp = 0;
    content_op *ops = c->ops;
    GROW(c->stack, c->capstack, n);
    for (size_t i = 0; i < n; i++) {
        op_kind k = ops[i].kind;
        if (k == OP_Q || k == OP_BT) {
            c->stack[sp++] = i;
        } else if (k == OP_QEND || k == OP_ET) {
            op_kind want = k == OP_QEND ? OP_Q : OP_BT;
            if (sp && ops[c->stack[sp - 1]].kind == want)
                sp--;
            else
                ops[i].split = 1;
        }
    }
    while (sp)
        ops[c->stack[--sp]].split = 1;
}

/* The end of the segment of operations from i up to the next split one;
 * *paint: whether it paints. Fails when q/Q or BT/ET nest badly in it. */
static size_t segment_end(post_ctx *c, size_t i, int *paint)
{
    const content_op *ops = c->ops;
    long q = 0, bt = 0;
    *paint = 0;
    for (; i < c->nops && !ops[i].split; i++) {
        switch (ops[i].kind) {
        case OP_PAINT: *paint = 1; break;
        case OP_Q: q++; break;
        case OP_QEND: q--; break;
        case OP_BT: bt++; break;
        case OP_ET: bt--; break;
        case OP_OTHER: break;
        }
        if (q < 0 || bt < 0 || bt > 1)
            post_fail(c, "content stream: q/Q or BT/ET badly nested");
    }
    if (*paint && (q || bt))
        post_fail(c, "content stream: q/Q or BT/ET badly nested");
    return i;
}

/* Wraps the painting segments of the current run in /Artifact BMC ... EMC.
 * Operations whose q/Q or BT/ET partner lies outside the run split it and
 * stay unwrapped, so every wrapped segment is balanced. */
static void flush_run(post_ctx *c, scan *sc, buf *out)
{
    const content_op *ops = c->ops;
    if (!c->nops)
        return;
    mark_splits(c);
    for (size_t i = 0; i < c->nops;) {
        if (ops[i].split) {
            i++;
            continue;
        }
        int paint;
        size_t j = segment_end(c, i, &paint);
        if (paint) {
            buf_add(out, sc->s + sc->copied, ops[i].s - sc->copied);
            buf_puts(out, "/Artifact BMC\n");
            buf_add(out, sc->s + ops[i].s, ops[j - 1].e - ops[i].s);
            buf_puts(out, "\nEMC\n");
            sc->copied = ops[j - 1].e;
            sc->wraps++;
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
        if (x[1] == 'I' && x > lo && lex_is_space(x[-1]) && (x + 2 == e || !lex_is_regular(x[2])))
            return x + 2;
        q = x + 1;
    }
    return NULL;
}

/* After BI: skips the image dictionary up to ID and the data up to EI;
 * returns the end of EI. */
static const char *skip_inline_image(post_ctx *c, scan *sc)
{
    tok u;
    for (;;) { /* the image dictionary, up to ID */
        if (lex_token(&sc->p, sc->e, &u) < 0 || u.k == TOK_EOF)
            post_fail(c, "content stream: unterminated inline image");
        if (u.k == TOK_KW && tok_is(&u, "ID"))
            break;
    }
    const char *idend = u.e;
    if (sc->p < sc->e && lex_is_space(*sc->p))
        sc->p++;
    sc->p = inline_image_end(idend, sc->p, sc->e);
    if (!sc->p)
        post_fail(c, "content stream: inline image without EI");
    return sc->p;
}

/* Follows [ ] << >> in operands; returns 1 if t is (part of) an operand,
 * 0 if it is an operator. */
static int is_operand(post_ctx *c, scan *sc, const tok *t)
{
    if (t->k == TOK_LB || t->k == TOK_LD) {
        if (++sc->nest > MAX_DEPTH)
            post_fail(c, "content stream: operands nested too deeply");
        return 1;
    }
    if (t->k == TOK_RB || t->k == TOK_RD) {
        if (!sc->nest)
            post_fail(c, "content stream: unbalanced ] or >>");
        sc->nest--;
        return 1;
    }
    if (t->k != TOK_KW || sc->nest)
        return 1;
    return (*t->s == 't' && tok_is(t, "true")) || (*t->s == 'f' && tok_is(t, "false")) ||
           (*t->s == 'n' && tok_is(t, "null"));
}

/* Follows BMC/BDC ... EMC: returns 1 when the operator t belongs to marked
 * content (or opens it, which ends the current run), 0 when it joins the run. */
static int marked_content(post_ctx *c, scan *sc, const tok *t, buf *out)
{
    size_t len = (size_t)(t->e - t->s);
    int begin = len == 3 && t->s[0] == 'B' && (t->s[1] == 'D' || t->s[1] == 'M') && t->s[2] == 'C';
    int endmc = len == 3 && t->s[0] == 'E' && t->s[1] == 'M' && t->s[2] == 'C';
    if (sc->mc) {
        if (begin && ++sc->mc > MAX_DEPTH)
            post_fail(c, "content stream: marked content nested too deeply");
        if (endmc)
            sc->mc--;
        return 1;
    }
    if (begin) {
        flush_run(c, sc, out);
        sc->mc = 1;
        return 1;
    }
    if (endmc)
        post_fail(c, "content stream: EMC without BMC/BDC");
    return 0;
}

/* Handles the operator t, whose operands start at sc->opstart. */
static void take_operator(post_ctx *c, scan *sc, tok t, buf *out)
{
    size_t os = (size_t)(sc->opstart - sc->s), len = (size_t)(t.e - t.s);
    op_kind kind = op_kind_of(t.s, len);
    sc->opstart = NULL;
    if (len == 2 && t.s[0] == 'B' && t.s[1] == 'I') {
        t.e = skip_inline_image(c, sc);
        kind = OP_PAINT;
    } else if (len == 2 && t.s[0] == 'I' && t.s[1] == 'D') {
        post_fail(c, "content stream: ID outside an inline image");
    }
    if (marked_content(c, sc, &t, out))
        return;
    GROW(c->ops, c->capops, c->nops + 1);
    c->ops[c->nops++] = (content_op){os, (size_t)(t.e - sc->s), kind, 0};
}

size_t content_rewrite(post_ctx *c, const char *s, size_t n, buf *out)
{
    scan sc = {s, s, s + n, NULL, 0, 0, 0, 0};
    c->nops = 0;
    for (;;) {
        tok t;
        if (lex_token(&sc.p, sc.e, &t) < 0)
            post_fail(c, "content stream: syntax error");
        if (t.k == TOK_EOF)
            break;
        if (!sc.opstart)
            sc.opstart = t.s;
        if (!is_operand(c, &sc, &t))
            take_operator(c, &sc, t, out);
    }
    if (sc.nest)
        post_fail(c, "content stream: unterminated array or dictionary");
    if (sc.mc)
        post_fail(c, "content stream: BMC/BDC without EMC");
    if (sc.opstart)
        post_fail(c, "content stream: operands without operator at the end");
    flush_run(c, &sc, out);
    buf_add(out, s + sc.copied, n - sc.copied);
    return sc.wraps;
}
