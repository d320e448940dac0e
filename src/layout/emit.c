/* emit — a page's share of the vertical list turned into positioned page
 * items (page.h), with the structure tags and links the PDF's tagging
 * needs; and the running foot, added to each page as it is handed on.
 * See lay.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "layout/lay.h"

page *new_page(doc_layout *d, page_kind k, int chap)
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
        li->dest = lk->target_id ? lk->target_id : chapter_dest(L, lk->target_chapter);
    }
}

void ptag(page *pg, int open, const char *tag, const char *alt)
{
    pitem t;
    memset(&t, 0, sizeof t);
    t.kind = open ? PI_TAG_OPEN : PI_TAG_CLOSE;
    t.tag = tag;
    t.alt = alt;
    page_add(pg, &t);
}

/* The line through struck-through text: a rule at about half the
 * x-height, as thick as an underline, in the text's colour. */
static void strike_rule(page *pg, const lrun *rn, double ox, double baseline)
{
    double h = rn->st.size * 0.05;
    page_add(pg, &(pitem){.kind = PI_RULE, .x = ox + rn->x, .y = baseline - rn->st.size * 0.25 - h / 2, .w = rn->w,
                          .h = h, .color = rn->st.color});
}

/* Emits a line's glyph runs. Runs of one link are wrapped in a link (its
 * clickable area is their extent on this line, its description the link's
 * whole text); in a paragraph with links or images, the other text goes in
 * Span elements, because cairo 1.16 marks only the content of leaf
 * structure elements. */
void emit_line(lay *L, page *pg, const pline *ln, double ox, double baseline)
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
        if (lk && lk->kind == ANNO_NOTEREF && lk->dest) /* a note's link back lands here */
            page_add(pg, &(pitem){.kind = PI_DEST, .x = ox + run->x, .y = baseline - L->size, .dest = lk->dest});
        if (lk) {
            open.kind = PI_LINK;
            open.link_mode = LINK_OPEN;
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
            page_add(pg, &(pitem){.kind = PI_GLYPHS, .x = ox + rn->x, .y = baseline - rn->st.rise, .w = rn->w,
                                  .font = rn->st.font, .size = rn->st.size, .color = rn->st.color,
                                  .text = rn->text, .text_len = rn->text_len, .g = rn->g, .ng = rn->ng,
                                  .cl = rn->cl, .ncl = rn->ncl});
            if (rn->st.strike)
                strike_rule(pg, rn, ox, baseline);
        }
        if (lk) {
            page_add(pg, &(pitem){.kind = PI_LINK, .link_mode = LINK_CLOSE});
        } else if (ln->wrap) {
            open.kind = PI_TAG_CLOSE;
            page_add(pg, &open);
        }
        r = e;
    }
}

double margin_left(const lay *L)
{
    return style_pt(L->s->margin_inner, L->size);
}

double margin_top(const lay *L)
{
    return style_pt(L->s->margin_top, L->size);
}

/* How far a list marker looks ahead for its item's first line. */
#define LABEL_LOOKAHEAD 64

/* A list marker (item i, at y), on the baseline of its item's first line
 * when that is on this page (items before e). */
static void emit_label(lay *L, page *pg, size_t i, size_t e, double x0, double y)
{
    double dy = 0, base = y + L->lh * 0.75;
    for (size_t j = i + 1; j < e && j < i + LABEL_LOOKAHEAD; j++) {
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
    emit_line(L, pg, L->v[i].label, x0 + L->v[i].label_x, base);
    ptag(pg, 0, "Lbl", NULL);
}

/* A line of the vertical list at y: its bars, its text, and the
 * continuation mark of a wrapped code line. */
static void emit_vline(lay *L, page *pg, const vitem *v, double x0, double y)
{
    double base = y + v->base;
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
        page_add(pg, &(pitem){.kind = PI_MARK, .x = x0 + v->x - L->size * 0.95, .y = base, .w = L->size * 0.6,
                              .h = L->size * 0.5, .color = L->s->muted, .artifact = 1});
    }
}

void emit_vitems(lay *L, page *pg, size_t s, size_t e)
{
    double x0 = margin_left(L), y = margin_top(L);
    int at_top = 1;
    size_t first = s;
    while (first < e && discardable(&L->v[first]))
        first++;
    if (table_repeat_h(L, first) > 0) { /* a table continued: its header rows again */
        const trow *r = L->v[first].row;
        for (int h = 0; h < r->nhead; h++) {
            table_emit_row(L, pg, r->head[h], x0 + L->v[first].x, y, 1);
            y += r->head[h]->h;
        }
    }
    for (size_t i = s; i < e; i++) {
        const vitem *v = &L->v[i];
        if (v->dest)
            page_add(pg, &(pitem){.kind = PI_DEST, .x = x0 + v->x, .y = y, .dest = v->dest});
        switch (v->k) {
        case V_TAG_OPEN:
        case V_TAG_CLOSE:
            ptag(pg, v->k == V_TAG_OPEN, v->tag, v->alt);
            break;
        case V_LABEL:
            emit_label(L, pg, i, e, x0, y);
            break;
        case V_LINE:
            emit_vline(L, pg, v, x0, y);
            break;
        case V_IMAGE:
            page_add(pg, &(pitem){.kind = PI_IMAGE, .x = x0 + v->x, .y = y, .w = v->img_w, .h = v->h, .res = v->img});
            pg->has_body_text = 1;
            break;
        case V_ROW:
            table_emit_row(L, pg, v->row, x0 + v->x, y, 0);
            break;
        case V_RULE:
            page_add(pg, &(pitem){.kind = PI_RULE, .x = x0 + v->x, .y = y, .w = v->rule_w, .h = v->h,
                                  .color = v->rule_accent ? v->color : L->s->rule});
            break;
        default:
            break;
        }
        if (!(at_top && discardable(v)))
            y += v->h;
        if (!discardable(v) && !transparent(v))
            at_top = 0;
    }
}

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
    span sp = text_span(text, len, font, size, color);
    sp.st.tabular = tabular;
    if (break_span(L, &sp, 2 * L->measure, ALIGN_LEFT, L->line, out) != 1)
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
void page_foot(lay *L, page *pg)
{
    if (pg->kind != PAGE_BODY && pg->kind != PAGE_TOC)
        return;
    const book *b = L->b;
    double x0 = margin_left(L);
    double rule_y = margin_top(L) + L->area_h + L->size * 1.2;
    double base = rule_y + L->size * 1.5;
    double hs = L->size * 0.82;
    const chapter *ch = pg->chapter >= 0 && pg->kind == PAGE_BODY ? &b->ch[pg->chapter] : NULL;
    rgb accent = chapter_accent(L, ch);
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
    page_add(pg, &(pitem){.kind = PI_RULE, .x = x0, .y = rule_y, .w = L->measure, .h = 0.4, .color = L->s->rule,
                          .artifact = 1});
}
