/* pages — see pages.h. */
#include "post/pages.h"

#include <stdlib.h>

#include "post/content.h"
#include "post/filter.h"
#include "post/obj.h"
#include "post/textstr.h"
#include "post/val.h"
#include "post/write.h"

/* The array that v is or refers to, in *arr; fails with `what` otherwise. */
static void resolve_array(post_ctx *c, span v, span *arr, const char *what)
{
    size_t num;
    if (val_ref(c, v, &num, NULL)) {
        pobj o;
        obj_load(c, num, &o);
        v = o.v;
        if (o.stream)
            v.s = v.e = NULL;
    }
    if (!v.s || !val_is_array(v))
        post_fail(c, what);
    *arr = v;
}

/* Rewrites the content of a page when it has painting outside marked
 * content; returns 1 if its /Contents must point at the new stream *newnum
 * (when it was an array). */
static int do_contents(post_ctx *c, span page, size_t *newnum)
{
    span v, arr;
    size_t num;
    if (!dict_get(c, page, "/Contents", &v))
        return 0;
    if (val_ref(c, v, &num, NULL)) {
        pobj o;
        obj_load(c, num, &o);
        if (o.stream) {
            if (c->flag[num] & F_CONTENT) /* shared with an earlier page */
                return 0;
            c->flag[num] |= F_CONTENT;
            c->raw.len = c->xout.len = 0;
            filter_decode(c, &o, &c->raw, STREAM_CONTENT);
            if (content_rewrite(c, c->raw.data ? c->raw.data : "", c->raw.len, &c->xout)) /* else unchanged */
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
            post_fail(c, "page /Contents array element is not a reference");
        obj_load(c, num, &o);
        if (!o.stream)
            post_fail(c, "page /Contents array element is not a stream");
        if (k++)
            buf_putc(&c->raw, '\n');
        filter_decode(c, &o, &c->raw, STREAM_CONTENT);
    }
    if (!k)
        return 0;
    if (!content_rewrite(c, c->raw.data ? c->raw.data : "", c->raw.len, &c->xout))
        return 0;
    *newnum = c->next++;
    write_stream(c, *newnum, 0, NULL, c->xout.data, c->xout.len);
    return 1;
}

static void do_annots(post_ctx *c, span page)
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
            post_fail(c, "direct annotation dictionaries are not supported");
        obj_load(c, num, &o);
        if (o.stream || !val_is_dict(o.v))
            post_fail(c, "annotation is not a dictionary");
        if (!dict_get(c, o.v, "/Subtype", &st) || !val_name(st, "/Link"))
            continue;
        if (c->flag[num] & F_ANNOT) /* shared with an earlier page */
            continue;
        c->flag[num] |= F_ANNOT;
        size_t idx = c->nlink++;
        if (!in->link_desc)
            continue;
        if (idx >= in->nlinks)
            post_fail(c, "more link annotations than link descriptions");
        if (!in->link_desc[idx])
            continue;
        write_obj_begin(c, num, o.gen);
        write_dict_copy(c, o.v, drop);
        buf_puts(&c->out, "/Contents ");
        textstr_put(&c->out, in->link_desc[idx]);
        buf_puts(&c->out, "\n>>");
        write_obj_end(c);
    }
}

static void do_page(post_ctx *c, size_t num, const pobj *o)
{
    static const char *const drop1[] = {"/Tabs", NULL};
    static const char *const drop2[] = {"/Tabs", "/Contents", NULL};
    size_t newnum = 0;
    int newref = do_contents(c, o->v, &newnum);
    do_annots(c, o->v);
    write_obj_begin(c, num, o->gen);
    write_dict_copy(c, o->v, newref ? drop2 : drop1);
    if (newref)
        buf_printf(&c->out, "/Contents %zu 0 R\n", newnum);
    buf_puts(&c->out, "/Tabs /S\n>>");
    write_obj_end(c);
}

void pages_walk(post_ctx *c, size_t num, int depth)
{
    pobj o;
    span type, kids;
    if (depth > MAX_DEPTH)
        post_fail(c, "page tree nested too deeply");
    if (c->flag[num] & F_PAGE)
        post_fail(c, "page tree has a cycle or a shared node");
    c->flag[num] |= F_PAGE;
    obj_load(c, num, &o);
    if (o.stream || !val_is_dict(o.v))
        post_fail(c, "page tree node is not a dictionary");
    int has_type = dict_get(c, o.v, "/Type", &type);
    int has_kids = dict_get(c, o.v, "/Kids", &kids);
    if (has_type ? val_name(type, "/Pages") : has_kids) {
        span arr, x;
        dictit it;
        if (!has_kids)
            post_fail(c, "page tree node without /Kids");
        resolve_array(c, kids, &arr, "page tree /Kids is not an array");
        array_begin(c, arr, &it);
        while (array_next(c, &it, &x)) {
            size_t kid;
            if (!val_ref(c, x, &kid, NULL))
                post_fail(c, "page tree /Kids element is not a reference");
            pages_walk(c, kid, depth + 1);
        }
    } else if (!has_type || val_name(type, "/Page")) {
        do_page(c, num, &o);
    } else {
        post_fail(c, "page tree node is neither /Pages nor /Page");
    }
}

/* 1 if order[0..n) holds every number below n once. */
static int is_permutation(const size_t *order, size_t n)
{
    unsigned char *seen = xcalloc(n + 1, 1);
    size_t i;
    for (i = 0; i < n && order[i] < n && !seen[order[i]]; i++)
        seen[order[i]] = 1;
    free(seen);
    return i == n;
}

void pages_reorder(post_ctx *c, size_t num)
{
    static const char *const drop[] = {"/Kids", NULL};
    const pdfpost_info *in = c->info_in;
    pobj o;
    span kids, arr, x;
    dictit it;
    obj_load(c, num, &o);
    if (o.stream || !val_is_dict(o.v) || !dict_get(c, o.v, "/Kids", &kids))
        post_fail(c, "page tree root without /Kids");
    resolve_array(c, kids, &arr, "page tree /Kids is not an array");
    span *k = NULL;
    size_t n = 0, cap = 0;
    array_begin(c, arr, &it);
    while (array_next(c, &it, &x)) {
        size_t kid;
        pobj ko;
        span type;
        if (!val_ref(c, x, &kid, NULL))
            post_fail(c, "page tree /Kids element is not a reference");
        obj_load(c, kid, &ko);
        if (ko.stream || !val_is_dict(ko.v) || (dict_get(c, ko.v, "/Type", &type) && !val_name(type, "/Page"))) {
            free(k);
            post_fail(c, "reordering pages needs a page tree of one level");
        }
        GROW(k, cap, n + 1);
        k[n++] = x;
    }
    if (n != in->npages) {
        free(k);
        post_fail(c, "page order does not match the page count");
    }
    if (!is_permutation(in->page_order, n)) {
        free(k);
        post_fail(c, "page order is not a permutation");
    }
    write_obj_begin(c, num, o.gen);
    write_dict_copy(c, o.v, drop);
    buf_puts(&c->out, "/Kids [");
    for (size_t i = 0; i < n; i++) {
        span r = k[in->page_order[i]];
        buf_putc(&c->out, i % 8 ? ' ' : '\n');
        buf_add(&c->out, r.s, (size_t)(r.e - r.s));
    }
    buf_puts(&c->out, "\n]\n>>");
    write_obj_end(c);
    free(k);
}
