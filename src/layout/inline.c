/* inline — the inline content of a block (text, emphasis, code, links,
 * images in the text, inline HTML that changes the style) as styled spans
 * for the paragraph breaker. See lay.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/lay.h"
#include "model/notes.h"
#include "model/gfm.h"
#include "model/sanitize.h"

/* Emphasis, strong and links nested deeper than this take the style of
 * the deepest level kept; inline HTML elements open at once beyond
 * MAX_HTML_OPEN change no style (names are compared in HTML_NAME_MAX
 * bytes). Bounds, not features: real text stays far below them. */
enum { MAX_INLINE_DEPTH = 64, MAX_HTML_OPEN = 32, HTML_NAME_MAX = 16 };

static void add_span(spanlist *sl, const char *t, size_t len, tstyle st, cmark_node *src, size_t off)
{
    GROW(sl->v, sl->cap, (size_t)sl->n + 1);
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

static tstyle mkstyle(const lay *L, const istate *is)
{
    tstyle t;
    memset(&t, 0, sizeof t);
    t.font = style_font(is->bold, is->italic, is->mono, is->heading);
    t.size = is->mono && !is->heading ? style_pt(L->s->code_size, is->size) : is->size;
    t.color = is->link && !is->heading ? L->s->link : is->color;
    t.link = is->link;
    t.code = is->mono;
    t.strike = is->strike;
    return t;
}

span text_span(const char *text, size_t len, int font, double size, rgb color)
{
    return (span){.text = text, .len = len, .st = {.font = font, .size = size, .color = color}};
}

/* A forced line break. */
static void add_break(spanlist *sl, tstyle st)
{
    add_span(sl, NULL, 0, st, NULL, 0);
    sl->v[sl->n - 1].hard_break = 1;
}

/* The walk over a block's inline content. */
typedef struct iwalk {
    lay *L;
    spanlist *sl;
    istate st[MAX_INLINE_DEPTH]; /* the style of each open emphasis, strong or link */
    int depth;
    int skip_raw;                /* inside <script> or <style> */
    /* HTML inline elements that change the style, matched by name */
    char html_open[MAX_HTML_OPEN][HTML_NAME_MAX];
    istate html_saved[MAX_HTML_OPEN];
    int nhtml;
} iwalk;

/* Emphasis, strong or a link: a style level that lasts until its exit. */
static void push_style(iwalk *w, cmark_node *n, cmark_node_type t)
{
    if (w->depth + 1 >= MAX_INLINE_DEPTH)
        return;
    w->st[w->depth + 1] = w->st[w->depth];
    istate *s = &w->st[++w->depth];
    if (t == CMARK_NODE_EMPH) {
        s->italic = !s->italic;
    } else if (t == CMARK_NODE_STRONG) {
        s->bold = 1;
    } else if (t != CMARK_NODE_LINK) {
        s->strike = 1; /* GFM_STRIKETHROUGH */
    } else {
        const anno *a = node_anno(n);
        if (a && (a->href || a->target_chapter >= 0))
            s->link = a;
    }
}

/* An image inside text: drawn in the line, one body size high (its
 * description in brackets if it could not be loaded). */
static void inline_image(lay *L, spanlist *sl, cmark_node *n, const istate *cur)
{
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
}

/* Inline HTML (sanitised): <br>, <script> and <style> (their text is
 * skipped), and the elements that change the style until they close. */
static void inline_html(iwalk *w, cmark_node *n)
{
    const anno *a = node_anno(n);
    if (!a || !a->tag || !a->tag->name[0])
        return;
    istate *cur = &w->st[w->depth];
    const char *nm = a->tag->name;
    if (!strcmp(nm, "script") || !strcmp(nm, "style")) {
        w->skip_raw = !a->tag->closing;
    } else if (!strcmp(nm, "br")) {
        add_break(w->sl, mkstyle(w->L, cur));
    } else if (!a->tag->closing && !a->tag->empty && w->nhtml < MAX_HTML_OPEN) {
        snprintf(w->html_open[w->nhtml], sizeof w->html_open[0], "%s", nm);
        w->html_saved[w->nhtml] = *cur;
        w->nhtml++;
        if (!strcmp(nm, "em") || !strcmp(nm, "i") || !strcmp(nm, "cite") || !strcmp(nm, "dfn") || !strcmp(nm, "var"))
            cur->italic = !cur->italic;
        else if (!strcmp(nm, "strong") || !strcmp(nm, "b"))
            cur->bold = 1;
        else if (!strcmp(nm, "code") || !strcmp(nm, "kbd") || !strcmp(nm, "samp"))
            cur->mono = 1;
    } else if (a->tag->closing) {
        for (int k = w->nhtml; k-- > 0;)
            if (!strcmp(w->html_open[k], nm)) {
                *cur = w->html_saved[k];
                w->nhtml = k;
                break;
            }
    }
}

/* The text of a TEXT or CODE node as a span in style is. */
static void literal_span(lay *L, spanlist *sl, cmark_node *n, const istate *is)
{
    const char *lit = cmark_node_get_literal(n);
    if (lit && *lit)
        add_span(sl, lit, strlen(lit), mkstyle(L, is), n, 0);
}

/* A footnote's mark (footnotes.c lays out the note): its number, raised
 * and smaller, a link to the note. */
static void note_mark_span(lay *L, spanlist *sl, cmark_node *n, const istate *is)
{
    const anno *a = node_anno(n);
    if (!a || a->kind != ANNO_NOTEREF)
        return;
    istate m = *is;
    m.bold = m.italic = m.mono = 0;
    m.size = is->size * NOTE_MARK_SIZE;
    m.link = a;
    tstyle st = mkstyle(L, &m);
    st.rise = is->size * NOTE_MARK_RISE;
    const char *num = arena_printf(L->a, "%d", a->note->number);
    add_span(sl, num, strlen(num), st, NULL, 0);
}

/* Collects the inline content of a block into spans. */
void inline_spans(lay *L, cmark_node *block, istate base, spanlist *sl)
{
    iwalk w;
    w.L = L;
    w.sl = sl;
    w.st[0] = base;
    w.depth = 0;
    w.skip_raw = 0;
    w.nhtml = 0;
    cmark_iter *it = cmark_iter_new(block);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n == block)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        const istate *cur = &w.st[w.depth];
        int styled = t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK ||
                     gfm_kind_of(n) == GFM_STRIKETHROUGH;
        if (ev == CMARK_EVENT_EXIT) {
            if (styled && w.depth > 0)
                w.depth--;
            continue;
        }
        if (styled) {
            push_style(&w, n, t);
        } else if (t == CMARK_NODE_TEXT) {
            if (!w.skip_raw)
                literal_span(L, sl, n, cur);
        } else if (t == CMARK_NODE_CODE) {
            istate c = *cur;
            c.mono = 1;
            literal_span(L, sl, n, &c);
        } else if (t == CMARK_NODE_SOFTBREAK) {
            if (!w.skip_raw)
                add_span(sl, " ", 1, mkstyle(L, cur), NULL, 0);
        } else if (t == CMARK_NODE_LINEBREAK) {
            add_break(sl, mkstyle(L, cur));
        } else if (t == CMARK_NODE_IMAGE) {
            inline_image(L, sl, n, cur);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
        } else if (t == CMARK_NODE_HTML_INLINE) {
            inline_html(&w, n);
        } else if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
            note_mark_span(L, sl, n, cur);
        }
    }
    cmark_iter_free(it);
}
