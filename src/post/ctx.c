/* ctx — see ctx.h. */
#include "post/ctx.h"

#include <stdlib.h>

_Noreturn void post_fail(post_ctx *c, const char *why)
{
    c->why = why;
    longjmp(c->jb, 1);
}

void post_ctx_free(post_ctx *c)
{
    free(c->off);
    free(c->gen);
    free(c->stm);
    free(c->lim);
    free(c->flag);
    buf_free(&c->all);
    free(c->upd);
    free(c->ops);
    free(c->note_obj);
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
