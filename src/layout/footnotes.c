/* footnotes — a chapter's footnotes in the PDF: laid out once per chapter
 * (notes_lay_out) into lines of their own list (L->fv), which the page
 * builder (pages.c) places at the foot of the page of each note's first
 * mark, as TeX places insertions, and emit_notes draws there. The marks
 * themselves are spans of the text (inline.c: note_mark_span). See lay.h. */
#include <stdlib.h>
#include <string.h>

#include "base/l10n.h"
#include "layout/lay.h"
#include "model/notes.h"

static double note_size(const lay *L)
{
    double sz = style_pt(L->s->note_size, L->size);
    return sz < 4 ? 4 : sz > 2 * L->size ? 2 * L->size : sz;
}

/* Adds the lines of one paragraph of note nt to L->fv. */
static void note_lines(lay *L, const note *nt, const span *sp, int nsp, int line, int first, const char *dest)
{
    double size = note_size(L), lh = size * L->s->leading;
    para_opts o = popts(L, L->measure, ALIGN_JUSTIFY, 1);
    o.line = line;
    o.first_indent = first ? 0 : size;
    pline *lines;
    int nl = para_break(&L->pc, sp, nsp, &o, &lines);
    const gb_font *f = &L->fs->f[FONT_BODY];
    for (int i = 0; i < nl; i++) {
        GROW(L->fv, L->fcap, L->fn + 1);
        vitem *v = &L->fv[L->fn++];
        memset(v, 0, sizeof *v);
        v->k = V_LINE;
        v->ln = &lines[i];
        v->h = lh;
        double ls = lines[i].size > 0 ? lines[i].size : size;
        v->base = (lh - (f->ascender - f->descender) * ls) / 2 + f->ascender * ls;
        v->chapter = L->chapter;
        v->note = nt->number;
        if (i == 0)
            v->dest = first ? nt->dest : dest;
    }
}

/* Note nt's blocks: every paragraph, heading or code block in it, in
 * order, as a paragraph of the note (list markers and quote bars are not
 * drawn); the first starts with the note's number, a link to the mark. */
static void one_note(lay *L, const note *nt, anno *back)
{
    double size = note_size(L);
    istate base = {0};
    base.size = size;
    base.color = L->s->text;
    int first = 1;
    cmark_iter *it = cmark_iter_new(nt->def);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER || !(t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
                                         t == CMARK_NODE_CODE_BLOCK))
            continue;
        spanlist sl = {0};
        if (first) {
            const char *num = arena_printf(L->a, "%d\xC2\xA0", nt->number);
            GROW(sl.v, sl.cap, 1);
            sl.v[0] = text_span(num, strlen(num), FONT_BODY_BOLD, size, L->s->link);
            sl.v[0].st.link = back;
            sl.n = 1;
        }
        if (t == CMARK_NODE_CODE_BLOCK) {
            const char *lit = cmark_node_get_literal(n);
            if (lit && *lit) {
                GROW(sl.v, sl.cap, (size_t)sl.n + 1);
                sl.v[sl.n] = text_span(lit, strlen(lit), FONT_MONO, style_pt(L->s->code_size, size), L->s->text);
                sl.v[sl.n].st.code = 1;
                sl.n++;
            }
        } else {
            inline_spans(L, n, base, &sl);
        }
        /* a heading in a note: links to it land on its line */
        const anno *ha = t == CMARK_NODE_HEADING ? node_anno(n) : NULL;
        if (sl.n)
            note_lines(L, nt, sl.v, sl.n, cmark_node_get_start_line(n), first, ha ? ha->id : NULL);
        first = 0;
        free(sl.v);
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
    if (first) { /* an empty note: its number alone */
        const char *num = arena_printf(L->a, "%d", nt->number);
        span sp = text_span(num, strlen(num), FONT_BODY_BOLD, size, L->s->link);
        sp.st.link = back;
        note_lines(L, nt, &sp, 1, nt->line, 1, NULL);
    }
}

void notes_lay_out(lay *L, int ci)
{
    const chapter *ch = &L->b->ch[ci];
    L->fv = NULL;
    L->fn = L->fcap = 0;
    L->note_first = NULL;
    L->nnotes = 0;
    if (ch->nnotes <= 0)
        return;
    L->nnotes = ch->nnotes;
    L->note_first = arena_alloc(L->a, ((size_t)ch->nnotes + 1) * sizeof *L->note_first);
    for (int k = 0; k < ch->nnotes; k++) {
        const note *nt = &ch->notes[k];
        L->note_first[k] = L->fn;
        anno *back = arena_alloc(L->a, sizeof *back);
        back->kind = ANNO_LINK;
        back->target_chapter = ci;
        back->target_id = nt->marks[0]->dest;
        back->text = l10n(L->b->meta.lang, L_NOTE_BACK);
        one_note(L, nt, back);
    }
    L->note_first[ch->nnotes] = L->fn;
}

/* Adds the first marks on line ln to the range [*lo, *hi]. */
static void line_notes(const pline *ln, int *lo, int *hi, int *found)
{
    for (int r = 0; r < ln->nruns; r++) {
        const anno *a = ln->runs[r].st.link;
        if (!a || a->kind != ANNO_NOTEREF || a->mark != 1)
            continue;
        int n = a->note->number;
        if (!*found || n < *lo)
            *lo = n;
        if (!*found || n > *hi)
            *hi = n;
        *found = 1;
    }
}

int vitem_notes(const vitem *v, int *lo, int *hi)
{
    int found = 0;
    if (v->k == V_LINE && v->ln && !v->note) {
        line_notes(v->ln, lo, hi, &found);
    } else if (v->k == V_ROW && v->row) {
        /* a table row: the marks in all of its cells */
        for (int c = 0; c < v->row->ncells; c++)
            for (int l = 0; l < v->row->cells[c].nl; l++)
                line_notes(&v->row->cells[c].lines[l], lo, hi, &found);
    }
    return found;
}

/* The space above a page's notes, with the rule in it. */
static double foot_gap(const lay *L)
{
    return L->lh;
}

double notes_height(const lay *L, size_t s, size_t e)
{
    if (e <= s)
        return 0;
    double h = foot_gap(L);
    for (size_t i = s; i < e; i++)
        h += L->fv[i].h;
    return h;
}

void emit_notes(lay *L, page *pg, size_t s, size_t e)
{
    if (e <= s)
        return;
    double x0 = margin_left(L);
    double y = margin_top(L) + L->area_h - notes_height(L, s, e);
    double rule_w = style_pt(L->s->note_rule, L->size);
    if (rule_w > L->measure)
        rule_w = L->measure;
    page_add(pg, &(pitem){.kind = PI_RULE, .x = x0, .y = y + foot_gap(L) * 0.45, .w = rule_w, .h = 0.5,
                          .color = L->s->rule, .artifact = 1});
    y += foot_gap(L);
    for (size_t i = s; i < e;) {
        int num = L->fv[i].note;
        ptag(pg, 1, "Note", NULL);
        for (; i < e && L->fv[i].note == num; i++) {
            const vitem *v = &L->fv[i];
            if (v->dest)
                page_add(pg, &(pitem){.kind = PI_DEST, .x = x0, .y = y, .dest = v->dest});
            emit_line(L, pg, v->ln, x0 + v->x, y + v->base);
            y += v->h;
        }
        ptag(pg, 0, "Note", NULL);
    }
    pg->has_body_text = 1;
}
