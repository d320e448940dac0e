/* table — a table to the vertical list: a GFM pipe table (table_block) or
 * a raw HTML one (table_html), read into one source (tsrc: the cells'
 * spans by row) and laid out by one function (lay_table). See lay.h.
 *
 * Column widths as a browser's automatic table layout: each column's
 * narrowest width is its longest unbreakable word, its widest the natural
 * width of its longest cell on one line. If every column fits at its
 * widest, it gets that; otherwise each gets its narrowest plus a share of
 * what is left in proportion to (widest - narrowest); if even the
 * narrowest do not fit, the widest of them are lowered to a common cap
 * (the breaker then hyphenates or breaks those long words). Cell text is set ragged right by the paragraph breaker
 * in its column's width, hyphenated in narrow columns, and placed per
 * the delimiter row's alignment. Each row is one vitem (V_ROW); its
 * cells keep their lines as plines. Page breaks fall between rows, weighed
 * as penalties like lines (none after the header or the first body row,
 * none before the last); the page builder starts a page that begins with
 * a body row below the height of the header rows, and emit draws them
 * there again (table_repeat_h, table_emit_row). */
#include <libxml/tree.h>
#include <linebreak.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "layout/lay.h"
#include "model/gfm.h"

/* Columns a table may have in the PDF; past it the table is set as its
 * cells' text one below the other (with a warning). */
#define TABLE_MAX_COLS 40

/* A word (a URL, a long compound) counts for at most this many times
 * the table text size in its column's narrowest width: longer ones are
 * broken by the breaker (at a URL's slashes, a hyphenation point, or
 * anywhere), rather than squeezing every other column. */
#define WORD_MAX_EM 8.0

/* A column narrower than this many times the table text size gets
 * hyphenation. */
#define HYPHEN_BELOW_EM 10.0

typedef struct tcol {
    double mn, mx, w;
    char align;
} tcol;

typedef struct rowsrc {
    cmark_node *row;
    spanlist *cells; /* one per column */
    int header;
} rowsrc;

/* The narrowest and widest natural width of the spans: the longest run
 * between break opportunities, and the longest line between forced breaks
 * (advances summed, without kerning). */
static void measure(lay *L, const span *sp, int n, double *mn, double *mx)
{
    double word = 0, line = 0;
    *mn = *mx = 0;
    for (int s = 0; s < n; s++) {
        const span *p = &sp[s];
        if (p->hard_break) {
            line = word = 0;
            continue;
        }
        if (p->img) {
            word += p->img_w;
            line += p->img_w;
            *mn = fmax(*mn, word);
            *mx = fmax(*mx, line);
            continue;
        }
        if (!p->text || !p->len)
            continue;
        const gb_font *f = &L->fs->f[p->st.font];
        char *brk = xmalloc(p->len);
        para_linebreaks(p->text, p->len, L->b->meta.lang, brk);
        for (size_t i = 0; i < p->len;) {
            int l;
            uint32_t cp = utf8_decode(p->text + i, p->len - i, &l);
            double a = font_has(f, cp) ? font_advance(f, p->st.size, cp) : 0.5 * p->st.size;
            line += a;
            if (cp == ' ' || cp == '\t' || cp == '\n') {
                word = 0;
            } else {
                word += a;
                *mn = fmax(*mn, word);
                if (brk[i + (size_t)l - 1] == LINEBREAK_ALLOWBREAK)
                    word = 0;
            }
            i += (size_t)l;
        }
        free(brk);
        *mx = fmax(*mx, line);
    }
}

/* The columns' widths in avail (see the top of the file). When even the
 * narrowest widths do not fit, the widest of them are lowered to a common
 * cap, found by bisection, until they do: the columns of short words keep
 * theirs, and only the long words (which can be hyphenated or broken) are
 * broken further. */
static void distribute(tcol *c, int n, double avail)
{
    double smn = 0, smx = 0, top = 0;
    for (int i = 0; i < n; i++) {
        smn += c[i].mn;
        top = fmax(top, c[i].mn);
    }
    if (smn > avail) {
        double lo = 0, hi = top;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2, sum = 0;
            for (int i = 0; i < n; i++)
                sum += fmin(c[i].mn, mid);
            if (sum > avail)
                hi = mid;
            else
                lo = mid;
        }
        smn = 0;
        for (int i = 0; i < n; i++) {
            c[i].mn = fmin(c[i].mn, lo);
            smn += c[i].mn;
        }
    }
    for (int i = 0; i < n; i++)
        smx += c[i].mx;
    for (int i = 0; i < n; i++) {
        if (smx <= avail)
            c[i].w = c[i].mx;
        else
            c[i].w = c[i].mn + fmax(0, avail - smn) * (smx > smn ? (c[i].mx - c[i].mn) / (smx - smn) : 1.0 / n);
    }
}

/* The spans of a cell (or caption) in the table's text style. */
static void cell_spans(lay *L, cmark_node *n, double size, int bold, spanlist *sl)
{
    istate is = {0};
    is.size = size;
    is.color = L->s->text;
    is.bold = bold;
    inline_spans(L, n, is, sl);
}

static double line_base(const lay *L, double line_h, double size)
{
    const gb_font *f = &L->fs->f[FONT_BODY];
    return (line_h - (f->ascender - f->descender) * size) / 2 + f->ascender * size;
}

/* Lines of sp in width w (ragged right), from the source line of n. */
static int set_text(lay *L, const spanlist *sl, double w, int hyphen, cmark_node *n, pline **out)
{
    if (sl->n == 0) {
        *out = NULL;
        return 0;
    }
    para_opts o = popts(L, w, ALIGN_LEFT, hyphen);
    o.line = cmark_node_get_start_line(n);
    return para_break(&L->pc, sl->v, sl->n, &o, out);
}

/* Lines as items of the vertical list at indent, breakable between them
 * (keep: not). */
static void add_text_lines(lay *L, double indent, const pline *lines, int nl, double line_h, double size, int keep)
{
    for (int i = 0; i < nl; i++) {
        if (i > 0)
            vpenalty(L, keep ? INF_PEN : 0)->rule = keep ? BREAK_KEEP : BREAK_NONE;
        vitem *v = vadd(L, V_LINE);
        v->ln = &lines[i];
        v->h = line_h;
        v->base = line_base(L, line_h, lines[i].size > 0 ? lines[i].size : size);
        v->x = indent;
        v->body = 1;
    }
}

/* The caption above the table, kept with it. */
static void caption(lay *L, double indent, const spanlist *sl, cmark_node *src, double width)
{
    pline *lines;
    int nl = set_text(L, sl, width, 1, src, &lines);
    if (nl > 0) {
        vtag(L, 1, "Caption");
        add_text_lines(L, indent, lines, nl, L->lh * 0.9, L->size * 0.9, 1);
        vtag(L, 0, "Caption");
        vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
        vspace(L, L->lh * 0.25);
        vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
    }
}

/* A row too tall for a page, or of a table with too many columns: its
 * cells' text one below the other in the text width, breakable between
 * lines, in TR and TH/TD elements. */
static void stacked_row(lay *L, double indent, const rowsrc *r, int ncols, double size, double line_h)
{
    vtag(L, 1, "TR");
    for (int c = 0; c < ncols; c++) {
        pline *lines;
        int nl = set_text(L, &r->cells[c], L->measure - indent, 1, r->row, &lines);
        vtag(L, 1, r->header ? "TH" : "TD");
        add_text_lines(L, indent, lines, nl, line_h, size, 0);
        vtag(L, 0, r->header ? "TH" : "TD");
        vspace(L, line_h * 0.3);
    }
    vtag(L, 0, "TR");
}

/* The laid-out row of r's cells in the columns. */
static trow *set_row(lay *L, const rowsrc *r, const tcol *col, int ncols, double size, double line_h, double pad,
                     double rule)
{
    trow *t = arena_alloc(L->a, sizeof *t);
    memset(t, 0, sizeof *t);
    t->cells = arena_alloc(L->a, (size_t)ncols * sizeof *t->cells);
    t->ncells = ncols;
    t->header = r->header;
    t->line_h = line_h;
    t->base = line_base(L, line_h, size);
    t->pad = pad;
    t->rule = r->header ? rule * 2 : rule;
    int most = 1;
    double x = 0;
    for (int c = 0; c < ncols; c++) {
        tcell *cl = &t->cells[c];
        pline *lines;
        cl->nl = set_text(L, &r->cells[c], col[c].w, col[c].w < HYPHEN_BELOW_EM * size, r->row, &lines);
        cl->lines = lines;
        cl->x = x + pad;
        cl->w = col[c].w;
        cl->align = col[c].align;
        x += col[c].w + 2 * pad;
        if (cl->nl > most)
            most = cl->nl;
    }
    t->width = x;
    t->h = 2 * pad + most * line_h + t->rule;
    return t;
}

/* A table's source, whatever its syntax: the cells' spans by row and the
 * columns' alignment and natural widths. */
typedef struct tsrc {
    rowsrc *rows;
    size_t nrows, cap;
    int ncols;
    tcol *col;
} tsrc;

static void src_init(tsrc *t, int ncols)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->col = xmalloc((size_t)ncols * sizeof *t->col);
    for (int c = 0; c < ncols; c++) {
        t->col[c].mn = t->col[c].mx = 0;
        t->col[c].align = 'l';
    }
}

/* A new row of t (its cells empty), from source node src. */
static rowsrc *src_row(tsrc *t, cmark_node *src, int header)
{
    GROW(t->rows, t->cap, t->nrows + 1);
    rowsrc *rs = &t->rows[t->nrows++];
    rs->row = src;
    rs->header = header;
    rs->cells = xmalloc((size_t)t->ncols * sizeof *rs->cells);
    memset(rs->cells, 0, (size_t)t->ncols * sizeof *rs->cells);
    return rs;
}

/* Column c's natural widths grow to those of cell sl. */
static void src_measure(lay *L, tsrc *t, int c, const spanlist *sl, double size)
{
    double mn, mx;
    measure(L, sl->v, sl->n, &mn, &mx);
    t->col[c].mn = fmax(t->col[c].mn, fmin(mn, WORD_MAX_EM * size) * 1.02 + 0.5);
    t->col[c].mx = fmax(t->col[c].mx, fmax(mx, mn) * 1.02 + 0.5);
}

static void src_free(tsrc *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (int c = 0; c < t->ncols; c++)
            free(t->rows[i].cells[c].v);
        free(t->rows[i].cells);
    }
    free(t->rows);
    free(t->col);
}

static double table_size(const lay *L)
{
    double size = style_pt(L->s->table_size, L->size);
    return size > 1 ? size : L->size;
}

/* The table of t at indent, in a Table element; its caption (spans cap,
 * from source node cap_src) above it. */
static void lay_table(lay *L, double indent, tsrc *t, const spanlist *cap, cmark_node *cap_src, cmark_node *src)
{
    int ncols = t->ncols;
    rowsrc *rows = t->rows;
    size_t nrows = t->nrows;
    tcol *col = t->col;
    double size = table_size(L);
    double pad = fmax(0, style_pt(L->s->table_pad, size));
    double rule = fmax(0, style_pt(L->s->table_rule, size));
    double line_h = size * (L->s->leading > 0 ? L->s->leading : 1.4);
    double width = L->measure - indent;
    int stacked = ncols > TABLE_MAX_COLS;
    if (stacked)
        diag_warning(L->d, L->file, cmark_node_get_start_line(src), cmark_node_get_start_column(src),
                     "a table of %d columns (more than %d): in the PDF its cells are set one below the other",
                     ncols, TABLE_MAX_COLS);
    else
        distribute(col, ncols, fmax(width - ncols * 2 * pad, ncols * 1.0));

    vspace(L, L->lh * 0.5);
    vtag(L, 1, "Table");
    if (cap && cap->n)
        caption(L, indent, cap, cap_src, width);
    size_t nhead = 0;
    while (nhead < nrows && rows[nhead].header)
        nhead++;
    const trow **head = arena_alloc(L->a, (nhead ? nhead : 1) * sizeof *head);
    double head_h = 0;
    size_t nrep = 0; /* header rows that are V_ROWs */
    size_t nbody = nrows - nhead;
    for (size_t i = 0; i < nrows; i++) {
        int in_head = i < nhead;
        if (i == 0 && in_head)
            vtag(L, 1, "THead");
        if (i == nhead) {
            if (nhead) {
                vtag(L, 0, "THead");
                vpenalty(L, INF_PEN)->rule = BREAK_KEEP; /* the header with the first row */
            }
            vtag(L, 1, "TBody");
        }
        if (!in_head && i > nhead) { /* two rows kept together at both ends */
            size_t k = i - nhead;
            int orphan = k == 1, widow = k == nbody - 1;
            vpenalty(L, orphan || widow ? INF_PEN : 0)->rule = orphan ? BREAK_ORPHAN : widow ? BREAK_WIDOW : BREAK_NONE;
        } else if (in_head && i > 0) {
            vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
        }
        trow *tr = stacked ? NULL : set_row(L, &rows[i], col, ncols, size, line_h, pad, rule);
        if (!tr || tr->h + (in_head ? 0 : head_h) > L->area_h) { /* with the header repeated above it */
            stacked_row(L, indent, &rows[i], ncols, size, line_h);
            continue;
        }
        if (in_head) {
            head[nrep++] = tr;
            head_h += tr->h;
        } else {
            tr->head = head;
            tr->nhead = (int)nrep;
            tr->head_h = head_h;
        }
        vitem *v = vadd(L, V_ROW);
        v->row = tr;
        v->h = tr->h;
        v->x = indent;
        v->body = 1;
    }
    if (nhead == nrows && nhead)
        vtag(L, 0, "THead");
    else if (nrows)
        vtag(L, 0, "TBody");
    vtag(L, 0, "Table");
    vspace(L, L->lh * 0.5);
}

/* The caption's spans: the paragraph's, without the prefix. */
static void caption_spans(lay *L, cmark_node *para, spanlist *sl)
{
    istate is = {0};
    is.size = L->size * 0.9;
    is.color = L->s->muted;
    is.italic = 1;
    inline_spans(L, para, is, sl);
    int k = 0;
    for (int i = 0; i < sl->n; i++)
        if (!(sl->v[i].src && gfm_caption_prefix(sl->v[i].src)))
            sl->v[k++] = sl->v[i];
    sl->n = k;
}

void table_block(lay *L, double indent, cmark_node *n)
{
    int ncols = gfm_table_columns(n);
    if (ncols < 1)
        return;
    double size = table_size(L);
    tsrc t;
    src_init(&t, ncols);
    for (int c = 0; c < ncols; c++)
        if (gfm_table_align(n, c))
            t.col[c].align = gfm_table_align(n, c);
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r)) {
        if (gfm_kind_of(r) != GFM_TABLE_ROW)
            continue;
        rowsrc *rs = src_row(&t, r, gfm_row_is_header(r));
        int c = 0;
        for (cmark_node *cell = cmark_node_first_child(r); cell && c < ncols; cell = cmark_node_next(cell), c++) {
            cell_spans(L, cell, size, rs->header, &rs->cells[c]);
            src_measure(L, &t, c, &rs->cells[c], size);
        }
    }
    spanlist cap = {0};
    cmark_node *cap_para = gfm_table_caption(n);
    if (cap_para)
        caption_spans(L, cap_para, &cap);
    lay_table(L, indent, &t, &cap, cap_para, n);
    free(cap.v);
    src_free(&t);
}

/* ---- raw HTML tables ---- */

static int el_named(xmlNodePtr e, const char *name)
{
    return e && e->type == XML_ELEMENT_NODE && !strcmp((const char *)e->name, name);
}

/* The text below e, whitespace runs as one space, into b (an iterative
 * walk, at most TABLE_HTML_NODES nodes). */
#define TABLE_HTML_NODES 1000000
static void html_cell_text(xmlNodePtr e, buf *b)
{
    xmlNodePtr cur = e->children;
    int guard = 0;
    while (cur && guard++ < TABLE_HTML_NODES) {
        if (cur->type == XML_TEXT_NODE && cur->content) {
            for (const char *p = (const char *)cur->content; *p; p++) {
                int ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
                if (!ws)
                    buf_putc(b, *p);
                else if (b->len && b->data[b->len - 1] != ' ')
                    buf_putc(b, ' ');
            }
        }
        if (cur->children && cur->type == XML_ELEMENT_NODE) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != e && !cur->next)
            cur = cur->parent;
        if (!cur || cur == e)
            break;
        cur = cur->next;
    }
    while (b->len && b->data[b->len - 1] == ' ')
        b->len--;
}

/* Spans of one text, or none when it is empty. */
static void text_spans(lay *L, buf *b, int font, double size, rgb color, spanlist *sl)
{
    if (!b->len)
        return;
    const char *t = arena_strndup(L->a, b->data, b->len);
    GROW(sl->v, sl->cap, (size_t)sl->n + 1);
    sl->v[sl->n++] = text_span(t, b->len, font, size, color);
}

/* Calls f on each row (tr) of table el: its own and those of its thead,
 * tbody and tfoot (header: in thead). */
#define TABLE_HTML_ROWS 100000
typedef void (*row_fn)(void *ctx, xmlNodePtr tr, int in_head);
static void html_rows(xmlNodePtr el, row_fn f, void *ctx)
{
    int n = 0;
    for (xmlNodePtr c = el->children; c && n < TABLE_HTML_ROWS; c = c->next) {
        if (el_named(c, "tr")) {
            f(ctx, c, 0), n++;
        } else if (el_named(c, "thead") || el_named(c, "tbody") || el_named(c, "tfoot")) {
            for (xmlNodePtr r = c->children; r && n < TABLE_HTML_ROWS; r = r->next)
                if (el_named(r, "tr"))
                    f(ctx, r, el_named(c, "thead")), n++;
        }
    }
}

static int html_is_cell(xmlNodePtr e)
{
    return el_named(e, "td") || el_named(e, "th");
}

typedef struct hctx {
    lay *L;
    tsrc *t;
    int ncols;
    double size;
    cmark_node *src;
} hctx;

static void count_cols(void *ctx, xmlNodePtr tr, int in_head)
{
    (void)in_head;
    hctx *h = ctx;
    int n = 0;
    for (xmlNodePtr c = tr->children; c; c = c->next)
        n += html_is_cell(c);
    if (n > h->ncols)
        h->ncols = n;
}

static void add_row(void *ctx, xmlNodePtr tr, int in_head)
{
    hctx *h = ctx;
    int all_th = 1, any = 0;
    for (xmlNodePtr c = tr->children; c; c = c->next)
        if (html_is_cell(c)) {
            any = 1;
            all_th &= el_named(c, "th");
        }
    int header = in_head || (any && all_th);
    /* header rows come first in the layout: a th row after body rows is a body row */
    if (header && h->t->nrows && !h->t->rows[h->t->nrows - 1].header)
        header = 0;
    rowsrc *rs = src_row(h->t, h->src, header);
    int col = 0;
    for (xmlNodePtr c = tr->children; c && col < h->ncols; c = c->next) {
        if (!html_is_cell(c))
            continue;
        buf b = {0};
        html_cell_text(c, &b);
        text_spans(h->L, &b, header || el_named(c, "th") ? FONT_BODY_BOLD : FONT_BODY, h->size, h->L->s->text,
                   &rs->cells[col]);
        buf_free(&b);
        src_measure(h->L, h->t, col, &rs->cells[col], h->size);
        col++;
    }
}

int table_html(lay *L, double indent, xmlNodePtr el, cmark_node *src)
{
    if (!el_named(el, "table"))
        return 0;
    hctx h = {.L = L, .size = table_size(L), .src = src};
    html_rows(el, count_cols, &h);
    if (h.ncols < 1)
        return 0;
    tsrc t;
    src_init(&t, h.ncols);
    h.t = &t;
    html_rows(el, add_row, &h);
    spanlist cap = {0};
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (el_named(c, "caption")) {
            buf b = {0};
            html_cell_text(c, &b);
            text_spans(L, &b, FONT_BODY_ITALIC, L->size * 0.9, L->s->muted, &cap);
            buf_free(&b);
            break;
        }
    lay_table(L, indent, &t, &cap, src, src);
    free(cap.v);
    src_free(&t);
    return 1;
}

const pline *table_row_line(const trow *r)
{
    for (int c = 0; r && c < r->ncells; c++)
        if (r->cells[c].nl > 0)
            return &r->cells[c].lines[0];
    return NULL;
}

double table_repeat_h(const lay *L, size_t i)
{
    if (i >= L->n || L->v[i].k != V_ROW || !L->v[i].row)
        return 0;
    const trow *r = L->v[i].row;
    return r->header || !r->nhead ? 0 : r->head_h;
}

void table_emit_row(lay *L, page *pg, const trow *r, double x, double y, int artifact)
{
    size_t first = pg->n;
    const char *cell_tag = r->header ? "TH" : "TD";
    if (!artifact)
        ptag(pg, 1, "TR", NULL);
    for (int c = 0; c < r->ncells; c++) {
        const tcell *cl = &r->cells[c];
        if (!artifact)
            ptag(pg, 1, cell_tag, NULL);
        for (int i = 0; i < cl->nl; i++) {
            const pline *ln = &cl->lines[i];
            double room = cl->w - ln->width;
            double off = room <= 0 ? 0 : cl->align == 'r' ? room : cl->align == 'c' ? room / 2 : 0;
            emit_line(L, pg, ln, x + cl->x + off, y + r->pad + i * r->line_h + r->base);
        }
        if (!artifact)
            ptag(pg, 0, cell_tag, NULL);
    }
    if (!artifact)
        ptag(pg, 0, "TR", NULL);
    if (r->rule > 0)
        page_add(pg, &(pitem){.kind = PI_RULE, .x = x, .y = y + r->h - r->rule, .w = r->width, .h = r->rule,
                              .color = L->s->rule, .artifact = 1});
    if (artifact) { /* decoration: no links either */
        size_t keep = first;
        for (size_t k = first; k < pg->n; k++)
            if (pg->items[k].kind != PI_LINK) {
                pg->items[keep] = pg->items[k];
                pg->items[keep++].artifact = 1;
            }
        pg->n = keep;
    }
    pg->has_body_text = 1;
}
