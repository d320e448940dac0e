/* struct — see struct.h. */
#include "post/struct.h"

#include <stdlib.h>
#include <string.h>

#include "post/obj.h"
#include "post/textstr.h"
#include "post/val.h"
#include "post/write.h"

static void visit_struct(post_ctx *c, size_t num, int depth)
{
    static const char *const drop[] = {"/Alt", NULL};
    const pdfpost_info *in = c->info_in;
    pobj o;
    span type, s, kids;
    obj_load(c, num, &o);
    if (o.stream || !val_is_dict(o.v))
        return;
    if (dict_get(c, o.v, "/Type", &type) && (val_name(type, "/MCR") || val_name(type, "/OBJR")))
        return;
    if (!dict_get(c, o.v, "/S", &s))
        return;
    if (c->flag[num] & F_STRUCT)
        post_fail(c, "structure tree has a cycle or a shared element");
    c->flag[num] |= F_STRUCT;
    if (val_name(s, "/Figure")) {
        size_t idx = c->nfig++;
        if (in->figure_alt) {
            if (idx >= in->nfigures)
                post_fail(c, "more Figure structure elements than alternative texts");
            if (in->figure_alt[idx]) {
                write_obj_begin(c, num, o.gen);
                write_dict_copy(c, o.v, drop);
                buf_puts(&c->out, "/Alt ");
                textstr_put(&c->out, in->figure_alt[idx]);
                buf_puts(&c->out, "\n>>");
                write_obj_end(c);
            }
        }
    }
    if (val_name(s, "/Note")) {
        /* PDF/UA: a Note has an ID (unique: a note continued on the next
         * page is two elements); the root's /IDTree names it */
        static const char *const dropid[] = {"/ID", NULL};
        GROW(c->note_obj, c->capnote, c->nnote + 1);
        c->note_obj[c->nnote++] = num;
        write_obj_begin(c, num, o.gen);
        write_dict_copy(c, o.v, dropid);
        buf_printf(&c->out, "/ID (note-%06zu)\n>>", c->nnote);
        write_obj_end(c);
    }
    span attr;
    if (val_name(s, "/TH") && !dict_get(c, o.v, "/A", &attr)) {
        /* a table's header cells head their columns (cairo 1.16 writes
         * no attributes): the Table attribute /Scope /Column */
        static const char *const none[] = {NULL};
        write_obj_begin(c, num, o.gen);
        write_dict_copy(c, o.v, none);
        buf_puts(&c->out, "/A << /O /Table /Scope /Column >>\n>>");
        write_obj_end(c);
    }
    if (dict_get(c, o.v, "/K", &kids))
        struct_walk(c, kids, depth + 1);
}

void struct_walk(post_ctx *c, span k, int depth)
{
    size_t num;
    tok t;
    if (depth > MAX_STRUCT_DEPTH)
        post_fail(c, "structure tree nested too deeply");
    if (val_ref(c, k, &num, NULL)) {
        visit_struct(c, num, depth);
        return;
    }
    switch (val_first_tok(k, &t)) {
    case TOK_LB: {
        dictit it;
        span x;
        array_begin(c, k, &it);
        while (array_next(c, &it, &x)) {
            if (val_is_array(x))
                post_fail(c, "structure element /K: nested array");
            struct_walk(c, x, depth);
        }
        break;
    }
    case TOK_LD: {
        span type, s;
        if (dict_get(c, k, "/Type", &type) && (val_name(type, "/MCR") || val_name(type, "/OBJR")))
            break;
        if (dict_get(c, k, "/S", &s))
            post_fail(c, "direct structure element dictionaries are not supported");
        break;
    }
    default: /* an MCID, null */
        break;
    }
}

/* Moves the last child of the top structure element to struct_move_to. */
void struct_move_last(post_ctx *c, span rootk)
{
    static const char *const drop[] = {"/K", NULL};
    const pdfpost_info *in = c->info_in;
    size_t num;
    span x, k;
    dictit it;
    if (val_is_array(rootk)) {
        size_t n = 0;
        array_begin(c, rootk, &it);
        while (array_next(c, &it, &x))
            if (n++ == 0)
                rootk = x;
        if (n != 1)
            post_fail(c, "structure tree root has more than one kid");
    }
    if (!val_ref(c, rootk, &num, NULL))
        post_fail(c, "structure tree root's kid is not a reference");
    pobj o;
    obj_load(c, num, &o);
    if (o.stream || !val_is_dict(o.v) || !dict_get(c, o.v, "/K", &k) || !val_is_array(k))
        post_fail(c, "top structure element has no /K array");
    span *v = NULL;
    size_t n = 0, cap = 0;
    array_begin(c, k, &it);
    while (array_next(c, &it, &x)) {
        GROW(v, cap, n + 1);
        v[n++] = x;
    }
    if (n == 0 || in->struct_move_to >= n) {
        free(v);
        post_fail(c, "top structure element has too few children to move");
    }
    span last = v[n - 1];
    memmove(v + in->struct_move_to + 1, v + in->struct_move_to, (n - 1 - in->struct_move_to) * sizeof *v);
    v[in->struct_move_to] = last;
    write_obj_begin(c, num, o.gen);
    write_dict_copy(c, o.v, drop);
    buf_puts(&c->out, "/K [");
    for (size_t i = 0; i < n; i++) {
        buf_putc(&c->out, i % 8 ? ' ' : '\n');
        buf_add(&c->out, v[i].s, (size_t)(v[i].e - v[i].s));
    }
    buf_puts(&c->out, "\n]\n>>");
    write_obj_end(c);
    free(v);
}
