/* blocks — a chapter's tree to the vertical list: a walk in which
 * containers (block quotes, lists, items) push an indent and bars, and
 * leaves (paragraphs, headings, code, HTML blocks, figures, rules) add
 * lines, spaces, penalties and structure tags. Widow, orphan and
 * keep-with-next rules are penalties here, as in TeX; the page builder
 * (pages.c) only weighs them. See lay.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "layout/lay.h"
#include "model/gfm.h"
#include "model/sanitize.h"
#include "model/task.h"

/* Penalties of page breaks, besides INF_PEN (no break) and 0 (a good one). */
#define PEN_HYPHEN_AT_FOOT 3000.0    /* a page should not end with a hyphen */
#define PEN_CODE_LINE 50.0           /* between two lines of code */
#define PEN_CODE_WRAP (INF_PEN / 2)  /* inside a wrapped line of code */

vitem *vadd(lay *L, vkind k)
{
    GROW(L->v, L->cap, L->n + 1);
    vitem *v = &L->v[L->n++];
    memset(v, 0, sizeof *v);
    v->k = k;
    v->chapter = L->chapter;
    return v;
}

void vspace(lay *L, double h)
{
    if (h <= 0)
        return;
    vitem *v = vadd(L, V_SPACE);
    v->h = h;
}

vitem *vpenalty(lay *L, double p)
{
    vitem *v = vadd(L, V_PENALTY);
    v->penalty = p;
    return v;
}

/* Structure tags travel in the vertical list as items of no height that
 * page breaking looks through: an opening tag (and a list marker) sticks
 * to what follows it, a closing tag to what precedes it. */
void vtag(lay *L, int open, const char *tag)
{
    vitem *v = vadd(L, open ? V_TAG_OPEN : V_TAG_CLOSE);
    v->tag = tag;
}

typedef struct ctx {      /* container context while walking */
    double indent;        /* left indent of the text */
    double bars[MAX_BARS];
    int nbars;
    int list_ordered, list_tight, list_counter, list_delim;
    int is_list;
    int prev_para;        /* the previous block here was a paragraph */
} ctx;

/* The indent of a list item or block quote inside one at `indent`: never
 * negative, and never leaving less than a quarter of the text width (or
 * 6 em) for the text, so that no indent or nesting depth can make text
 * vanish or leave the page; the first time a chapter reaches that floor it
 * says so at the node. */
static double nest_indent(lay *L, double indent, double step, cmark_node *n, int *warned)
{
    double min_w = fmin(L->measure * 0.25, 6 * L->size);
    double max_indent = L->measure - min_w;
    double v = indent + step;
    if (v < 0)
        v = 0;
    if (v > max_indent) {
        v = max_indent > indent ? max_indent : indent;
        if (!*warned) {
            *warned = 1;
            diag_warning(L->d, L->file, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
                         "lists and quotes nested here would leave the text less than %.0f pt; in the PDF "
                         "they are indented no further",
                         min_w);
        }
    }
    return v;
}

para_opts popts(lay *L, double measure, align_mode al, int hyphen)
{
    para_opts o;
    memset(&o, 0, sizeof o);
    o.measure = measure;
    o.align = al;
    o.hyphenate = hyphen;
    o.lang = L->b->meta.lang;
    o.file = L->file;
    return o;
}

int break_span(lay *L, const span *sp, double measure, align_mode al, int line, pline **out)
{
    para_opts o = popts(L, measure, al, 0);
    o.line = line;
    return para_break(&L->pc, sp, 1, &o, out);
}

/* Adds lines to the vertical list with widow/orphan penalties. */
static void add_lines(lay *L, const ctx *c, const pline *lines, int n, double line_h, int keep_all, const char *dest,
                      vheading heading)
{
    for (int i = 0; i < n; i++) {
        if (i > 0) {
            double pen = 0;
            break_reason rule = BREAK_NONE;
            if (keep_all || i == 1 || i == n - 1) {
                pen = INF_PEN; /* orphan (2 lines first) and widow (2 lines last) */
                rule = keep_all ? BREAK_KEEP : i == 1 ? BREAK_ORPHAN : BREAK_WIDOW;
            }
            if (lines[i - 1].hyphenated && pen < INF_PEN) {
                pen += PEN_HYPHEN_AT_FOOT;
                rule = BREAK_HYPHEN;
            }
            vpenalty(L, pen)->rule = rule;
        }
        vitem *v = vadd(L, V_LINE);
        v->ln = &lines[i];
        v->h = line_h;
        double size = lines[i].size > 0 ? lines[i].size : L->size;
        const gb_font *f = &L->fs->f[FONT_BODY];
        v->base = (line_h - (f->ascender - f->descender) * size) / 2 + f->ascender * size;
        v->x = c->indent;
        memcpy(v->bars, c->bars, sizeof v->bars);
        v->nbars = c->nbars;
        v->body = 1;
        v->heading = heading;
        if (i == 0)
            v->dest = dest;
    }
}

static void paragraph(lay *L, ctx *c, cmark_node *n, double indent_first)
{
    spanlist sl = {0};
    istate is = {0};
    is.size = L->size;
    is.color = L->s->text;
    inline_spans(L, n, is, &sl);
    if (sl.n == 0) {
        free(sl.v);
        return;
    }
    para_opts o = popts(L, L->measure - c->indent, ALIGN_JUSTIFY, 1);
    o.first_indent = indent_first;
    o.line = cmark_node_get_start_line(n);
    pline *lines;
    int nl = para_break(&L->pc, sl.v, sl.n, &o, &lines);
    vtag(L, 1, "P");
    add_lines(L, c, lines, nl, L->lh, 0, NULL, VH_NONE);
    vtag(L, 0, "P");
    free(sl.v);
}

static double heading_size(lay *L, int level)
{
    int i = level < 1 ? 0 : level > 4 ? 3 : level - 1;
    return style_pt(L->s->h_size[i], L->size);
}

/* The chapter's label (ch->label), large, above its title n; links to the
 * chapter (id) land on it. Returns 1 when it was set. */
static int chapter_label(lay *L, const ctx *c, cmark_node *n, const char *label, double size, const char *id)
{
    span lsp = text_span(label, strlen(label), FONT_HEADING_REGULAR, size * 1.6, L->accent);
    pline *lab;
    if (break_span(L, &lsp, L->measure, ALIGN_LEFT, 0, &lab) <= 0)
        return 0;
    lab[0].src = n; /* a page starting here starts at the heading */
    lab[0].src_off = 0;
    vitem *v = vadd(L, V_LINE);
    v->ln = lab;
    v->h = lsp.st.size * 1.1;
    v->base = lsp.st.size * 0.85;
    v->x = c->indent;
    v->heading = VH_LINE;
    v->body = 1;
    v->dest = id;
    vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
    return 1;
}

static void heading(lay *L, ctx *c, cmark_node *n, const chapter *ch)
{
    int level = cmark_node_get_heading_level(n);
    const anno *a = node_anno(n);
    double size = heading_size(L, level);
    int is_title = n == ch->title_node;
    static const char *const htags[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
    const char *htag = htags[level < 1 ? 0 : level > 6 ? 5 : level - 1];
    if (!is_title && L->n && L->v[L->n - 1].k != V_NEWPAGE) {
        vpenalty(L, 0); /* a good place for a page break: before a heading */
        L->v[L->n - 1].heading = VH_BREAK;
        vspace(L, style_pt(L->s->h_before, L->size));
    }
    vtag(L, 1, htag);
    int label_has_dest = is_title && ch->label && *ch->label && chapter_label(L, c, n, ch->label, size, a ? a->id : NULL);
    spanlist sl = {0};
    istate is = {.size = size, .color = L->accent, .heading = 1, .italic = level >= 5};
    inline_spans(L, n, is, &sl);
    const char *dest = a && !label_has_dest ? a->id : NULL;
    if (sl.n) {
        para_opts o = popts(L, L->measure - c->indent, ALIGN_LEFT, 0);
        o.line = cmark_node_get_start_line(n);
        pline *lines;
        int nl = para_break(&L->pc, sl.v, sl.n, &o, &lines);
        add_lines(L, c, lines, nl, size * 1.25, 1, dest, VH_LINE);
    } else if (dest) {
        vitem *v = vadd(L, V_SPACE);
        v->dest = dest;
    }
    free(sl.v);
    vtag(L, 0, htag);
    /* keep the heading with at least two lines of what follows */
    vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
    vspace(L, is_title ? L->lh * 1.5 : style_pt(L->s->h_after, L->size));
    vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
}

/* A line of a code block in context cc, lh high: tinted, with the bars. */
static vitem *code_vline(lay *L, const ctx *cc, double lh)
{
    vitem *v = vadd(L, V_LINE);
    v->h = lh;
    v->x = cc->indent;
    memcpy(v->bars, cc->bars, sizeof v->bars);
    v->nbars = cc->nbars;
    v->code = 1;
    return v;
}

/* Source line line_no of total of code block n (lit[i, j)): set in the
 * measure, its wrapped lines marked as continuations. Code's widows and
 * orphans: two lines kept together at both ends of the block. */
static void code_line(lay *L, const ctx *cc, cmark_node *n, const char *lit, size_t i, size_t j, int line_no,
                      int total, double size)
{
    double lh = size * 1.35;
    pline *lines = NULL;
    int nl = 0;
    if (j > i) {
        span sp = text_span(lit + i, j - i, FONT_MONO, size, L->s->text);
        sp.st.code = 1;
        sp.src = n;
        sp.src_off = i;
        para_opts o = popts(L, L->measure - cc->indent, ALIGN_LEFT, 0);
        o.code = 1;
        o.line = cmark_node_get_start_line(n) + line_no;
        nl = para_break(&L->pc, &sp, 1, &o, &lines);
    }
    if (line_no > 0)
        vpenalty(L, line_no == 1 || line_no == total - 1 ? INF_PEN : PEN_CODE_LINE)->rule =
            line_no == 1 ? BREAK_ORPHAN : line_no == total - 1 ? BREAK_WIDOW : BREAK_NONE;
    if (nl == 0)
        code_vline(L, cc, lh);
    for (int q = 0; q < nl; q++) {
        if (q > 0)
            vpenalty(L, PEN_CODE_WRAP);
        vitem *v = code_vline(L, cc, lh);
        v->ln = &lines[q];
        v->base = lh * 0.78;
        v->cont = q > 0;
        v->body = 1;
    }
}

static void code_block(lay *L, ctx *c, cmark_node *n)
{
    const char *lit = cmark_node_get_literal(n);
    if (!lit)
        return;
    size_t len = strlen(lit);
    if (len && lit[len - 1] == '\n')
        len--;
    double size = style_pt(L->s->code_size, L->size);
    ctx cc = *c;
    cc.indent = c->indent + size * 1.2;
    if (cc.nbars < MAX_BARS)
        cc.bars[cc.nbars++] = c->indent;
    vspace(L, L->lh * 0.4);
    vtag(L, 1, "Code");
    int total_lines = 0;
    for (size_t k = 0; k <= len; k++)
        if (k == len || lit[k] == '\n')
            total_lines++;
    int line_no = 0;
    for (size_t i = 0; i <= len; line_no++) {
        size_t j = i;
        while (j < len && lit[j] != '\n')
            j++;
        code_line(L, &cc, n, lit, i, j, line_no, total_lines, size);
        i = j + 1;
    }
    vtag(L, 0, "Code");
    vspace(L, L->lh * 0.4);
}

/* Nodes of an HTML block walked at most: the walk stays bounded whatever
 * the tree. */
#define HTML_MAX_NODES 1000000

/* An element of an HTML block whose text becomes a paragraph of its own. */
static int html_block_element(xmlNodePtr e)
{
    static const char *const names[] = {"p", "li", "div", "tr", "pre", "dt", "dd", "blockquote"};
    if (e->type != XML_ELEMENT_NODE)
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp((const char *)e->name, names[i]))
            return 1;
    return 0;
}

static int html_cell(xmlNodePtr e)
{
    return e->type == XML_ELEMENT_NODE && (!strcmp((const char *)e->name, "td") || !strcmp((const char *)e->name, "th"));
}

/* The text of the HTML tree below root into text: a line for each block
 * element, table cells two spaces apart (an iterative walk). */
static void html_text(xmlNodePtr root, buf *text)
{
    xmlNodePtr cur = root->children;
    int guard = 0;
    while (cur && guard++ < HTML_MAX_NODES) {
        if (cur->type == XML_TEXT_NODE && cur->content)
            buf_puts(text, (const char *)cur->content);
        if (html_cell(cur))
            buf_puts(text, "  ");
        if (html_block_element(cur) && text->len)
            buf_putc(text, '\n');
        if (cur->children && cur->type == XML_ELEMENT_NODE) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != root && !cur->next) {
            cur = cur->parent;
            if (cur && cur->type == XML_ELEMENT_NODE && text->len && text->data[text->len - 1] != '\n')
                buf_putc(text, '\n');
        }
        if (!cur || cur == root)
            break;
        cur = cur->next;
    }
}

/* Each line of t that is not blank: a paragraph (an HTML block's text). */
static void html_paragraphs(lay *L, ctx *c, cmark_node *n, const char *t)
{
    size_t i = 0, len = strlen(t);
    while (i < len) {
        size_t j = i;
        while (j < len && t[j] != '\n')
            j++;
        size_t k = i;
        while (k < j && (t[k] == ' ' || t[k] == '\t'))
            k++;
        if (k < j) {
            span sp = text_span(t + k, j - k, FONT_BODY, L->size, L->s->text);
            para_opts o = popts(L, L->measure - c->indent, ALIGN_JUSTIFY, 1);
            o.line = cmark_node_get_start_line(n);
            pline *lines;
            int nl = para_break(&L->pc, &sp, 1, &o, &lines);
            vtag(L, 1, "P");
            add_lines(L, c, lines, nl, L->lh, 0, NULL, VH_NONE);
            vtag(L, 0, "P");
            vspace(L, L->lh * 0.3);
        }
        i = j + 1;
    }
}

/* The text of buffered HTML as paragraphs; the buffer emptied. */
static void html_flush(lay *L, ctx *c, cmark_node *n, buf *text)
{
    html_paragraphs(L, c, n, arena_strdup(L->a, text->data ? text->data : ""));
    buf_free(text);
}

/* Text of a sanitised HTML block: each block element a paragraph; a
 * table at its top laid out as a table (table.c). */
static void html_block(lay *L, ctx *c, cmark_node *n)
{
    const anno *a = node_anno(n);
    if (!a || !a->html)
        return;
    buf text = {0};
    int tables = 0;
    for (xmlNodePtr e = a->html->children; e && !tables; e = e->next)
        tables = e->type == XML_ELEMENT_NODE && !strcmp((const char *)e->name, "table");
    if (!tables) {
        html_text(a->html, &text);
        html_flush(L, c, n, &text);
        return;
    }
    for (xmlNodePtr e = a->html->children; e; e = e->next) {
        if (e->type == XML_ELEMENT_NODE && !strcmp((const char *)e->name, "table")) {
            html_flush(L, c, n, &text);
            if (table_html(L, c->indent, e, n))
                continue;
        }
        if (e->type == XML_TEXT_NODE && e->content) {
            buf_puts(&text, (const char *)e->content);
        } else if (e->type == XML_ELEMENT_NODE) {
            html_text(e, &text);
            buf_putc(&text, '\n');
        }
    }
    html_flush(L, c, n, &text);
}

static void figure(lay *L, ctx *c, cmark_node *img)
{
    const anno *a = node_anno(img);
    const resource *r = a ? a->res : NULL;
    if (!r || r->width <= 0 || r->height <= 0)
        return;
    double maxw = L->measure - c->indent;
    double w = r->width * 0.75; /* CSS px to pt */
    if (w > maxw)
        w = maxw;
    else if (w < maxw * 0.5)
        w = maxw * 0.75;
    double h = w * r->height / r->width;
    double maxh = L->area_h * 0.7;
    if (h > maxh) {
        h = maxh;
        w = h * r->width / r->height;
    }
    vspace(L, L->lh * 0.5);
    vtag(L, 1, "Div"); /* Figure and Caption side by side: both leaves */
    vitem *ft = vadd(L, V_TAG_OPEN);
    ft->tag = "Figure";
    buf alt = {0};
    node_plain_text(img, &alt);
    ft->alt = arena_strdup(L->a, alt.data ? alt.data : "");
    buf_free(&alt);
    const char *title = cmark_node_get_title(img);
    vitem *v = vadd(L, V_IMAGE);
    v->img = r;
    v->img_w = w;
    v->h = h;
    v->x = c->indent + (maxw - w) / 2;
    vtag(L, 0, "Figure");
    if (title && *title) {
        vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
        span sp = text_span(title, strlen(title), FONT_BODY_ITALIC, L->size * 0.9, L->s->muted);
        pline *lines;
        int nl = break_span(L, &sp, maxw, ALIGN_CENTER, 0, &lines);
        vspace(L, L->lh * 0.3);
        vtag(L, 1, "Caption");
        add_lines(L, c, lines, nl, L->lh * 0.9, 1, NULL, VH_NONE);
        vtag(L, 0, "Caption");
    }
    vtag(L, 0, "Div");
    vspace(L, L->lh * 0.5);
}

/* A task item's marker: its box, whose text (for extraction and screen
 * readers) is its state in words. */
static void task_text(lay *L, pline *ln, int done)
{
    const char *word = task_label(L->b->meta.lang, done);
    for (int r = 0; r < ln->nruns; r++) {
        lrun *run = &ln->runs[r];
        if (!run->ng)
            continue;
        pcluster *cl = arena_alloc(L->a, sizeof *cl);
        cl->bytes = (int)strlen(word);
        cl->glyphs = run->ng;
        run->text = word;
        run->text_len = cl->bytes;
        run->cl = cl;
        run->ncl = 1;
    }
}

/* The marker of an item: its number, a bullet, or (task >= 0) the box of
 * a task item, open (0) or done (1). */
static const pline *list_label(lay *L, ctx *c, double indent_w, double *x, int task)
{
    char text[32];
    if (task >= 0) {
        snprintf(text, sizeof text, "%s", task_glyph(task));
    } else if (c->list_ordered) {
        snprintf(text, sizeof text, "%d%c", c->list_counter, c->list_delim == CMARK_PAREN_DELIM ? ')' : '.');
    } else {
        utf8_encode(0x2022, text);
        text[3] = 0;
    }
    span sp = text_span(arena_strdup(L->a, text), strlen(text), FONT_BODY, L->size, L->accent);
    /* one line whatever the indent (a list indent of 0 broke "12." into
     * lines of which only the first was drawn) */
    pline *lines;
    if (break_span(L, &sp, fmax(indent_w * 3, L->measure), ALIGN_LEFT, 0, &lines) < 1)
        return NULL;
    if (task >= 0)
        task_text(L, &lines[0], task);
    /* right-align the marker in the hanging indent, but not past the
     * paper's edge */
    *x = c->indent - lines[0].width - L->size * 0.45;
    double edge = -fmin(style_pt(L->s->margin_inner, L->size), style_pt(L->s->margin_outer, L->size));
    if (*x < edge)
        *x = edge;
    return &lines[0];
}

const char *chapter_anchor(lay *L, int ci)
{
    return arena_printf(L->a, "_ch%d", ci + 1);
}

const char *chapter_dest(lay *L, int ci)
{
    const chapter *ch = &L->b->ch[ci];
    return ch->title_id ? ch->title_id : chapter_anchor(L, ci);
}

rgb chapter_accent(const lay *L, const chapter *ch)
{
    return ch && ch->theme > 0 && ch->theme <= L->s->ntheme ? L->s->theme[ch->theme - 1] : L->s->accent;
}

/* The chapter's opening: a new page, the text dropped a little under a bar
 * in the chapter's colour, and the Sect element that holds the chapter. */
static void chapter_opening(lay *L, int ci)
{
    vitem *np = vadd(L, V_NEWPAGE);
    np->dest = chapter_anchor(L, ci);
    vspace(L, L->area_h * 0.08);
    vitem *bar = vadd(L, V_RULE);
    bar->h = 3;
    bar->rule_w = L->size * 4;
    bar->rule_accent = 1;
    bar->color = L->accent;
    vspace(L, L->area_h * 0.04);
    vtag(L, 1, "Sect");
}

/* The containers open around the node being walked, innermost last. */
typedef struct walk {
    ctx stack[BOOK_MAX_DEPTH * 2 + 8];
    int sp;
    double list_ind, quote_ind;
    int narrow_warned;
} walk;

/* Is there room for one more container? The model refuses lists and
 * quotes nested deeper than BOOK_MAX_DEPTH (a list and its item take two
 * places); past the stack, blocks are laid out in the innermost one. */
static int walk_room(const walk *w)
{
    return w->sp + 1 < (int)(sizeof w->stack / sizeof *w->stack);
}

/* Pushes a copy of the innermost context and returns it. */
static ctx *walk_push(walk *w)
{
    w->stack[w->sp + 1] = w->stack[w->sp];
    return &w->stack[++w->sp];
}

static void enter_quote(lay *L, walk *w, cmark_node *n)
{
    if (walk_room(w)) {
        vspace(L, L->lh * 0.4);
        const ctx *c = &w->stack[w->sp];
        ctx *q = walk_push(w);
        q->indent = nest_indent(L, c->indent, w->quote_ind, n, &w->narrow_warned);
        if (q->nbars < MAX_BARS)
            q->bars[q->nbars++] = c->indent + w->quote_ind * 0.45;
        q->prev_para = 0;
        q->is_list = 0;
    }
    vtag(L, 1, "BlockQuote");
}

static void enter_list(lay *L, walk *w, cmark_node *n)
{
    if (walk_room(w)) {
        if (!w->stack[w->sp].is_list)
            vspace(L, L->lh * 0.4);
        ctx *l = walk_push(w);
        l->is_list = 1;
        l->list_ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
        l->list_tight = cmark_node_get_list_tight(n);
        l->list_counter = cmark_node_get_list_start(n);
        l->list_delim = cmark_node_get_list_delim(n);
        l->prev_para = 0;
    }
    vtag(L, 1, "L");
}

static void enter_item(lay *L, walk *w, cmark_node *n)
{
    if (!walk_room(w))
        return;
    ctx *c = &w->stack[w->sp];
    ctx *item = walk_push(w);
    item->indent = nest_indent(L, c->indent, w->list_ind, n, &w->narrow_warned);
    item->prev_para = 0;
    item->is_list = 0;
    double lx = 0;
    const pline *lab = list_label(L, item, w->list_ind, &lx, gfm_task_state(n));
    c->list_counter++;
    if (!c->list_tight && cmark_node_previous(n))
        vspace(L, L->lh * 0.25);
    else if (cmark_node_previous(n))
        vspace(L, L->lh * 0.08);
    vtag(L, 1, "LI");
    if (lab) {
        vitem *lv = vadd(L, V_LABEL);
        lv->label = lab;
        lv->label_x = lx;
    }
    vtag(L, 1, "LBody");
}

/* The end of a block quote, list or item: its closing tags, the space
 * after it, and back to the container around it. */
static void leave_container(lay *L, walk *w, cmark_node_type t)
{
    if (t == CMARK_NODE_ITEM) {
        vtag(L, 0, "LBody");
        vtag(L, 0, "LI");
    } else {
        vtag(L, 0, t == CMARK_NODE_LIST ? "L" : "BlockQuote");
    }
    if (w->sp > 0)
        w->sp--;
    ctx *c = &w->stack[w->sp];
    c->prev_para = 0;
    if (t == CMARK_NODE_LIST || t == CMARK_NODE_BLOCK_QUOTE)
        vspace(L, L->lh * 0.4);
    if (t == CMARK_NODE_ITEM && !c->list_tight)
        vspace(L, L->lh * 0.25);
}

/* A paragraph, or a figure when it holds one loaded image only. */
static void paragraph_block(lay *L, ctx *c, cmark_node *n)
{
    cmark_node *first = cmark_node_first_child(n);
    if (first && !cmark_node_next(first) && cmark_node_get_type(first) == CMARK_NODE_IMAGE && node_anno(first) &&
        node_anno(first)->res) {
        figure(L, c, first);
        c->prev_para = 0;
        return;
    }
    double ind = c->prev_para ? style_pt(L->s->par_indent, L->size) : 0;
    if (c->prev_para)
        vspace(L, style_pt(L->s->par_space, L->size));
    paragraph(L, c, n, ind);
    c->prev_para = 1;
}

static void thematic_break(lay *L, ctx *c)
{
    vspace(L, L->lh * 0.6);
    vitem *v = vadd(L, V_RULE);
    v->h = 0.6;
    v->rule_w = (L->measure - c->indent) * 0.3;
    v->x = c->indent + (L->measure - c->indent - v->rule_w) / 2;
    vspace(L, L->lh * 0.6);
    c->prev_para = 0;
}

/* A block that holds no blocks. Paragraphs and headings are laid out
 * whole, so the walk skips their inline children. */
static void leaf_block(lay *L, ctx *c, cmark_node *n, const chapter *ch, cmark_iter *it)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        if (!gfm_is_caption(n)) /* a table's caption: set with its table */
            paragraph_block(L, c, n);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
        break;
    case CMARK_NODE_HEADING:
        heading(L, c, n, ch);
        c->prev_para = 0;
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
        break;
    case CMARK_NODE_CODE_BLOCK:
        code_block(L, c, n);
        c->prev_para = 0;
        break;
    case CMARK_NODE_HTML_BLOCK:
        html_block(L, c, n);
        c->prev_para = 0;
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        thematic_break(L, c);
        break;
    default:
        if (gfm_kind_of(n) == GFM_TABLE) {
            table_block(L, c->indent, n);
            c->prev_para = 0;
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
        }
        break;
    }
}

/* Walks one chapter. Containers push a ctx; leaves add lines. */
void chapter_blocks(lay *L, int ci)
{
    const chapter *ch = &L->b->ch[ci];
    L->chapter = ci;
    L->file = ch->diag_name;
    L->accent = chapter_accent(L, ch);
    chapter_opening(L, ci);
    walk w;
    memset(&w.stack[0], 0, sizeof w.stack[0]);
    w.sp = 0;
    w.list_ind = style_pt(L->s->list_indent, L->size);
    w.quote_ind = style_pt(L->s->quote_indent, L->size);
    w.narrow_warned = 0;
    cmark_iter *it = cmark_iter_new(ch->doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        int container = t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM;
        if (ev == CMARK_EVENT_EXIT) {
            if (container)
                leave_container(L, &w, t);
        } else if (t == CMARK_NODE_BLOCK_QUOTE) {
            enter_quote(L, &w, n);
        } else if (t == CMARK_NODE_LIST) {
            enter_list(L, &w, n);
        } else if (t == CMARK_NODE_ITEM) {
            enter_item(L, &w, n);
        } else {
            leaf_block(L, &w.stack[w.sp], n, ch, it);
        }
    }
    cmark_iter_free(it);
    vtag(L, 0, "Sect");
}
