/* layout — see layout.h.
 *
 * Stages: (1) a walk over each chapter's tree builds a vertical list of
 * lines, spaces and penalties (widow/orphan/keep rules are penalties, as in
 * TeX); (2) a page builder cuts the list into pages (both per chapter, on
 * worker threads: see "the pipeline" below); (3) each page is turned into
 * positioned page items and handed to the drawer; (4) the table of
 * contents is laid out last, once every page number is known. Ragged bottom: pages are filled from the top
 * and a short page is preferred over a broken rule (TeX's \raggedbottom).
 * Rejected: vertical justification, which stretches headings' space on
 * every page of a text that is mostly short paragraphs and lists.
 */
#include "layout/layout.h"

#include <math.h>
#include <stdint.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/kp.h"
#include "base/l10n.h"
#include "text/para.h"
#include "layout/trace.h"
#include "model/sanitize.h"
#include "base/utf8.h"

#define INF_PEN 10000.0

typedef enum { V_LINE, V_SPACE, V_PENALTY, V_NEWPAGE, V_IMAGE, V_RULE, V_TAG_OPEN, V_TAG_CLOSE, V_LABEL } vkind;

#define MAX_BARS 6

typedef struct vitem {
    vkind k;
    double h;             /* height taken on the page */
    double penalty;       /* V_PENALTY (also on lines: the break before) */
    break_reason rule;    /* V_PENALTY: the rule it enforces, for the trace */
    const pline *ln;
    double x;             /* left offset in the text area */
    double base;          /* baseline below the item's top */
    int chapter;
    const pline *label;   /* list marker, drawn at label_x */
    double label_x;
    double bars[MAX_BARS];/* x of block-quote / code bars */
    int nbars;
    int code;             /* code line: tinted, continuation mark */
    int cont;             /* continuation of a wrapped code line */
    const char *dest;     /* destination placed at this item */
    const resource *img;
    double img_w;
    double rule_w;        /* V_RULE width */
    int rule_accent;      /* V_RULE in the chapter's accent colour */
    rgb color;
    int body;             /* body text (for the page map) */
    int heading;          /* heading line */
    const char *tag;      /* V_TAG_OPEN/CLOSE: structure element type */
    const char *alt;      /* V_TAG_OPEN of a Figure: its alternative text */
} vitem;

typedef struct lay {
    const book *b;
    const style *s;
    const fontset *fs;
    para_ctx pc;
    diag *d;
    doc_layout *out;
    arena *a;             /* where this stage's data lives */
    vitem *v;
    size_t n, cap;
    double measure, area_h;
    double size, lh;      /* body size, line height */
    strset warned;
    /* current chapter */
    int chapter;
    const char *file;
    int line; /* where the text of text_line and one_line is given, if not in a chapter */
    rgb accent;
} lay;

static vitem *vadd(lay *L, vkind k)
{
    GROW(L->v, L->cap, L->n + 1);
    vitem *v = &L->v[L->n++];
    memset(v, 0, sizeof *v);
    v->k = k;
    v->chapter = L->chapter;
    return v;
}

static void vspace(lay *L, double h)
{
    if (h <= 0)
        return;
    vitem *v = vadd(L, V_SPACE);
    v->h = h;
}

static vitem *vpenalty(lay *L, double p)
{
    vitem *v = vadd(L, V_PENALTY);
    v->penalty = p;
    return v;
}

/* Structure tags travel in the vertical list as items of no height that
 * page breaking looks through: an opening tag (and a list marker) sticks
 * to what follows it, a closing tag to what precedes it. */
static void vtag(lay *L, int open, const char *tag)
{
    vitem *v = vadd(L, open ? V_TAG_OPEN : V_TAG_CLOSE);
    v->tag = tag;
}

static int transparent(const vitem *v)
{
    return v->k == V_TAG_OPEN || v->k == V_TAG_CLOSE || v->k == V_LABEL;
}

/* ---- inline content to spans ---- */

typedef struct spanlist {
    span *v;
    int n, cap;
} spanlist;

static void add_span(spanlist *sl, const char *t, size_t len, tstyle st, cmark_node *src, size_t off)
{
    if (sl->n + 1 > sl->cap) {
        sl->cap = sl->cap ? sl->cap * 2 : 16;
        sl->v = xrealloc(sl->v, (size_t)sl->cap * sizeof *sl->v);
    }
    span *s = &sl->v[sl->n++];
    memset(s, 0, sizeof *s);
    s->text = t;
    s->len = len;
    s->st = st;
    s->src = src;
    s->src_off = off;
}

static int style_font(int bold, int italic, int mono, int heading)
{
    if (mono)
        return FONT_MONO;
    if (heading)
        return italic ? FONT_HEADING_ITALIC : FONT_HEADING;
    if (bold && italic)
        return FONT_BODY_BOLD_ITALIC;
    if (bold)
        return FONT_BODY_BOLD;
    if (italic)
        return FONT_BODY_ITALIC;
    return FONT_BODY;
}

typedef struct istate {
    int bold, italic, mono, heading;
    double size;
    rgb color;
    const anno *link;
} istate;

static tstyle mkstyle(const lay *L, const istate *is)
{
    tstyle t;
    memset(&t, 0, sizeof t);
    t.font = style_font(is->bold, is->italic, is->mono, is->heading);
    t.size = is->mono && !is->heading ? style_pt(L->s->code_size, is->size) : is->size;
    t.color = is->link && !is->heading ? L->s->link : is->color;
    t.link = is->link;
    t.code = is->mono;
    return t;
}

/* Collects the inline content of a block into spans. */
static void inline_spans(lay *L, cmark_node *block, istate base, spanlist *sl)
{
    istate st[64];
    int depth = 0;
    st[0] = base;
    int skip_raw = 0;
    cmark_iter *it = cmark_iter_new(block);
    cmark_event_type ev;
    /* HTML inline elements that change the style, matched by name */
    char html_open[32][16];
    istate html_saved[32];
    int nhtml = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n == block)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        istate *cur = &st[depth];
        if (ev == CMARK_EVENT_EXIT) {
            if ((t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK) && depth > 0)
                depth--;
            continue;
        }
        switch (t) {
        case CMARK_NODE_TEXT:
            if (!skip_raw) {
                const char *lit = cmark_node_get_literal(n);
                if (lit && *lit)
                    add_span(sl, lit, strlen(lit), mkstyle(L, cur), n, 0);
            }
            break;
        case CMARK_NODE_CODE: {
            istate c = *cur;
            c.mono = 1;
            const char *lit = cmark_node_get_literal(n);
            if (lit && *lit)
                add_span(sl, lit, strlen(lit), mkstyle(L, &c), n, 0);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
            if (!skip_raw)
                add_span(sl, " ", 1, mkstyle(L, cur), NULL, 0);
            break;
        case CMARK_NODE_LINEBREAK: {
            add_span(sl, NULL, 0, mkstyle(L, cur), NULL, 0);
            sl->v[sl->n - 1].hard_break = 1;
            break;
        }
        case CMARK_NODE_EMPH:
        case CMARK_NODE_STRONG:
        case CMARK_NODE_LINK:
            if (depth + 1 < 64) {
                st[depth + 1] = *cur;
                depth++;
                if (t == CMARK_NODE_EMPH)
                    st[depth].italic = !st[depth].italic;
                else if (t == CMARK_NODE_STRONG)
                    st[depth].bold = 1;
                else {
                    const anno *a = node_anno(n);
                    if (a && (a->href || a->target_chapter >= 0))
                        st[depth].link = a;
                }
            }
            break;
        case CMARK_NODE_IMAGE: {
            /* an image inside text: drawn in the line, one body size high
             * (its description in brackets if it could not be loaded) */
            buf alt = {0};
            node_plain_text(n, &alt);
            const anno *ia = node_anno(n);
            const resource *r = ia ? ia->res : NULL;
            if (r && r->width > 0 && r->height > 0) {
                add_span(sl, "\xEF\xBF\xBC", 3, mkstyle(L, cur), NULL, 0);
                span *sp = &sl->v[sl->n - 1];
                sp->img = r;
                sp->img_h = cur->size;
                sp->img_w = cur->size * r->width / r->height;
                double maxw = L->measure * 0.5;
                if (sp->img_w > maxw) {
                    sp->img_w = maxw;
                    sp->img_h = maxw * r->height / r->width;
                }
                sp->alt = arena_strdup(L->a, alt.data ? alt.data : "");
            } else if (alt.len) {
                char *s = arena_printf(L->a, "[%s]", alt.data);
                add_span(sl, s, strlen(s), mkstyle(L, cur), NULL, 0);
            }
            buf_free(&alt);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        }
        case CMARK_NODE_HTML_INLINE: {
            const anno *a = node_anno(n);
            if (!a || !a->tag || !a->tag->name[0])
                break;
            const char *nm = a->tag->name;
            if (!strcmp(nm, "script") || !strcmp(nm, "style")) {
                skip_raw = !a->tag->closing;
                break;
            }
            if (!strcmp(nm, "br")) {
                add_span(sl, NULL, 0, mkstyle(L, cur), NULL, 0);
                sl->v[sl->n - 1].hard_break = 1;
                break;
            }
            if (!a->tag->closing && !a->tag->empty && nhtml < 32) {
                snprintf(html_open[nhtml], sizeof html_open[0], "%s", nm);
                html_saved[nhtml] = *cur;
                nhtml++;
                if (!strcmp(nm, "em") || !strcmp(nm, "i") || !strcmp(nm, "cite") || !strcmp(nm, "dfn") || !strcmp(nm, "var"))
                    cur->italic = !cur->italic;
                else if (!strcmp(nm, "strong") || !strcmp(nm, "b"))
                    cur->bold = 1;
                else if (!strcmp(nm, "code") || !strcmp(nm, "kbd") || !strcmp(nm, "samp"))
                    cur->mono = 1;
            } else if (a->tag->closing) {
                for (int k = nhtml; k-- > 0;)
                    if (!strcmp(html_open[k], nm)) {
                        *cur = html_saved[k];
                        nhtml = k;
                        break;
                    }
            }
            break;
        }
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

/* ---- blocks to the vertical list ---- */

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

static para_opts popts(lay *L, double measure, align_mode al, int hyphen)
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

/* Adds lines to the vertical list with widow/orphan penalties. */
static void add_lines(lay *L, ctx *c, const pline *lines, int n, double line_h, int keep_all, int code,
                      const char *dest, int heading)
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
                pen += 3000; /* a page should not end with a hyphen */
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
        v->code = code;
        v->cont = code && i > 0;
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
    add_lines(L, c, lines, nl, L->lh, 0, 0, NULL, 0);
    vtag(L, 0, "P");
    free(sl.v);
}

static double heading_size(lay *L, int level)
{
    int i = level < 1 ? 0 : level > 4 ? 3 : level - 1;
    return style_pt(L->s->h_size[i], L->size);
}

static void heading(lay *L, ctx *c, cmark_node *n, const chapter *ch)
{
    int level = cmark_node_get_heading_level(n);
    const anno *a = node_anno(n);
    double size = heading_size(L, level);
    int is_title = n == ch->title_node;
    spanlist sl = {0};
    istate is = {0};
    is.size = size;
    is.color = L->accent;
    is.heading = 1;
    is.italic = level >= 5;
    static const char *const htags[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
    const char *htag = htags[level < 1 ? 0 : level > 6 ? 5 : level - 1];
    double before_sp = is_title ? 0 : style_pt(L->s->h_before, L->size);
    if (!is_title && L->n && L->v[L->n - 1].k != V_NEWPAGE) {
        vpenalty(L, 0); /* a good place for a page break: before a heading */
        L->v[L->n - 1].heading = 3;
        vspace(L, before_sp);
    }
    vtag(L, 1, htag);
    int label_has_dest = 0;
    if (is_title && ch->label && *ch->label) {
        /* the chapter label, large, above the title */
        tstyle ls;
        memset(&ls, 0, sizeof ls);
        ls.font = FONT_HEADING_REGULAR;
        ls.size = size * 1.6;
        ls.color = L->accent;
        span lsp;
        memset(&lsp, 0, sizeof lsp);
        lsp.text = ch->label;
        lsp.len = strlen(ch->label);
        lsp.st = ls;
        para_opts o = popts(L, L->measure, ALIGN_LEFT, 0);
        pline *lab;
        int nl = para_break(&L->pc, &lsp, 1, &o, &lab);
        if (nl > 0) {
            lab[0].src = n; /* a page starting here starts at the heading */
            lab[0].src_off = 0;
            vitem *v = vadd(L, V_LINE);
            v->ln = lab;
            v->h = ls.size * 1.1;
            v->base = ls.size * 0.85;
            v->x = c->indent;
            v->heading = 1;
            v->body = 1;
            v->dest = a ? a->id : NULL; /* links land on the label, above the title */
            label_has_dest = 1;
            vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
        }
    }
    inline_spans(L, n, is, &sl);
    double after = style_pt(L->s->h_after, L->size);
    if (is_title)
        after = L->lh * 1.5;
    const char *dest = a && !label_has_dest ? a->id : NULL;
    if (sl.n) {
        para_opts o = popts(L, L->measure - c->indent, ALIGN_LEFT, 0);
        o.line = cmark_node_get_start_line(n);
        pline *lines;
        int nl = para_break(&L->pc, sl.v, sl.n, &o, &lines);
        add_lines(L, c, lines, nl, size * 1.25, 1, 0, dest, 1);
    } else if (dest) {
        vitem *v = vadd(L, V_SPACE);
        v->dest = dest;
    }
    free(sl.v);
    vtag(L, 0, htag);
    /* keep the heading with at least two lines of what follows */
    vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
    vspace(L, after);
    vpenalty(L, INF_PEN)->rule = BREAK_KEEP;
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
    double lh = size * 1.35;
    ctx cc = *c;
    cc.indent = c->indent + size * 1.2;
    if (cc.nbars < MAX_BARS)
        cc.bars[cc.nbars++] = c->indent;
    vspace(L, L->lh * 0.4);
    vtag(L, 1, "Code");
    size_t i = 0;
    int first = 1;
    int total_lines = 0;
    for (size_t k = 0; k <= len; k++)
        if (k == len || lit[k] == '\n')
            total_lines++;
    int line_no = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && lit[j] != '\n')
            j++;
        tstyle st;
        memset(&st, 0, sizeof st);
        st.font = FONT_MONO;
        st.size = size;
        st.color = L->s->text;
        st.code = 1;
        span sp;
        memset(&sp, 0, sizeof sp);
        sp.text = lit + i;
        sp.len = j - i;
        sp.st = st;
        sp.src = n;
        sp.src_off = i;
        pline *lines = NULL;
        int nl = 0;
        if (j > i) {
            para_opts o = popts(L, L->measure - cc.indent, ALIGN_LEFT, 0);
            o.code = 1;
            o.line = cmark_node_get_start_line(n) + line_no;
            nl = para_break(&L->pc, &sp, 1, &o, &lines);
        }
        if (!first) {
            /* widows/orphans of code: keep 2 lines together at both ends */
            vpenalty(L, line_no == 1 || line_no == total_lines - 1 ? INF_PEN : 50)->rule =
                line_no == 1 ? BREAK_ORPHAN : line_no == total_lines - 1 ? BREAK_WIDOW : BREAK_NONE;
        }
        if (nl == 0) {
            vitem *v = vadd(L, V_LINE);
            v->h = lh;
            v->x = cc.indent;
            memcpy(v->bars, cc.bars, sizeof v->bars);
            v->nbars = cc.nbars;
            v->code = 1;
            v->body = 0;
        } else {
            for (int q = 0; q < nl; q++) {
                if (q > 0)
                    vpenalty(L, INF_PEN / 2);
                vitem *v = vadd(L, V_LINE);
                v->ln = &lines[q];
                v->h = lh;
                v->base = lh * 0.78;
                v->x = cc.indent;
                memcpy(v->bars, cc.bars, sizeof v->bars);
                v->nbars = cc.nbars;
                v->code = 1;
                v->cont = q > 0;
                v->body = 1;
            }
        }
        first = 0;
        line_no++;
        i = j + 1;
    }
    vtag(L, 0, "Code");
    vspace(L, L->lh * 0.4);
}

/* Text of a sanitised HTML block: each block element a paragraph. */
static void html_block(lay *L, ctx *c, cmark_node *n)
{
    const anno *a = node_anno(n);
    if (!a || !a->html)
        return;
    /* iterative walk collecting text per block-level element */
    buf text = {0};
    xmlNodePtr cur = a->html->children;
    int guard = 0;
    while (cur && guard++ < 1000000) {
        if (cur->type == XML_TEXT_NODE && cur->content)
            buf_puts(&text, (const char *)cur->content);
        int block = cur->type == XML_ELEMENT_NODE &&
                    (!strcmp((const char *)cur->name, "p") || !strcmp((const char *)cur->name, "li") ||
                     !strcmp((const char *)cur->name, "div") || !strcmp((const char *)cur->name, "tr") ||
                     !strcmp((const char *)cur->name, "pre") || !strcmp((const char *)cur->name, "dt") ||
                     !strcmp((const char *)cur->name, "dd") || !strcmp((const char *)cur->name, "blockquote"));
        if (cur->type == XML_ELEMENT_NODE && (!strcmp((const char *)cur->name, "td") || !strcmp((const char *)cur->name, "th")))
            buf_puts(&text, "  ");
        if (block && text.len)
            buf_putc(&text, '\n');
        if (cur->children && cur->type == XML_ELEMENT_NODE) {
            cur = cur->children;
            continue;
        }
        while (cur && cur != a->html && !cur->next) {
            cur = cur->parent;
            if (cur && cur->type == XML_ELEMENT_NODE && text.len && text.data[text.len - 1] != '\n')
                buf_putc(&text, '\n');
        }
        if (!cur || cur == a->html)
            break;
        cur = cur->next;
    }
    /* each non-empty line: a paragraph */
    const char *t = arena_strdup(L->a, text.data ? text.data : "");
    buf_free(&text);
    size_t i = 0, len = strlen(t);
    while (i < len) {
        size_t j = i;
        while (j < len && t[j] != '\n')
            j++;
        size_t k = i;
        while (k < j && (t[k] == ' ' || t[k] == '\t'))
            k++;
        if (k < j) {
            tstyle st;
            memset(&st, 0, sizeof st);
            st.font = FONT_BODY;
            st.size = L->size;
            st.color = L->s->text;
            span sp;
            memset(&sp, 0, sizeof sp);
            sp.text = t + k;
            sp.len = j - k;
            sp.st = st;
            para_opts o = popts(L, L->measure - c->indent, ALIGN_JUSTIFY, 1);
            o.line = cmark_node_get_start_line(n);
            pline *lines;
            int nl = para_break(&L->pc, &sp, 1, &o, &lines);
            vtag(L, 1, "P");
            add_lines(L, c, lines, nl, L->lh, 0, 0, NULL, 0);
            vtag(L, 0, "P");
            vspace(L, L->lh * 0.3);
        }
        i = j + 1;
    }
}

static void figure(lay *L, ctx *c, cmark_node *para, cmark_node *img)
{
    const anno *a = node_anno(img);
    const resource *r = a ? a->res : NULL;
    if (!r || r->width <= 0 || r->height <= 0)
        return;
    double maxw = L->measure - c->indent;
    double w = r->width * 0.75; /* CSS px to pt */
    if (w > maxw || w < maxw * 0.5)
        w = maxw * (w > maxw ? 1 : (w < maxw * 0.5 ? 0.75 : 1));
    if (w > maxw)
        w = maxw;
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
        tstyle st;
        memset(&st, 0, sizeof st);
        st.font = FONT_BODY_ITALIC;
        st.size = L->size * 0.9;
        st.color = L->s->muted;
        span sp;
        memset(&sp, 0, sizeof sp);
        sp.text = title;
        sp.len = strlen(title);
        sp.st = st;
        para_opts o = popts(L, maxw, ALIGN_CENTER, 0);
        pline *lines;
        int nl = para_break(&L->pc, &sp, 1, &o, &lines);
        vspace(L, L->lh * 0.3);
        ctx cc = *c;
        vtag(L, 1, "Caption");
        add_lines(L, &cc, lines, nl, L->lh * 0.9, 1, 0, NULL, 0);
        vtag(L, 0, "Caption");
    }
    (void)para;
    vtag(L, 0, "Div");
    vspace(L, L->lh * 0.5);
}

static const pline *list_label(lay *L, ctx *c, double indent_w, double *x)
{
    char text[32];
    tstyle st;
    memset(&st, 0, sizeof st);
    st.font = FONT_BODY;
    st.size = L->size;
    st.color = L->accent;
    if (c->list_ordered) {
        snprintf(text, sizeof text, "%d%c", c->list_counter, c->list_delim == CMARK_PAREN_DELIM ? ')' : '.');
        st.font = FONT_BODY; /* tabular, lining figures would be ideal; the font's own are used */
    } else {
        utf8_encode(0x2022, text);
        text[3] = 0;
    }
    span sp;
    memset(&sp, 0, sizeof sp);
    sp.text = arena_strdup(L->a, text);
    sp.len = strlen(text);
    sp.st = st;
    /* one line whatever the indent (a list indent of 0 broke "12." into
     * lines of which only the first was drawn) */
    para_opts o = popts(L, fmax(indent_w * 3, L->measure), ALIGN_LEFT, 0);
    pline *lines;
    int nl = para_break(&L->pc, &sp, 1, &o, &lines);
    if (nl < 1)
        return NULL;
    /* right-align the marker in the hanging indent, but not past the
     * paper's edge */
    *x = c->indent - lines[0].width - L->size * 0.45;
    double edge = -fmin(style_pt(L->s->margin_inner, L->size), style_pt(L->s->margin_outer, L->size));
    if (*x < edge)
        *x = edge;
    return &lines[0];
}

/* Walks one chapter. Containers push a ctx; leaves add lines. */
static void chapter_blocks(lay *L, int ci)
{
    const chapter *ch = &L->b->ch[ci];
    L->chapter = ci;
    L->file = ch->diag_name;
    L->accent = ch->theme > 0 && ch->theme <= L->s->ntheme ? L->s->theme[ch->theme - 1] : L->s->accent;
    vitem *np = vadd(L, V_NEWPAGE);
    np->dest = arena_printf(L->a, "_ch%d", ci + 1);
    /* drop the chapter opening a little, under a bar in its colour */
    vspace(L, L->area_h * 0.08);
    vitem *bar = vadd(L, V_RULE);
    bar->h = 3;
    bar->rule_w = L->size * 4;
    bar->rule_accent = 1;
    bar->color = L->accent;
    vspace(L, L->area_h * 0.04);
    vtag(L, 1, "Sect");

    ctx stack[BOOK_MAX_DEPTH * 2 + 8];
    int sp = 0;
    memset(&stack[0], 0, sizeof stack[0]);
    cmark_iter *it = cmark_iter_new(ch->doc);
    cmark_event_type ev;
    double list_ind = style_pt(L->s->list_indent, L->size);
    double quote_ind = style_pt(L->s->quote_indent, L->size);
    int narrow_warned = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        ctx *c = &stack[sp];
        if (ev == CMARK_EVENT_EXIT) {
            if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM) {
                if (t == CMARK_NODE_ITEM) {
                    vtag(L, 0, "LBody");
                    vtag(L, 0, "LI");
                } else {
                    vtag(L, 0, t == CMARK_NODE_LIST ? "L" : "BlockQuote");
                }
                if (sp > 0)
                    sp--;
                stack[sp].prev_para = 0;
                if (t == CMARK_NODE_LIST || t == CMARK_NODE_BLOCK_QUOTE)
                    vspace(L, L->lh * 0.4);
                if (t == CMARK_NODE_ITEM && !stack[sp].list_tight)
                    vspace(L, L->lh * 0.25);
            }
            continue;
        }
        switch (t) {
        case CMARK_NODE_BLOCK_QUOTE:
            if (sp + 1 < (int)(sizeof stack / sizeof *stack)) {
                vspace(L, L->lh * 0.4);
                stack[sp + 1] = *c;
                sp++;
                stack[sp].indent = nest_indent(L, c->indent, quote_ind, n, &narrow_warned);
                if (stack[sp].nbars < MAX_BARS)
                    stack[sp].bars[stack[sp].nbars++] = c->indent + quote_ind * 0.45;
                stack[sp].prev_para = 0;
                stack[sp].is_list = 0;
            }
            vtag(L, 1, "BlockQuote");
            break;
        case CMARK_NODE_LIST:
            if (sp + 1 < (int)(sizeof stack / sizeof *stack)) {
                if (!c->is_list)
                    vspace(L, L->lh * 0.4);
                stack[sp + 1] = *c;
                sp++;
                stack[sp].is_list = 1;
                stack[sp].list_ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
                stack[sp].list_tight = cmark_node_get_list_tight(n);
                stack[sp].list_counter = cmark_node_get_list_start(n);
                stack[sp].list_delim = cmark_node_get_list_delim(n);
                stack[sp].prev_para = 0;
            }
            vtag(L, 1, "L");
            break;
        case CMARK_NODE_ITEM:
            if (sp + 1 < (int)(sizeof stack / sizeof *stack)) {
                stack[sp + 1] = *c;
                sp++;
                stack[sp].indent = nest_indent(L, c->indent, list_ind, n, &narrow_warned);
                stack[sp].prev_para = 0;
                stack[sp].is_list = 0;
                double lx = 0;
                const pline *lab = list_label(L, &stack[sp], list_ind, &lx);
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
            break;
        case CMARK_NODE_PARAGRAPH: {
            cmark_node *first = cmark_node_first_child(n);
            if (first && !cmark_node_next(first) && cmark_node_get_type(first) == CMARK_NODE_IMAGE &&
                node_anno(first) && node_anno(first)->res) {
                figure(L, c, n, first);
                c->prev_para = 0;
            } else {
                double ind = c->prev_para ? style_pt(L->s->par_indent, L->size) : 0;
                if (c->prev_para)
                    vspace(L, style_pt(L->s->par_space, L->size));
                paragraph(L, c, n, ind);
                c->prev_para = 1;
            }
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            break;
        }
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
        case CMARK_NODE_THEMATIC_BREAK: {
            vspace(L, L->lh * 0.6);
            vitem *v = vadd(L, V_RULE);
            v->h = 0.6;
            v->rule_w = (L->measure - c->indent) * 0.3;
            v->x = c->indent + (L->measure - c->indent - v->rule_w) / 2;
            vspace(L, L->lh * 0.6);
            c->prev_para = 0;
            break;
        }
        default:
            break;
        }
    }
    cmark_iter_free(it);
    vtag(L, 0, "Sect");
}

/* ---- page builder ---- */

typedef struct pbreak {
    size_t start, end;   /* items [start, end) on the page */
    break_reason reason; /* why it ends at end (trace.h) */
} pbreak;

static int discardable(const vitem *v)
{
    return v->k == V_SPACE || v->k == V_PENALTY;
}

/* Penalty of a page break before item i, or -1 if it is no legal break. */
static void break_values(lay *L, double *brk)
{
    int keep = 0;
    const vitem *p = NULL; /* the previous item that is not a tag */
    for (size_t i = 0; i < L->n; i++) {
        const vitem *v = &L->v[i];
        if (transparent(v)) {
            brk[i] = -1;
            continue;
        }
        double b = -1;
        if (v->k == V_PENALTY)
            b = v->penalty;
        else if (v->k == V_SPACE && p && !discardable(p))
            b = 0;
        else if ((v->k == V_LINE || v->k == V_IMAGE || v->k == V_RULE) && p && !discardable(p) && p->k != V_NEWPAGE)
            b = 0;
        /* A heading keeps two lines of what follows; but when a heading
         * follows after only one line (a one-line paragraph), the break
         * before the new heading is allowed again. */
        if (b >= 0 && keep > 0 && !(v->k == V_PENALTY && v->heading == 3 && keep < 2))
            b = INF_PEN;
        if (v->k == V_LINE && v->heading)
            keep = 2;
        else if ((v->k == V_LINE || v->k == V_IMAGE) && keep > 0)
            keep--;
        brk[i] = b;
        p = v;
    }
}

/* Why a page that ends at break `best` could not end at a later one before
 * item `over`, the first that does not fit: nothing that fits is left
 * out, or the first later break was refused (see break_reason). */
static break_reason refused_break(const lay *L, const double *brk, size_t best, size_t over)
{
    int pushed = 0;
    for (size_t k = best; k < over && !pushed; k++)
        pushed = !discardable(&L->v[k]) && !transparent(&L->v[k]);
    if (!pushed)
        return BREAK_FULL;
    for (size_t k = best + 1; k <= over; k++) {
        const vitem *v = &L->v[k];
        if (brk[k] < 0)
            continue;
        if (v->k == V_PENALTY && v->penalty >= INF_PEN)
            return v->rule; /* every infinite penalty names its rule */
        if (brk[k] >= INF_PEN)
            return BREAK_KEEP; /* break_values: a heading keeps two lines */
        return v->k == V_PENALTY && v->rule != BREAK_NONE ? v->rule : BREAK_COST;
    }
    return BREAK_FULL;
}

static pbreak *build_pages(lay *L, size_t *npages)
{
    double *brk = xmalloc((L->n + 1) * sizeof *brk);
    break_values(L, brk);
    pbreak *pages = NULL;
    size_t np = 0, cap = 0;
    size_t s = 0;
    while (s < L->n) {
        /* skip discardables at the top of the page */
        while (s < L->n && discardable(&L->v[s]))
            s++;
        if (s >= L->n)
            break;
        double y = 0;
        size_t best = 0;
        double best_cost = 1e30;
        size_t last_any = 0;
        double last_any_pen = 1e30;
        size_t i = s;
        int placed = 0;
        size_t end = L->n;
        break_reason why = BREAK_END;
        for (; i < L->n; i++) {
            const vitem *v = &L->v[i];
            if (v->k == V_NEWPAGE && i > s && placed) {
                end = i;
                why = BREAK_NEWPAGE;
                goto done;
            }
            if (i > s && brk[i] >= 0 && placed) {
                double u = (L->area_h - y) / L->area_h;
                double cost = (brk[i] >= INF_PEN ? 1e6 : brk[i]) + 5000 * u * u;
                if (brk[i] < INF_PEN && cost <= best_cost) {
                    best_cost = cost;
                    best = i;
                }
                if (brk[i] <= last_any_pen || brk[i] < INF_PEN) {
                    last_any = i;
                    last_any_pen = brk[i];
                }
            }
            if (y + v->h > L->area_h + 0.01 && placed) {
                end = best ? best : last_any ? last_any : i;
                why = best ? refused_break(L, brk, best, i) : BREAK_FORCED;
                goto done;
            }
            y += v->h;
            if (!discardable(v) && !transparent(v) && v->k != V_NEWPAGE)
                placed = 1;
        }
    done:
        /* opening tags and list markers go with what follows them */
        while (end > s + 1 && end < L->n && (L->v[end - 1].k == V_TAG_OPEN || L->v[end - 1].k == V_LABEL))
            end--;
        if (end <= s)
            end = s + 1;
        GROW(pages, cap, np + 1);
        pages[np++] = (pbreak){s, end, why};
        s = end;
    }
    free(brk);
    *npages = np;
    return pages;
}

/* ---- emission ---- */

static page *new_page(doc_layout *d, page_kind k, int chap)
{
    GROW(d->pages, d->cap, d->npages + 1);
    page *p = &d->pages[d->npages++];
    memset(p, 0, sizeof *p);
    p->kind = k;
    p->chapter = chap;
    return p;
}

pitem *page_add(page *p, const pitem *it)
{
    GROW(p->items, p->cap, p->n + 1);
    p->items[p->n] = *it;
    return &p->items[p->n++];
}

static void link_target(lay *L, const anno *lk, pitem *li)
{
    if (lk->href) {
        li->uri = lk->href;
    } else {
        const chapter *t = &L->b->ch[lk->target_chapter];
        li->dest = lk->target_id ? lk->target_id
                   : t->title_id ? t->title_id
                                 : arena_printf(L->a, "_ch%d", lk->target_chapter + 1);
    }
}

static void ptag(page *pg, int open, const char *tag, const char *alt)
{
    pitem t;
    memset(&t, 0, sizeof t);
    t.kind = open ? PI_TAG_OPEN : PI_TAG_CLOSE;
    t.tag = tag;
    t.alt = alt;
    page_add(pg, &t);
}

/* Emits a line's glyph runs. Runs of one link are wrapped in a link (its
 * clickable area is their extent on this line, its description the link's
 * whole text); in a paragraph with links or images, the other text goes in
 * Span elements, because cairo 1.16 marks only the content of leaf
 * structure elements. */
static void emit_line(lay *L, page *pg, const pline *ln, double ox, double baseline)
{
    int r = 0;
    while (r < ln->nruns) {
        const lrun *run = &ln->runs[r];
        if (run->img) {
            page_add(pg, &(pitem){.kind = PI_TAG_OPEN, .tag = "Figure", .alt = run->alt});
            page_add(pg, &(pitem){.kind = PI_IMAGE, .x = ox + run->x, .y = baseline + run->st.size * 0.12 - run->img_h,
                                  .w = run->w, .h = run->img_h, .res = run->img});
            page_add(pg, &(pitem){.kind = PI_TAG_CLOSE, .tag = "Figure", .alt = run->alt});
            r++;
            continue;
        }
        const anno *lk = run->st.link;
        int e = r;
        while (e < ln->nruns && !ln->runs[e].img && ln->runs[e].st.link == lk)
            e++;
        pitem open;
        memset(&open, 0, sizeof open);
        if (lk) {
            open.kind = PI_LINK;
            open.link_mode = 1;
            open.x = ox + ln->runs[r].x;
            open.w = ln->runs[e - 1].x + ln->runs[e - 1].w - ln->runs[r].x;
            open.y = baseline - L->size * 0.9;
            open.h = L->size * 1.2;
            open.alt = lk->text && *lk->text ? lk->text : NULL;
            link_target(L, lk, &open);
            page_add(pg, &open);
        } else if (ln->wrap) {
            open.kind = PI_TAG_OPEN;
            open.tag = "Span";
            page_add(pg, &open);
        }
        for (int k = r; k < e; k++) {
            const lrun *rn = &ln->runs[k];
            page_add(pg, &(pitem){.kind = PI_GLYPHS, .x = ox + rn->x, .y = baseline, .w = rn->w,
                                  .font = rn->st.font, .size = rn->st.size, .color = rn->st.color,
                                  .text = rn->text, .text_len = rn->text_len, .g = rn->g, .ng = rn->ng,
                                  .cl = rn->cl, .ncl = rn->ncl});
        }
        if (lk) {
            page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = 2});
        } else if (ln->wrap) {
            open.kind = PI_TAG_CLOSE;
            page_add(pg, &open);
        }
        r = e;
    }
}

static double margin_left(const lay *L)
{
    return style_pt(L->s->margin_inner, L->size);
}

static double margin_top(const lay *L)
{
    return style_pt(L->s->margin_top, L->size);
}

static void emit_vitems(lay *L, page *pg, size_t s, size_t e)
{
    double x0 = margin_left(L), y = margin_top(L);
    int at_top = 1;
    for (size_t i = s; i < e; i++) {
        const vitem *v = &L->v[i];
        if (v->dest) {
            page_add(pg, &(pitem){.kind = PI_DEST, .x = x0 + v->x, .y = y, .dest = v->dest});
        }
        switch (v->k) {
        case V_TAG_OPEN:
        case V_TAG_CLOSE: {
            page_add(pg, &(pitem){.kind = v->k == V_TAG_OPEN ? PI_TAG_OPEN : PI_TAG_CLOSE, .tag = v->tag,
                                  .alt = v->alt});
            break;
        }
        case V_LABEL: {
            /* the list marker, on the baseline of the item's first line */
            double dy = 0, base = y + L->lh * 0.75;
            for (size_t j = i + 1; j < e && j < i + 64; j++) {
                const vitem *w = &L->v[j];
                if (w->k == V_LINE) {
                    base = y + dy + w->base;
                    break;
                }
                if (w->k == V_TAG_CLOSE && !strcmp(w->tag, "LI"))
                    break;
                if (!transparent(w))
                    dy += w->h;
            }
            ptag(pg, 1, "Lbl", NULL);
            emit_line(L, pg, v->label, x0 + v->label_x, base);
            ptag(pg, 0, "Lbl", NULL);
            break;
        }
        case V_LINE: {
            double base = y + v->base;
            if (v->code && v->ln == NULL) {
                /* empty code line: only its bars */
            }
            for (int b = 0; b < v->nbars; b++) {
                page_add(pg, &(pitem){.kind = PI_RULE, .x = x0 + v->bars[b], .y = y, .w = 1.6, .h = v->h,
                                      .color = L->s->rule});
            }
            if (v->ln) {
                emit_line(L, pg, v->ln, x0 + v->x, base);
                if (v->body)
                    pg->has_body_text = 1;
            }
            if (v->cont) {
                page_add(pg, &(pitem){.kind = PI_MARK, .x = x0 + v->x - L->size * 0.95, .y = base,
                                      .w = L->size * 0.6, .h = L->size * 0.5, .color = L->s->muted, .artifact = 1});
            }
            break;
        }
        case V_IMAGE: {
            page_add(pg, &(pitem){.kind = PI_IMAGE, .x = x0 + v->x, .y = y, .w = v->img_w, .h = v->h, .res = v->img});
            pg->has_body_text = 1;
            break;
        }
        case V_RULE: {
            page_add(pg, &(pitem){.kind = PI_RULE, .x = x0 + v->x, .y = y, .w = v->rule_w, .h = v->h,
                                  .color = v->rule_accent ? v->color : L->s->rule});
            break;
        }
        default:
            break;
        }
        if (!(at_top && discardable(v)))
            y += v->h;
        if (!discardable(v) && !transparent(v))
            at_top = 0;
    }
}


/* Lines of text at a position (front matter, table of contents); lines
 * whose baseline would pass the page's bottom edge are not drawn (a title
 * of any length stays on its page; the EPUB and the chapter keep it whole). */
static double text_line(lay *L, page *pg, const char *text, int font, double size, rgb color, double x,
                        double baseline, align_mode al, double measure, int artifact)
{
    span sp;
    memset(&sp, 0, sizeof sp);
    sp.text = text;
    sp.len = strlen(text);
    /* no more text than a page of this size could hold (a letter takes
     * at least a tenth of size * size; four bytes a letter at most) */
    double fit = 40 * L->s->page_w * L->s->page_h / (size * size);
    if ((double)sp.len > fit) {
        sp.len = (size_t)fit;
        while (sp.len > 0 && ((unsigned char)text[sp.len] & 0xC0) == 0x80)
            sp.len--;
    }
    sp.st.font = font;
    sp.st.size = size;
    sp.st.color = color;
    para_opts o = popts(L, measure, al, 0);
    o.line = L->line;
    pline *lines;
    int nl = para_break(&L->pc, &sp, 1, &o, &lines);
    double y = baseline;
    for (int i = 0; i < nl && y <= L->out->height; i++) {
        size_t before = pg->n;
        emit_line(L, pg, &lines[i], x, y);
        for (size_t k = before; k < pg->n; k++)
            pg->items[k].artifact = artifact;
        y += size * 1.25;
    }
    return y;
}

static const char *roman(arena *a, int n)
{
    static const char *const r[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
                                    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
    if (n >= 1 && n <= 20)
        return r[n];
    return arena_printf(a, "%d", n);
}

typedef struct destpage {
    const char *dest;
    int page; /* index into body pages */
} destpage;

static int find_dest_page(const strmap *m, const char *dest)
{
    uintptr_t v = (uintptr_t)strmap_get(m, dest);
    return v ? (int)(v - 1) : -1;
}

/* A copy of s (in the layout's arena) without noncharacters, which cairo
 * refuses in outline titles (see para_scrub). */
static const char *scrubbed(lay *L, const char *s)
{
    if (!s)
        return s;
    char *c = arena_strdup(L->a, s);
    para_scrub(c, strlen(c));
    return c;
}

/* The PDF outline mirrors every heading: chapters, then their sections
 * nested by level (a skipped level nests one deeper only). */
static void build_outline(lay *L)
{
    const book *b = L->b;
    for (int ci = 0; ci < b->nch; ci++) {
        const chapter *ch = &b->ch[ci];
        if (!ch->doc)
            continue;
        GROW(L->out->outline, L->out->capoutline, L->out->noutline + 1);
        L->out->outline[L->out->noutline++] =
            (outline_entry){scrubbed(L, ch->title), ch->title_id ? ch->title_id : arena_printf(L->a, "_ch%d", ci + 1), 0};
        int base = ch->title_node ? cmark_node_get_heading_level(ch->title_node) : 1;
        int prev = 0;
        cmark_iter *it = cmark_iter_new(ch->doc);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *n = cmark_iter_get_node(it);
            if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING || n == ch->title_node)
                continue;
            const anno *a = node_anno(n);
            if (!a || !a->text[0])
                continue;
            int depth = cmark_node_get_heading_level(n) - base;
            if (depth < 1)
                depth = 1;
            if (depth > prev + 1)
                depth = prev + 1;
            prev = depth;
            GROW(L->out->outline, L->out->capoutline, L->out->noutline + 1);
            L->out->outline[L->out->noutline++] = (outline_entry){scrubbed(L, a->text), a->id, depth};
        }
        cmark_iter_free(it);
    }
}

/* "2021-01-01" as a reader writes it: "1 januari 2021" in a Dutch book. */
static const char *long_date(lay *L, const char *date)
{
    static const char *const nl[] = {"januari", "februari", "maart", "april", "mei", "juni", "juli",
                                     "augustus", "september", "oktober", "november", "december"};
    static const char *const en[] = {"January", "February", "March", "April", "May", "June", "July",
                                     "August", "September", "October", "November", "December"};
    int y = 0, m = 0, d = 0;
    int n = sscanf(date, "%d-%d-%d", &y, &m, &d);
    int dutch = !strncmp(L->b->meta.lang, "nl", 2);
    const char *const *months = dutch ? nl : en;
    if (n >= 2 && m >= 1 && m <= 12) {
        if (n == 3)
            return arena_printf(L->a, "%d %s %d", d, months[m - 1], y);
        return arena_printf(L->a, "%s %d", months[m - 1], y);
    }
    return date;
}

static void title_page(lay *L, page *pg)
{
    const meta *m = &L->b->meta;
    double w = L->out->width, x = margin_left(L), measure = L->measure;
    double y = L->out->height * 0.28;
    ptag(pg, 1, "Div", NULL);
    ptag(pg, 1, "P", NULL);
    L->file = L->b->yaml_name;
    L->line = m->title_line;
    y = text_line(L, pg, m->title, FONT_HEADING, L->size * 2.6, L->s->accent, x, y, ALIGN_CENTER, measure, 0);
    ptag(pg, 0, "P", NULL);
    if (m->subtitle) {
        ptag(pg, 1, "P", NULL);
        L->line = m->subtitle_line;
        y = text_line(L, pg, m->subtitle, FONT_HEADING_REGULAR, L->size * 1.35, L->s->muted, x, y + L->size,
                      ALIGN_CENTER, measure, 0);
        ptag(pg, 0, "P", NULL);
    }
    y += L->size * 4;
    L->line = m->author_line;
    for (int i = 0; i < m->nauthors; i++) {
        ptag(pg, 1, "P", NULL);
        y = text_line(L, pg, m->authors[i], FONT_BODY, L->size * 1.2, L->s->text, x, y, ALIGN_CENTER, measure, 0);
        ptag(pg, 0, "P", NULL);
    }
    double py = L->out->height * 0.82;
    if (m->publisher) {
        ptag(pg, 1, "P", NULL);
        L->line = m->publisher_line;
        py = text_line(L, pg, m->publisher, FONT_BODY_ITALIC, L->size, L->s->muted, x, py, ALIGN_CENTER, measure, 0);
        ptag(pg, 0, "P", NULL);
    }
    ptag(pg, 1, "P", NULL);
    text_line(L, pg, long_date(L, m->date), FONT_BODY, L->size * 0.9, L->s->muted, x, py + L->size * 0.5, ALIGN_CENTER,
              measure, 0);
    ptag(pg, 0, "P", NULL);
    ptag(pg, 0, "Div", NULL);
    L->file = NULL;
    L->line = 0;
    (void)w;
}

/* The table of contents: entries with dot leaders and page numbers. */
static void toc_pages(lay *L, const strmap *dests, const char *const *body_labels)
{
    const book *b = L->b;
    page *pg = NULL;
    double x0 = margin_left(L);
    double y = 0, bottom = margin_top(L) + L->area_h;
    int npages = 0;
    double numw = L->size * 2.2;
    for (int ci = 0; ci <= b->nch; ci++) {
        /* entries: the chapter, then its sections (level 2 relative) */
        const chapter *ch = ci < b->nch ? &b->ch[ci] : NULL;
        if (ch && !ch->doc)
            continue;
        cmark_iter *it = ch ? cmark_iter_new(ch->doc) : NULL;
        int first = 1;
        int base = ch && ch->title_node ? cmark_node_get_heading_level(ch->title_node) : 1;
        while (ch) {
            const char *text, *dest;
            int depth;
            if (first) {
                text = ch->title;
                dest = ch->title_id ? ch->title_id : arena_printf(L->a, "_ch%d", ci + 1);
                depth = 0;
                first = 0;
            } else {
                cmark_event_type ev;
                cmark_node *h = NULL;
                while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
                    cmark_node *n = cmark_iter_get_node(it);
                    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING &&
                        n != ch->title_node && cmark_node_get_heading_level(n) == base + 1) {
                        h = n;
                        break;
                    }
                }
                if (!h)
                    break;
                const anno *a = node_anno(h);
                if (!a || !a->text[0])
                    continue;
                text = a->text;
                dest = a->id;
                depth = 1;
            }
            int pidx = find_dest_page(dests, dest);
            const char *num = pidx >= 0 ? body_labels[pidx] : "";
            double size = depth == 0 ? L->size * 1.05 : L->size;
            int font = depth == 0 ? FONT_HEADING : FONT_BODY;
            double indent = depth * L->size * 1.5;
            double lh = size * 1.45 + (depth == 0 ? L->size * 0.5 : 0);
            if (!pg || y + lh > bottom) {
                pg = new_page(L->out, PAGE_TOC, -1);
                npages++;
                y = margin_top(L);
                if (npages == 1) {
                    ptag(pg, 1, "TOC", NULL);
                    pitem d;
                    memset(&d, 0, sizeof d);
                    d.kind = PI_DEST;
                    d.x = x0;
                    d.y = y;
                    d.dest = "_toc";
                    page_add(pg, &d);
                    ptag(pg, 1, "Caption", NULL);
                    y = text_line(L, pg, l10n(b->meta.lang, L_TOC), FONT_HEADING, style_pt(L->s->h_size[0], L->size),
                                  L->s->accent, x0, y + L->size * 2, ALIGN_LEFT, L->measure, 0);
                    ptag(pg, 0, "Caption", NULL);
                    y += L->size * 1.5;
                }
            }
            double baseline = y + (depth == 0 ? L->size * 0.5 : 0) + size;
            ptag(pg, 1, "TOCI", NULL);
            ptag(pg, 1, "Reference", NULL);
            /* the whole entry is a link (its area is set below) */
            pitem *lopen = page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = 1, .dest = dest, .alt = text});
            size_t lopen_at = (size_t)(lopen - pg->items);
            double measure = L->measure - indent - numw - L->size;
            double endx = text_line(L, pg, text, font, size, depth == 0 ? L->s->text : L->s->text, x0 + indent,
                                    baseline, ALIGN_LEFT, measure, 0);
            int nlines = (int)((endx - baseline) / (size * 1.25) + 0.5);
            double last_base = baseline + (nlines - 1) * size * 1.25;
            /* width of the last line: from the last glyph run added */
            double text_end = x0 + indent;
            for (size_t k = pg->n; k-- > 0;) {
                if (pg->items[k].kind == PI_GLYPHS) {
                    text_end = pg->items[k].x + pg->items[k].w;
                    break;
                }
            }
            /* dot leaders at a fixed pitch so they line up */
            double pitch = L->size * 0.55;
            double lx = ceil((text_end - x0 + L->size * 0.6) / pitch) * pitch + x0;
            double lend = x0 + L->measure - numw;
            int ndots = (int)floor((lend - lx) / pitch);
            if (ndots > 0) {
                /* one shaped dot, repeated at the pitch; leaders are
                 * decoration: no text, marked as an artifact */
                shaped dot;
                shape(&L->fs->f[FONT_BODY], size, ".", 1, "liga=0", L->b->meta.lang, &dot);
                if (dot.n == 1) {
                    pglyph *g = arena_alloc(L->a, (size_t)ndots * sizeof *g);
                    for (int q = 0; q < ndots; q++) {
                        g[q].id = dot.gid[0];
                        g[q].x = (float)(q * pitch);
                        g[q].y = 0;
                    }
                    pcluster *cl = arena_alloc(L->a, sizeof *cl);
                    cl->bytes = 0;
                    cl->glyphs = ndots;
                    pitem dl;
                    memset(&dl, 0, sizeof dl);
                    dl.kind = PI_GLYPHS;
                    dl.x = lx;
                    dl.y = last_base;
                    dl.w = ndots * pitch;
                    dl.font = FONT_BODY;
                    dl.size = size;
                    dl.color = L->s->muted;
                    dl.text = "";
                    dl.g = g;
                    dl.ng = ndots;
                    dl.cl = cl;
                    dl.ncl = 1;
                    dl.artifact = 1;
                    page_add(pg, &dl);
                }
                shaped_free(&dot);
            }
            /* the page number, right-aligned, tabular figures */
            span sp;
            memset(&sp, 0, sizeof sp);
            sp.text = num;
            sp.len = strlen(num);
            sp.st.font = font;
            sp.st.size = size;
            sp.st.color = L->s->text;
            sp.st.tabular = 1;
            para_opts o = popts(L, numw, ALIGN_LEFT, 0);
            pline *nl_lines;
            int nn = para_break(&L->pc, &sp, 1, &o, &nl_lines);
            if (nn > 0)
                emit_line(L, pg, &nl_lines[0], x0 + L->measure - nl_lines[0].width, last_base);
            pitem *lo = &pg->items[lopen_at];
            lo->x = x0 + indent;
            lo->y = baseline - size;
            lo->w = L->measure - indent;
            lo->h = last_base - baseline + size * 1.3;
            page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = 2});
            ptag(pg, 0, "Reference", NULL);
            ptag(pg, 0, "TOCI", NULL);
            y = last_base + size * 0.45 + (depth == 0 ? 0 : 0);
        }
        if (it)
            cmark_iter_free(it);
    }
    if (pg)
        ptag(pg, 0, "TOC", NULL);
}

/* One shaped line (no breaking) in a single style; returns its width and
 * the line in *out. */
/* The text as one line no wider than the measure: returns its width, or
 * -1 when it is wider. Text far wider than the measure is refused by a
 * sum of advances that stops at the measure, before any shaping (a title
 * of a megabyte costs the same on each page as one of a line). */
static double one_line(lay *L, const char *text, int font, double size, rgb color, int tabular, pline **out)
{
    const gb_font *f = &L->fs->f[font];
    double est = 0;
    size_t len = strlen(text);
    for (size_t i = 0; i < len && est <= 2 * L->measure;) {
        int l;
        uint32_t cp = utf8_decode(text + i, len - i, &l);
        est += font_has(f, cp) ? font_advance(f, size, cp) : 0.5 * size;
        i += (size_t)l;
    }
    if (est > 2 * L->measure)
        return -1;
    span sp;
    memset(&sp, 0, sizeof sp);
    sp.text = text;
    sp.len = strlen(text);
    sp.st.font = font;
    sp.st.size = size;
    sp.st.color = color;
    sp.st.tabular = tabular;
    para_opts o = popts(L, 2 * L->measure, ALIGN_LEFT, 0);
    o.line = L->line;
    if (para_break(&L->pc, &sp, 1, &o, out) != 1)
        return -1;
    return (*out)[0].width;
}

static void emit_artifact_line(lay *L, page *pg, const pline *ln, double x, double base)
{
    size_t before = pg->n;
    emit_line(L, pg, ln, x, base);
    for (size_t k = before; k < pg->n; k++)
        pg->items[k].artifact = 1;
}

/* The running foot: book and chapter title at the left, the page number
 * at the right, under a thin rule. It sits below the text so that every
 * page's text starts with its own body text. Left out on the title page
 * and on chapter openings. */
static void page_foot(lay *L, page *pg)
{
    if (pg->kind != PAGE_BODY && pg->kind != PAGE_TOC)
        return;
    const book *b = L->b;
    double x0 = margin_left(L);
    double rule_y = margin_top(L) + L->area_h + L->size * 1.2;
    double base = rule_y + L->size * 1.5;
    double hs = L->size * 0.82;
    const chapter *ch = pg->chapter >= 0 && pg->kind == PAGE_BODY ? &b->ch[pg->chapter] : NULL;
    rgb accent = ch && ch->theme > 0 && ch->theme <= L->s->ntheme ? L->s->theme[ch->theme - 1] : L->s->accent;
    pline *num;
    double nw = one_line(L, pg->label, FONT_HEADING, hs * 1.1, accent, 1, &num);
    if (nw >= 0)
        emit_artifact_line(L, pg, num, x0 + L->measure - nw, base);
    double room = L->measure - (nw > 0 ? nw : 0) - L->size * 2;
    pline *bt, *ct;
    const char *file = L->file;
    int line = L->line;
    L->file = L->b->yaml_name; /* the book's title: its characters are book.yaml's */
    L->line = L->b->meta.title_line;
    double bw = one_line(L, b->meta.title, FONT_HEADING_REGULAR, hs, L->s->muted, 0, &bt);
    L->file = file;
    L->line = line;
    double cw = ch ? one_line(L, ch->title, FONT_HEADING_REGULAR, hs, accent, 0, &ct) : -1;
    double gap = L->size * 1.2;
    if (cw >= 0 && bw >= 0 && bw + gap + cw <= room) {
        emit_artifact_line(L, pg, bt, x0, base);
        emit_artifact_line(L, pg, ct, x0 + bw + gap, base);
    } else if (cw >= 0 && cw <= room) {
        emit_artifact_line(L, pg, ct, x0, base);
    } else if (bw >= 0 && bw <= room) {
        emit_artifact_line(L, pg, bt, x0, base);
    }
    pitem r;
    memset(&r, 0, sizeof r);
    r.kind = PI_RULE;
    r.x = x0;
    r.y = rule_y;
    r.w = L->measure;
    r.h = 0.4;
    r.color = L->s->rule;
    r.artifact = 1;
    page_add(pg, &r);
}

/* ---- the pipeline ---- *
 *
 * Chapters are independent until their pages are drawn: worker threads
 * (and the page stage itself, when it would otherwise wait) lay out whole
 * chapters, each into its own vertical list, arena, diagnostics and page
 * breaks, taking them in book order. The page stage turns one chapter at a
 * time into pages, hands them to the sink and frees the chapter, so memory
 * holds only the chapters between the one being drawn and the workers,
 * who stay at most LAYOUT_AHEAD bytes of Markdown ahead. Every result is
 * made per chapter and joined in book order: the output is the same
 * whatever the thread count and timing. The table of contents needs every
 * page number, so its pages come last; the PDF writer moves them to the
 * front (pdfpost). */

#define LAYOUT_AHEAD (256u * 1024u)

typedef struct cmark_pos {
    cmark_node *node;
    size_t off;
    int page;  /* page within the chapter, 0-based */
} cmark_pos;

typedef struct chap_slot {
    int state;            /* 0 waiting, 1 being laid out, 2 paged */
    vitem *v;
    size_t n;
    arena a;
    diag d;
    strset warned;
    pbreak *pb;
    size_t npb;
    cmark_pos *marks;     /* where each page's body text begins (kept to the end) */
    size_t nmarks;
} chap_slot;

struct layout_job {
    lay base;             /* settings shared by every chapter */
    chap_slot *slot;
    int nch;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int next;             /* the next chapter to take */
    int consumed;         /* chapters before this one are drawn and freed */
    int npaged;
    int stop;
    pthread_t tid[8];
    int nt;
    buf *trace;           /* receives the layout trace, or NULL */
};

/* Lays out chapter ci completely (vertical list, page breaks, page marks)
 * with the shape cache of the calling thread. */
static void do_chapter(layout_job *j, int ci, shape_cache *cache)
{
    chap_slot *sl = &j->slot[ci];
    lay L = j->base;
    L.v = NULL;
    L.n = L.cap = 0;
    L.a = &sl->a;
    L.d = &sl->d;
    L.pc.a = &sl->a;
    L.pc.d = &sl->d;
    L.pc.warned = &sl->warned;
    L.pc.cache = cache;
    if (j->base.b->ch[ci].doc)
        chapter_blocks(&L, ci);
    sl->v = L.v;
    sl->n = L.n;
    sl->pb = build_pages(&L, &sl->npb);
    /* the page map: the first body line of every page */
    sl->marks = xcalloc(sl->npb + 1, sizeof *sl->marks);
    for (size_t p = 0; p < sl->npb; p++)
        for (size_t i = sl->pb[p].start; i < sl->pb[p].end; i++) {
            const vitem *v = &sl->v[i];
            if (v->k == V_LINE && v->ln && v->body && v->ln->src) {
                sl->marks[sl->nmarks++] = (cmark_pos){v->ln->src, v->ln->src_off, (int)p};
                break;
            }
        }
}

/* May chapter ci be started now? (Called with the lock held.) */
static int may_start(const layout_job *j, int ci)
{
    if (ci <= j->consumed)
        return 1;
    size_t ahead = 0;
    for (int k = j->consumed; k <= ci; k++)
        ahead += j->base.b->ch[k].len;
    return ahead <= LAYOUT_AHEAD;
}

static void finish_chapter(layout_job *j, int ci)
{
    pthread_mutex_lock(&j->mu);
    j->slot[ci].state = 2;
    j->npaged++;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

static void *worker_main(void *arg)
{
    layout_job *j = arg;
    pthread_setname_np(pthread_self(), "gb-layout"); /* for profilers and debuggers */
    shape_cache *cache = shape_cache_new();
    for (;;) {
        pthread_mutex_lock(&j->mu);
        while (!j->stop && j->next < j->nch && !may_start(j, j->next))
            pthread_cond_wait(&j->cv, &j->mu);
        if (j->stop || j->next >= j->nch) {
            pthread_mutex_unlock(&j->mu);
            break;
        }
        int ci = j->next++;
        j->slot[ci].state = 1;
        pthread_mutex_unlock(&j->mu);
        do_chapter(j, ci, cache);
        finish_chapter(j, ci);
    }
    shape_cache_free(cache);
    return NULL;
}

static int thread_count(void)
{
    const char *e = getenv("GOODIEBAG_THREADS");
    long n = e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 8)
        n = 8;
    return (int)n;
}

layout_job *layout_start(const book *b, const style *s, const fontset *fs, const hyph *h)
{
    layout_job *j = xcalloc(1, sizeof *j);
    lay *L = &j->base;
    L->b = b;
    L->s = s;
    L->fs = fs;
    L->size = s->size;
    L->lh = s->size * s->leading;
    L->measure = s->page_w - style_pt(s->margin_inner, s->size) - style_pt(s->margin_outer, s->size);
    L->area_h = s->page_h - style_pt(s->margin_top, s->size) - style_pt(s->margin_bottom, s->size);
    /* a whole number of body lines per page keeps the bottom line steady */
    L->area_h = floor(L->area_h / L->lh) * L->lh;
    L->pc.fs = fs;
    L->pc.h = h;
    j->nch = b->nch;
    j->slot = xcalloc((size_t)b->nch + 1, sizeof *j->slot);
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    /* the calling thread lays out too, when it would otherwise wait */
    int nt = thread_count() - 1;
    if (nt > b->nch - 1)
        nt = b->nch - 1;
    for (int t = 0; t < nt; t++)
        if (pthread_create(&j->tid[j->nt], NULL, worker_main, j) == 0)
            j->nt++;
    return j;
}

/* Waits until chapter ci is paged, laying it out here if no worker has
 * taken it yet. */
static void await_chapter(layout_job *j, int ci, shape_cache *cache)
{
    pthread_mutex_lock(&j->mu);
    if (j->slot[ci].state == 0 && j->next == ci) {
        j->next++;
        j->slot[ci].state = 1;
        pthread_mutex_unlock(&j->mu);
        do_chapter(j, ci, cache);
        finish_chapter(j, ci);
        return;
    }
    while (j->slot[ci].state != 2)
        pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
}

static void release_chapter(layout_job *j, int ci)
{
    chap_slot *sl = &j->slot[ci];
    free(sl->v);
    free(sl->pb);
    arena_free(&sl->a);
    strset_free(&sl->warned);
    sl->v = NULL;
    sl->pb = NULL;
    sl->n = 0;
    pthread_mutex_lock(&j->mu);
    j->consumed = ci + 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

void layout_set_trace(layout_job *j, buf *out)
{
    j->trace = out;
}

/* The trace of body page pg, made of the chapter's items [pb->start,
 * pb->end): what the page builder put on it, as it measured it. */
static void trace_body_page(const lay *L, buf *t, const page *pg, const pbreak *pb)
{
    trace_page(t, pg);
    double y = 0, used = 0;
    for (size_t i = pb->start; i < pb->end; i++) {
        const vitem *v = &L->v[i];
        y += v->h;
        if (!discardable(v) && !transparent(v))
            used = y;
        if (v->k == V_LINE)
            trace_line(t, v->heading ? "head" : v->code ? "code" : "line", v->ln, L->measure - v->x);
        else if (v->k == V_LABEL)
            trace_mark(t, "label", v->label);
        else if (v->k == V_SPACE)
            trace_box(t, "space", 0, v->h);
        else if (v->k == V_IMAGE)
            trace_box(t, "image", v->img_w, v->h);
        else if (v->k == V_RULE)
            trace_box(t, "rule", v->rule_w, v->h);
    }
    trace_break(t, pb->reason, used, L->area_h);
}

static void sink_page(lay *L, page *pg, page_sink sink, void *sink_ctx)
{
    if (sink) {
        page_foot(L, pg);
        sink(sink_ctx, pg);
    }
    free(pg->items);
    pg->items = NULL;
    pg->n = pg->cap = 0;
}

void layout_run(layout_job *j, page_sink sink, void *sink_ctx, doc_layout *out, diag *d)
{
    const book *b = j->base.b;
    memset(out, 0, sizeof *out);
    out->width = j->base.s->page_w;
    out->height = j->base.s->page_h;
    lay L = j->base;
    arena page_arena = {0};
    L.out = out;
    L.d = d;
    L.pc.d = d;
    L.a = &page_arena;
    L.pc.a = &page_arena;
    strset warned = {0};
    L.pc.warned = &warned;
    L.pc.cache = shape_cache_new();
    const char **labels = NULL; /* every page, in reading order */
    size_t nlabels = 0, caplabels = 0;
#define LABEL(x_)                                                               \
    do {                                                                        \
        GROW(labels, caplabels, nlabels + 1);                                   \
        labels[nlabels++] = (x_);                                               \
    } while (0)

    /* front matter that needs no page numbers: cover and title page */
    page pg;
    memset(&pg, 0, sizeof pg);
    pg.kind = PAGE_COVER;
    pg.chapter = -1;
    pg.label = l10n(b->meta.lang, L_COVER);
    LABEL(pg.label);
    buf tbody = {0}; /* the body pages' trace, which follows the table of contents' */
    if (j->trace) {
        trace_header(j->trace);
        trace_item_page(j->trace, &pg, BREAK_END);
    }
    sink_page(&L, &pg, sink, sink_ctx);
    memset(&pg, 0, sizeof pg);
    pg.kind = PAGE_TITLE;
    pg.chapter = -1;
    pg.label = "i";
    LABEL("i");
    title_page(&L, &pg);
    if (j->trace)
        trace_item_page(j->trace, &pg, BREAK_END);
    sink_page(&L, &pg, sink, sink_ctx);
    arena_free(&page_arena);

    /* the body, chapter by chapter */
    strmap dests = {0};
    const char **body = NULL; /* body page labels, in the doc arena */
    size_t nbody = 0, capbody = 0;
    for (int ci = 0; ci < j->nch; ci++) {
        await_chapter(j, ci, L.pc.cache);
        chap_slot *sl = &j->slot[ci];
        diag_merge(d, &sl->d);
        diag_free(&sl->d);
        L.v = sl->v;
        L.n = sl->n;
        for (size_t p = 0; p < sl->npb; p++) {
            const pbreak *pbk = &sl->pb[p];
            int opening = 0;
            for (size_t i = pbk->start; i < pbk->end && !opening; i++)
                opening = L.v[i].k == V_NEWPAGE;
            if (p > 0 && pbk->start > 0 && L.v[pbk->start - 1].k == V_NEWPAGE)
                opening = 1;
            const char *label = arena_printf(&out->a, "%zu", nbody + 1);
            GROW(body, capbody, nbody + 1);
            body[nbody++] = label;
            for (size_t i = pbk->start; i < pbk->end; i++)
                if (L.v[i].dest)
                    strmap_put(&dests, L.v[i].dest, (void *)(uintptr_t)nbody);
            memset(&pg, 0, sizeof pg);
            pg.kind = opening ? PAGE_OPENING : PAGE_BODY;
            pg.chapter = L.v[pbk->start].chapter;
            pg.label = label;
            pg.number = (int)nbody;
            for (size_t i = pbk->end; i-- > pbk->start;)
                if (L.v[i].k == V_LINE) {
                    pg.hyphen_at_foot = L.v[i].ln && L.v[i].ln->hyphenated;
                    break;
                }
            if (sink)
                emit_vitems(&L, &pg, pbk->start, pbk->end);
            if (j->trace)
                trace_body_page(&L, &tbody, &pg, pbk);
            sink_page(&L, &pg, sink, sink_ctx);
            arena_free(&page_arena);
        }
        L.v = NULL;
        L.n = 0;
        release_chapter(j, ci);
    }

    /* the table of contents, now that every page number is known */
    L.a = &out->a;
    L.pc.a = &out->a;
    size_t toc_first = out->npages;
    toc_pages(&L, &dests, body);
    out->toc_at = 2;
    out->ntoc = out->npages - toc_first;
    const char **all = xmalloc((nlabels + out->ntoc + nbody + 1) * sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < nlabels; i++)
        all[n++] = labels[i];
    for (size_t p = 0; p < out->ntoc; p++) {
        page *tp = &out->pages[toc_first + p];
        tp->label = roman(&out->a, (int)(p + 2));
        all[n++] = tp->label;
        if (j->trace) /* toc_pages starts a page when the next entry does not fit */
            trace_item_page(j->trace, tp, p + 1 < out->ntoc ? BREAK_FULL : BREAK_END);
        sink_page(&L, tp, sink, sink_ctx);
    }
    if (j->trace)
        buf_add(j->trace, tbody.data, tbody.len);
    buf_free(&tbody);
    for (size_t i = 0; i < nbody; i++)
        all[n++] = body[i];
    out->labels = all;
    out->nlabels = n;
    L.a = &out->a;
    build_outline(&L);
    free(labels);
    free(body);
    strmap_free(&dests);
    strset_free(&warned);
    shape_cache_free(L.pc.cache);
#undef LABEL
}

void layout_pagemap(layout_job *j, pagemap *pm)
{
    pthread_mutex_lock(&j->mu);
    while (j->npaged < j->nch && !j->stop)
        pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
    int base = 0;
    char label[32];
    for (int ci = 0; ci < j->nch; ci++) {
        const chap_slot *sl = &j->slot[ci];
        for (size_t k = 0; k < sl->nmarks; k++) {
            snprintf(label, sizeof label, "%d", base + sl->marks[k].page + 1);
            pagemap_add(pm, ci, sl->marks[k].node, sl->marks[k].off, label);
        }
        base += (int)sl->npb;
    }
}

void layout_end(layout_job *j)
{
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->stop = 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    for (int t = 0; t < j->nt; t++)
        pthread_join(j->tid[t], NULL);
    for (int ci = 0; ci < j->nch; ci++) {
        chap_slot *sl = &j->slot[ci];
        free(sl->v);
        free(sl->pb);
        free(sl->marks);
        arena_free(&sl->a);
        diag_free(&sl->d);
        strset_free(&sl->warned);
    }
    free(j->slot);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    free(j);
}

void layout_free(doc_layout *l)
{
    for (size_t p = 0; p < l->npages; p++)
        free(l->pages[p].items);
    free(l->pages);
    free(l->outline);
    free(l->labels);
    arena_free(&l->a);
    memset(l, 0, sizeof *l);
}
