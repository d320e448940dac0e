/* pdfpost — see pdfpost.h. The driver: it checks the arguments, runs the
 * steps of the update in order and hands over the output.
 *
 * Design: the input is only read through a bounded lexer (lex.c: every
 * access is checked against the end of the buffer). Objects are found
 * through the xref (xref.c; all offsets are checked to point at "N G obj"
 * first), parsed on demand (val.c, obj.c) and never modified: a changed
 * dictionary is written anew by copying its other entries byte for byte
 * and appending the new ones (write.c). Errors unwind with longjmp to
 * guarded() below, which frees everything the context owns (ctx.h). Work
 * is linear: one pass over the xref, one inflate + tokenize + deflate per
 * content stream (filter.c, content.c), one visit per page, annotation
 * (pages.c) and structure element (struct.c).
 *
 * The modules of src/post/, in the order a run uses them:
 *   lex     tokens of PDF syntax
 *   val     values: dictionaries, arrays, references, numbers, names
 *   obj     objects by number, stream data located
 *   filter  Flate decoding (PNG predictors) and encoding
 *   xref    xref tables and streams, object streams
 *   content the content-stream rewriter (artifacts)
 *   pages   the page tree: contents, /Tabs, link annotations, page order
 *   struct  the structure tree: /Alt of figures, moving a child
 *   textstr PDF text strings
 *   xmp     the metadata stream
 *   catalog the new catalog
 *   write   the objects of the update and its xref section
 */
#include "post/pdfpost.h"

#include <stdlib.h>
#include <string.h>

#include "post/catalog.h"
#include "post/content.h"
#include "post/ctx.h"
#include "post/obj.h"
#include "post/pages.h"
#include "post/struct.h"
#include "post/val.h"
#include "post/write.h"
#include "post/xmp.h"
#include "post/xref.h"

/* The structure tree: /Alt of figures, then the top element's order. */
static void do_struct_tree(post_ctx *c, span catalog)
{
    const pdfpost_info *in = c->info_in;
    span v, k;
    size_t num;
    pobj root;
    if (!dict_get(c, catalog, "/StructTreeRoot", &v))
        return;
    if (!val_ref(c, v, &num, NULL))
        post_fail(c, "catalog /StructTreeRoot is not a reference");
    obj_load(c, num, &root);
    if (root.stream || !val_is_dict(root.v))
        post_fail(c, "structure tree root is not a dictionary");
    if (dict_get(c, root.v, "/K", &k)) {
        struct_walk(c, k, 0);
        if (in->struct_move_last)
            struct_move_last(c, k);
    }
    if (c->nnote) { /* the Notes' IDs (struct.c), in their (sorted) order */
        static const char *const drop[] = {"/IDTree", NULL};
        write_obj_begin(c, num, root.gen);
        write_dict_copy(c, root.v, drop);
        buf_puts(&c->out, "/IDTree << /Names [");
        for (size_t i = 0; i < c->nnote; i++)
            buf_printf(&c->out, "%s(note-%06zu) %zu 0 R", i ? " " : "", i + 1, c->note_obj[i]);
        buf_puts(&c->out, "] >>\n>>");
        write_obj_end(c);
    }
}

/* The metadata stream: a new version of the catalog's, else a new object;
 * returns its number. */
static size_t do_metadata(post_ctx *c, span catalog)
{
    span v;
    size_t metanum, metagen = 0;
    if (dict_get(c, catalog, "/Metadata", &v) && val_ref(c, v, &metanum, &metagen) && c->off[metanum]) {
        /* a new version of the existing metadata stream */
    } else {
        metanum = c->next++;
        metagen = 0;
    }
    if (metanum < c->size)
        metagen = c->gen[metanum];
    xmp_write(c, metanum, metagen);
    return metanum;
}

static void run(post_ctx *c)
{
    const pdfpost_info *in = c->info_in;
    pobj cat;
    span v;
    size_t rootnum, num;
    if (in->date && !xmp_date_ok(in->date))
        post_fail(c, "date is not of the form YYYY-MM-DDThh:mm:ssZ");
    if (c->n < 8 || memcmp(c->d, "%PDF-", 5) != 0)
        post_fail(c, "not a PDF (no %PDF- header)");
    xref_read(c);
    c->next = c->size;
    val_ref(c, c->root, &rootnum, NULL);
    obj_load(c, rootnum, &cat);
    if (cat.stream || !val_is_dict(cat.v))
        post_fail(c, "catalog is not a dictionary");
    /* the update starts on a line of its own */
    buf_reserve(&c->out, c->n + c->n / 2 + 65536);
    buf_add(&c->out, c->d, c->n);
    if (c->d[c->n - 1] != '\n' && c->d[c->n - 1] != '\r')
        buf_putc(&c->out, '\n');
    if (!dict_get(c, cat.v, "/Pages", &v) || !val_ref(c, v, &num, NULL))
        post_fail(c, "catalog without /Pages");
    pages_walk(c, num, 0);
    if (in->page_order)
        pages_reorder(c, num);
    if (in->link_desc && c->nlink != in->nlinks)
        post_fail(c, "fewer link annotations than link descriptions");
    do_struct_tree(c, cat.v);
    if (in->figure_alt && c->nfig != in->nfigures)
        post_fail(c, "fewer Figure structure elements than alternative texts");
    size_t metanum = do_metadata(c, cat.v);
    catalog_write(c, rootnum, &cat, metanum);
    write_xref(c);
}

static void run_content(post_ctx *c)
{
    buf_reserve(&c->out, c->n + c->n / 8 + 64);
    content_rewrite(c, c->d, c->n, &c->out);
}

/* Runs fn under the error handler; on success hands over the output. */
static int guarded(post_ctx *c, void (*fn)(post_ctx *), char **out, size_t *outlen, const char **why)
{
    if (setjmp(c->jb)) {
        if (why)
            *why = c->why;
        post_ctx_free(c);
        free(c);
        return -1;
    }
    fn(c);
    *outlen = c->out.len;
    *out = buf_detach(&c->out, NULL);
    post_ctx_free(c);
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
    post_ctx *c = xcalloc(1, sizeof *c);
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
    post_ctx *c = xcalloc(1, sizeof *c);
    c->d = in;
    c->n = len;
    c->end = in + len;
    return guarded(c, run_content, out, outlen, why);
}
