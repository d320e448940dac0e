/* xref — see xref.h.
 *
 * Object streams: every one that holds an object in use is inflated once,
 * and the decoded data are appended to a copy of the input (post_ctx.all),
 * so that every span lies in one buffer and the lexer keeps one end; while
 * an object of an object stream is parsed, the end is that stream's data.
 * The alternative, a lexer bound per span, would touch every function that
 * reads a value. */
#include "post/xref.h"

#include <stdint.h>
#include <string.h>

#include "post/filter.h"
#include "post/obj.h"
#include "post/val.h"
#include "post/write.h"

/* The type of an xref entry (the first field of an xref stream row). */
typedef enum xent_type { XE_FREE = 0, XE_INUSE = 1, XE_COMPRESSED = 2 } xent_type;

/* One entry of an xref section: free; in use at offset `off` with
 * generation `gen`; compressed in object stream `off` at index `gen`. */
typedef struct xent {
    size_t num, off, gen;
    xent_type type;
} xent;

static const char *find_startxref(const char *d, size_t n)
{
    size_t lo = n > 1024 ? n - 1024 : 0;
    for (size_t i = n >= 9 ? n - 9 + 1 : 0; i-- > lo;)
        if (memcmp(d + i, "startxref", 9) == 0)
            return d + i + 9;
    return NULL;
}

static void add_ent(post_ctx *c, size_t *ne, size_t num, size_t off, size_t gen, xent_type type)
{
    GROW(c->ents, c->capents, *ne + 1);
    c->ents[*ne] = (xent){num, off, gen, type};
    (*ne)++;
}

/* Reads the entries of the classic xref table at p (after "xref") into
 * c->ents; p is left after "trailer". Returns their count. */
static size_t read_xref_table(post_ctx *c, const char **p)
{
    tok t;
    size_t ne = 0;
    for (;;) {
        size_t start, count;
        obj_next(c, p, &t);
        if (t.k == TOK_KW && tok_is(&t, "trailer"))
            return ne;
        if (tok_uint(&t, MAX_OBJECTS + 1, &start) < 0)
            post_fail(c, "bad xref subsection");
        obj_next(c, p, &t);
        if (tok_uint(&t, MAX_OBJECTS + 1, &count) < 0 || start + count > MAX_OBJECTS + 1)
            post_fail(c, "bad xref subsection");
        for (size_t i = 0; i < count; i++) {
            tok a, b, k;
            size_t off, gen;
            obj_next(c, p, &a);
            obj_next(c, p, &b);
            obj_next(c, p, &k);
            if (tok_uint(&a, c->n, &off) < 0 || tok_uint(&b, MAX_GEN, &gen) < 0 || k.k != TOK_KW ||
                (!tok_is(&k, "n") && !tok_is(&k, "f")))
                post_fail(c, "bad xref entry");
            add_ent(c, &ne, start + i, off, gen, tok_is(&k, "n") ? XE_INUSE : XE_FREE);
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

/* The /W of an xref stream dictionary: three field widths of at most 8
 * bytes, not all 0; returns the row length. */
static size_t xref_widths(post_ctx *c, span dict, size_t w[3])
{
    span v, x;
    dictit it;
    size_t nw = 0, rowlen;
    if (!dict_get(c, dict, "/W", &v) || !val_is_array(v))
        post_fail(c, "xref stream without /W");
    array_begin(c, v, &it);
    while (array_next(c, &it, &x))
        if (nw == 3 || val_uint(x, 9, &w[nw++]) < 0)
            post_fail(c, "xref stream /W is not three widths of at most 8 bytes");
    if (nw != 3 || !(rowlen = w[0] + w[1] + w[2]))
        post_fail(c, "xref stream /W is not three widths of at most 8 bytes");
    return rowlen;
}

/* Adds the `count` entries from `start` in the rows of c->raw from *rows on. */
static void xref_rows(post_ctx *c, size_t *ne, const size_t w[3], size_t start, size_t count, size_t *rows)
{
    size_t rowlen = w[0] + w[1] + w[2];
    const unsigned char *d = (const unsigned char *)(c->raw.data ? c->raw.data : "");
    if (count > (c->raw.len / rowlen) - *rows)
        post_fail(c, "xref stream data shorter than its /Index says");
    for (size_t i = 0; i < count; i++, (*rows)++) {
        const unsigned char *r = d + *rows * rowlen;
        uint64_t type = field(r, w[0], XE_INUSE), f2 = field(r + w[0], w[1], 0),
                 f3 = field(r + w[0] + w[1], w[2], 0);
        if (type == XE_INUSE && (f2 >= c->n || f3 >= MAX_GEN))
            post_fail(c, "bad xref stream entry");
        if (type == XE_COMPRESSED && (f2 > MAX_OBJECTS || f3 > MAX_OBJECTS))
            post_fail(c, "bad xref stream entry");
        /* other types are references to the null object: free */
        add_ent(c, ne, start + i, (size_t)f2, (size_t)f3,
                type == XE_INUSE || type == XE_COMPRESSED ? (xent_type)type : XE_FREE);
    }
}

/* Reads the xref stream (ISO 32000-1 §7.5.8) whose object starts at offset
 * `at` into c->ents and its dictionary, which is also the trailer, into
 * *dict. Returns the number of entries. */
static size_t read_xref_stream(post_ctx *c, size_t at, span *dict)
{
    size_t num, gen, w[3], size, ne = 0, rows = 0;
    const char *p = obj_header_at(c, at, MAX_OBJECTS + 1, &num, &gen);
    pobj o = {0};
    span v, x;
    dictit it;
    if (!p)
        post_fail(c, "startxref or /Prev points at neither an xref table nor an xref stream");
    o.num = num;
    o.gen = gen;
    obj_body(c, p, &o, LENGTH_DIRECT);
    if (!o.stream || !dict_get(c, o.v, "/Type", &v) || !val_name(v, "/XRef"))
        post_fail(c, "startxref or /Prev points at neither an xref table nor an xref stream");
    *dict = o.v;
    if (!dict_get(c, o.v, "/Size", &v) || val_uint(v, MAX_OBJECTS + 1, &size) < 0)
        post_fail(c, "xref stream without a valid /Size");
    xref_widths(c, o.v, w);
    c->raw.len = 0;
    filter_decode(c, &o, &c->raw, STREAM_XREF);
    if (!dict_get(c, o.v, "/Index", &v)) {
        xref_rows(c, &ne, w, 0, size, &rows);
        return ne;
    }
    if (!val_is_array(v))
        post_fail(c, "xref stream /Index is not an array");
    array_begin(c, v, &it);
    while (array_next(c, &it, &x)) {
        size_t start, count;
        if (val_uint(x, MAX_OBJECTS + 1, &start) < 0 || !array_next(c, &it, &x) ||
            val_uint(x, MAX_OBJECTS + 1, &count) < 0 || start + count > MAX_OBJECTS + 1)
            post_fail(c, "xref stream /Index is not pairs of object numbers and counts");
        xref_rows(c, &ne, w, start, count, &rows);
    }
    return ne;
}

/* The newest trailer sets /Size and with it the object arrays. */
static void set_size(post_ctx *c, span trailer)
{
    span sv;
    if (!dict_get(c, trailer, "/Size", &sv) || val_uint(sv, MAX_OBJECTS + 1, &c->size) < 0 || c->size < 1 ||
        c->size > c->n)
        post_fail(c, "trailer /Size missing or out of range");
    c->off = xcalloc(c->size, sizeof *c->off);
    c->gen = xcalloc(c->size, sizeof *c->gen);
    c->stm = xcalloc(c->size, sizeof *c->stm);
    c->lim = xcalloc(c->size, sizeof *c->lim);
    c->flag = xcalloc(c->size, 1);
}

/* Records the ne entries in c->ents where no newer section did. */
static void apply_ents(post_ctx *c, size_t ne)
{
    for (size_t i = 0; i < ne; i++) {
        xent *x = &c->ents[i];
        if (x->num >= c->size)
            post_fail(c, "xref entry beyond trailer /Size");
        if (c->flag[x->num] & F_DONE) /* already set by a newer section */
            continue;
        c->flag[x->num] |= F_DONE;
        if (!x->num)
            continue;
        if (x->type == XE_INUSE) {
            if (x->off == 0)
                post_fail(c, "bad xref entry");
            c->off[x->num] = x->off;
            c->gen[x->num] = x->gen;
        } else if (x->type == XE_COMPRESSED) {
            c->stm[x->num] = x->off + 1;
            c->lim[x->num] = x->gen; /* the index, until the stream is read */
        }
    }
}

/* Reads the xref section at offset `at` (a table, with the entries of a
 * hybrid file's /XRefStm, or a stream; entries of newer sections win), its
 * trailer into *trailer. */
static void read_xref(post_ctx *c, size_t at, span *trailer)
{
    const char *p = c->d + at;
    tok t;
    size_t ne;
    int stream;
    obj_next(c, &p, &t);
    stream = !(t.k == TOK_KW && tok_is(&t, "xref"));
    if (stream) {
        ne = read_xref_stream(c, at, trailer);
    } else {
        ne = read_xref_table(c, &p);
        obj_skip_value(c, &p, 0, trailer);
        if (!val_is_dict(*trailer))
            post_fail(c, "trailer is not a dictionary");
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
            post_fail(c, "bad trailer /XRefStm");
        apply_ents(c, read_xref_stream(c, sat, &dummy));
    }
}

/* Reads object stream s (holding an object in use), appends its decoded
 * data to c->all and points the xref of its objects there. *total: the
 * decoded bytes of all object streams so far. */
static void read_object_stream(post_ctx *c, size_t s, size_t *total)
{
    size_t nobj, first;
    buf *all = &c->all;
    if (s < c->size && (c->flag[s] & F_OBJSTM))
        post_fail(c, "object stream does not hold the object its xref entry says");
    if (s >= c->size || !c->off[s] || c->stm[s])
        post_fail(c, "compressed object in a missing object stream");
    c->flag[s] |= F_OBJSTM;
    pobj o;
    span v;
    obj_load(c, s, &o);
    if (!o.stream || !dict_get(c, o.v, "/Type", &v) || !val_name(v, "/ObjStm"))
        post_fail(c, "compressed object in something that is not an object stream");
    if (!dict_get(c, o.v, "/N", &v) || val_uint(v, MAX_OBJECTS + 1, &nobj) < 0)
        post_fail(c, "object stream without a valid /N");
    if (!dict_get(c, o.v, "/First", &v) || val_uint(v, MAX_STREAM, &first) < 0)
        post_fail(c, "object stream without a valid /First");
    if (dict_get(c, o.v, "/Extends", &v))
        post_fail(c, "object streams with /Extends are not supported");
    c->raw.len = 0;
    filter_decode(c, &o, &c->raw, STREAM_XREF);
    if (first > c->raw.len)
        post_fail(c, "object stream /First beyond its data");
    *total += c->raw.len;
    if (*total > MAX_STREAM)
        post_fail(c, "object streams too large");
    size_t base = all->len;
    buf_add(all, c->raw.data ? c->raw.data : "", c->raw.len);
    const char *h = c->raw.data ? c->raw.data : "", *he = h + first;
    for (size_t k = 0; k < nobj; k++) {
        tok a, b;
        size_t objnum, off;
        if (lex_token(&h, he, &a) < 0 || lex_token(&h, he, &b) < 0 ||
            tok_uint(&a, MAX_OBJECTS + 1, &objnum) < 0 || tok_uint(&b, c->raw.len - first, &off) < 0)
            post_fail(c, "object stream header is not /N pairs of numbers and offsets");
        if (objnum < c->size && c->stm[objnum] == s + 1 && c->lim[objnum] == k && !c->off[objnum]) {
            c->off[objnum] = base + first + off;
            c->lim[objnum] = base + c->raw.len;
        }
    }
}

/* Reads every object stream that holds an object in use and points the
 * xref of those objects into their decoded data, which is appended to a
 * copy of the input (so every span stays in one buffer). */
static void read_object_streams(post_ctx *c)
{
    size_t total = 0, i;
    for (i = 1; i < c->size && !c->stm[i]; i++)
        ;
    if (i == c->size)
        return;
    buf_reserve(&c->all, c->n + 1);
    buf_add(&c->all, c->d, c->n);
    for (i = 1; i < c->size; i++)
        if (c->stm[i] && !c->off[i]) /* compressed, and its stream not read yet */
            read_object_stream(c, c->stm[i] - 1, &total);
    for (i = 1; i < c->size; i++)
        if (c->stm[i] && !c->off[i])
            post_fail(c, "object stream does not hold the object its xref entry says");
    /* the spans taken from the trailer move with the input */
    const char *old = c->d;
    span *sp[] = {&c->root, &c->info, &c->id};
    c->d = c->all.data;
    c->end = c->all.data + c->all.len;
    for (size_t k = 0; k < sizeof sp / sizeof sp[0]; k++)
        if (sp[k]->s) {
            sp[k]->s = c->d + (sp[k]->s - old);
            sp[k]->e = c->d + (sp[k]->e - old);
        }
}

/* Takes /Root, /Info and the first /ID string of the newest trailer tr. */
static void read_trailer(post_ctx *c, span tr)
{
    span v;
    size_t rootnum;
    if (!dict_get(c, tr, "/Root", &c->root) || !val_ref(c, c->root, &rootnum, NULL))
        post_fail(c, "trailer without /Root");
    if (dict_get(c, tr, "/Encrypt", &v))
        post_fail(c, "encrypted PDFs are not supported");
    if (!dict_get(c, tr, "/Info", &c->info))
        c->info.s = c->info.e = NULL;
    if (dict_get(c, tr, "/ID", &v) && val_is_array(v)) {
        dictit it;
        span first;
        tok ft;
        array_begin(c, v, &it);
        if (array_next(c, &it, &first)) {
            tok_kind k = val_first_tok(first, &ft);
            if (k == TOK_HEX || k == TOK_STR)
                c->id = first;
        }
    }
}

/* Every object in use must be where the xref says; except that an entry
 * pointing at another object that has that offset as its own entry is an
 * object never written, left out (cairo 1.18.4 reserves an object for each
 * Artifact tag and lists it with a stale offset): a reference to it is
 * then an error. */
static void check_offsets(post_ctx *c)
{
    for (size_t i = 1; i < c->size; i++)
        if (c->off[i]) {
            size_t g, x;
            if (obj_header_at(c, c->off[i], c->size, &x, &g) && x != i && c->off[x] == c->off[i]) {
                c->off[i] = 0; /* and the update lists it as free */
                write_free_obj(c, i, c->gen[i] < MAX_GEN - 1 ? c->gen[i] + 1 : MAX_GEN - 1);
                continue;
            }
            obj_header(c, i, &g);
            if (g != c->gen[i])
                post_fail(c, "xref generation does not match its object");
        }
}

void xref_read(post_ctx *c)
{
    const char *p = find_startxref(c->d, c->n);
    tok t;
    size_t at, seen[MAX_SECTIONS], nseen = 0;
    if (!p)
        post_fail(c, "no startxref: not a PDF or truncated");
    if (lex_token(&p, c->end, &t) < 0 || tok_uint(&t, c->n, &at) < 0)
        post_fail(c, "bad startxref");
    c->lastxref = at;
    for (;;) {
        span tr, v;
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == at)
                post_fail(c, "xref /Prev loop");
        if (nseen == MAX_SECTIONS)
            post_fail(c, "too many xref sections");
        seen[nseen++] = at;
        read_xref(c, at, &tr);
        if (nseen == 1)
            read_trailer(c, tr);
        if (!dict_get(c, tr, "/Prev", &v))
            break;
        if (val_uint(v, c->n, &at) < 0)
            post_fail(c, "bad trailer /Prev");
    }
    memset(c->flag, 0, c->size);
    check_offsets(c);
    read_object_streams(c);
    memset(c->flag, 0, c->size);
}
