/* notes — see notes.h. cmark-gfm numbers a document's definitions in the
 * order the parser met their first reference (references inside notes
 * included), moves them to the end of the document in that order and
 * gives each reference the number as its literal: the k-th definition at
 * the end is the one references with literal "k" name. Definitions never
 * referenced are dropped by the parser; the source is scanned for them. */
#include "model/notes.h"

#include "base/l10n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A reference met in the walk. */
typedef struct ref {
    cmark_node *n;
    int def;      /* index into the definitions, -1 if none */
    int literal;  /* 1: not read (inside a note or a link, or past the limit) */
} ref;

typedef struct nwalk {
    book *b;
    chapter *c;
    size_t *line_at; /* offset of line l at [l - 1] */
    int nlines;
    cmark_node **defs;
    size_t ndefs, capdefs;
    ref *refs;
    size_t nrefs, caprefs;
    int unknown_told, limit_told;
} nwalk;

static int ref_line(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n))
        if (cmark_node_get_start_line(n) > 0)
            return cmark_node_get_start_line(n);
    return 1;
}

static int ref_col(nwalk *w, cmark_node *n)
{
    int l = cmark_node_get_start_line(n), c = cmark_node_get_start_column(n);
    return l > 0 && c > 0 ? input_col(&w->c->in, l, c) : 1;
}

static void index_lines(nwalk *w)
{
    const char *t = w->c->text;
    size_t len = w->c->len;
    int n = 1;
    for (size_t i = 0; i < len; i++)
        n += t[i] == '\n';
    w->line_at = xmalloc((size_t)n * sizeof *w->line_at);
    w->line_at[0] = 0;
    int k = 1;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n')
            w->line_at[k++] = i + 1;
    w->nlines = n;
}

/* The label of the reference n as written ("[^label]"), from the source;
 * its number if the source does not show it there. */
static const char *ref_label(nwalk *w, cmark_node *n)
{
    int l = cmark_node_get_start_line(n), c = cmark_node_get_start_column(n);
    if (l >= 1 && l <= w->nlines && c >= 1) {
        size_t at = w->line_at[l - 1] + (size_t)(c - 1);
        const char *t = w->c->text;
        if (at + 2 < w->c->len && t[at] == '[' && t[at + 1] == '^') {
            size_t e = at + 2;
            while (e < w->c->len && e < at + 1002 && t[e] != ']' && t[e] != '\n')
                e++;
            if (e < w->c->len && t[e] == ']' && e > at + 2)
                return arena_strndup(&w->b->arena, t + at + 2, e - at - 2);
        }
    }
    const char *lit = cmark_node_get_literal(n);
    return arena_strdup(&w->b->arena, lit ? lit : "?");
}

static int inside(cmark_node *n, cmark_node_type t)
{
    for (cmark_node *p = cmark_node_parent(n); p; p = cmark_node_parent(p))
        if (cmark_node_get_type(p) == t)
            return 1;
    return 0;
}

/* Text that looks like a reference, "[^x]", left literal by the parser:
 * it names no definition. Reported once a chapter (with a count). */
static void unknown_refs(cmark_node *n, int *count, cmark_node **first, size_t *first_off, int *first_len)
{
    const char *s = cmark_node_get_literal(n);
    if (!s)
        return;
    for (const char *p = strstr(s, "[^"); p; p = strstr(p + 2, "[^")) {
        const char *e = p + 2;
        while (*e && *e != ']' && *e != ' ' && *e != '\t' && *e != '\n' && e < p + 1002)
            e++;
        if (*e != ']' || e == p + 2)
            continue;
        if (!(*count)++) {
            *first = n;
            *first_off = (size_t)(p - s);
            *first_len = (int)(e - p - 2 > 60 ? 60 : e - p - 2);
        }
    }
}

static void walk_refs(nwalk *w, cmark_node *root, int in_note, int *unknown, cmark_node **first, size_t *off,
                      int *flen)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || n == root)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
            continue;
        }
        if (t == CMARK_NODE_TEXT) {
            unknown_refs(n, unknown, first, off, flen);
            continue;
        }
        if (t != CMARK_NODE_FOOTNOTE_REFERENCE)
            continue;
        const char *lit = cmark_node_get_literal(n);
        long k = lit ? strtol(lit, NULL, 10) : 0;
        GROW(w->refs, w->caprefs, w->nrefs + 1);
        ref *r = &w->refs[w->nrefs++];
        r->n = n;
        r->def = k >= 1 && (size_t)k <= w->ndefs ? (int)k - 1 : -1;
        r->literal = in_note || inside(n, CMARK_NODE_LINK) || inside(n, CMARK_NODE_IMAGE) || r->def < 0;
    }
    cmark_iter_free(it);
}

/* Replaces a reference that is not read by its text as typed. */
static void to_literal(nwalk *w, cmark_node *n, const char *label)
{
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    char *s = arena_printf(&w->b->arena, "[^%s]", label);
    cmark_node_set_literal(t, s);
    cmark_node_insert_before(n, t);
    cmark_node_free(n);
}

/* Definitions the parser dropped because nothing references them: lines
 * "[^x]: ..." (up to three spaces in) that no block of the tree covers. */
static void unused_defs(nwalk *w)
{
    char *covered = calloc((size_t)w->nlines + 2, 1);
    if (!covered)
        return;
    cmark_iter *it = cmark_iter_new(w->c->doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER || (t & CMARK_NODE_TYPE_MASK) != CMARK_NODE_TYPE_BLOCK)
            continue;
        if (t == CMARK_NODE_DOCUMENT || t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM || t == CMARK_NODE_BLOCK_QUOTE)
            continue;
        int a = cmark_node_get_start_line(n), e = cmark_node_get_end_line(n);
        if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
            if (a >= 1 && a <= w->nlines)
                covered[a] = 1;
            continue;
        }
        for (int l = a < 1 ? 1 : a; l <= e && l <= w->nlines; l++)
            covered[l] = 1;
    }
    cmark_iter_free(it);
    const char *t = w->c->text;
    for (int l = 1; l <= w->nlines; l++) {
        if (covered[l])
            continue;
        size_t i = w->line_at[l - 1];
        size_t end = l < w->nlines ? w->line_at[l] : w->c->len;
        int sp = 0;
        while (i < end && t[i] == ' ' && sp < 4)
            i++, sp++;
        if (sp > 3 || i + 2 >= end || t[i] != '[' || t[i + 1] != '^')
            continue;
        size_t e = i + 2;
        while (e < end && t[e] != ']' && t[e] != ' ' && t[e] != '\t')
            e++;
        if (e + 1 >= end || t[e] != ']' || t[e + 1] != ':' || e == i + 2)
            continue;
        int len = (int)(e - i - 2 > 60 ? 60 : e - i - 2);
        diag_warning(w->b->diag, w->c->diag_name, l, sp + 1,
                     "the note [^%.*s] is defined but never referenced: it is not shown", len, t + i + 2);
    }
    free(covered);
}

void notes_annotate(book *b, chapter *c)
{
    nwalk w = {.b = b, .c = c};
    /* the definitions, at the end of the document in cmark-gfm's order */
    for (cmark_node *n = cmark_node_first_child(c->doc); n; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) {
            GROW(w.defs, w.capdefs, w.ndefs + 1);
            w.defs[w.ndefs++] = n;
        }
    int unknown = 0;
    cmark_node *first_unknown = NULL;
    size_t unknown_off = 0;
    int unknown_len = 0;
    /* a cheap test first: most chapters have no "[^" at all */
    if (!w.ndefs && !strstr(c->text, "[^"))
        return;
    index_lines(&w);
    walk_refs(&w, c->doc, 0, &unknown, &first_unknown, &unknown_off, &unknown_len);
    size_t main_refs = w.nrefs;
    for (size_t d = 0; d < w.ndefs; d++)
        walk_refs(&w, w.defs[d], 1, &unknown, &first_unknown, &unknown_off, &unknown_len);
    if (first_unknown)
        diag_warning(b->diag, c->diag_name, ref_line(first_unknown),
                     ref_col(&w, first_unknown) + (int)unknown_off,
                     "[^%.*s] names no note defined in this chapter: it is shown as typed%s", unknown_len,
                     cmark_node_get_literal(first_unknown) + unknown_off + 2, unknown > 1 ? " (here and in other places of this chapter)" : "");
    unused_defs(&w);

    /* numbers, in the order of the first mark in the text */
    int *num = calloc(w.ndefs + 1, sizeof *num);
    int *count = calloc(w.ndefs + 1, sizeof *count);
    const char **label = calloc(w.ndefs + 1, sizeof *label);
    char *limited = calloc(w.ndefs + 1, 1);
    int next = 0;
    for (size_t i = 0; i < w.nrefs; i++) {
        ref *r = &w.refs[i];
        if (r->def >= 0 && !label[r->def])
            label[r->def] = ref_label(&w, r->n);
        if (r->literal)
            continue;
        if (!num[r->def]) {
            if (next >= NOTES_MAX) {
                r->literal = 1;
                limited[r->def] = 1;
                if (!w.limit_told++)
                    diag_warning(b->diag, c->diag_name, ref_line(r->n), ref_col(&w, r->n),
                                 "more than %d notes in this chapter: this mark and the later ones are shown as "
                                 "typed, without their notes",
                                 NOTES_MAX);
                continue;
            }
            num[r->def] = ++next;
        }
        count[r->def]++;
    }
    c->nnotes = next;
    c->notes = next ? arena_alloc(&b->arena, (size_t)next * sizeof *c->notes) : NULL;
    for (size_t d = 0; d < w.ndefs; d++) {
        if (!num[d])
            continue;
        note *nt = &c->notes[num[d] - 1];
        nt->number = num[d];
        nt->label = label[d] ? label[d] : "?";
        nt->def = w.defs[d];
        char *id = arena_printf(&b->arena, "fn-%d", nt->number);
        nt->id = strmap_get(&b->id_chapter, id) ? arena_printf(&b->arena, "_fn-%d", nt->number) : id;
        nt->dest = arena_printf(&b->arena, "_fn%d.%d", c->index, nt->number);
        nt->marks = arena_alloc(&b->arena, (size_t)count[d] * sizeof *nt->marks);
        nt->line = ref_line(w.defs[d]);
        nt->col = 1;
    }
    /* the marks */
    for (size_t i = 0; i < w.nrefs; i++) {
        ref *r = &w.refs[i];
        const char *lab = r->def >= 0 && label[r->def] ? label[r->def] : cmark_node_get_literal(r->n);
        if (r->literal) {
            if (r->def >= 0 && !limited[r->def] && (i >= main_refs || inside(r->n, CMARK_NODE_LINK) || inside(r->n, CMARK_NODE_IMAGE)))
                diag_warning(b->diag, c->diag_name, ref_line(r->n), ref_col(&w, r->n),
                             "a note mark %s is not read: readers see [^%s] as typed",
                             i >= main_refs ? "inside a note" : "inside a link's or an image's text",
                             lab ? lab : "?");
            to_literal(&w, r->n, lab ? lab : "?");
            continue;
        }
        note *nt = &c->notes[num[r->def] - 1];
        anno *a = arena_alloc(&b->arena, sizeof *a);
        a->kind = ANNO_NOTEREF;
        a->target_chapter = c->index;
        a->note = nt;
        a->mark = ++nt->nmarks;
        a->id = a->mark == 1 ? arena_printf(&b->arena, "%sref-%d", nt->id[0] == '_' ? "_fn" : "fn", nt->number)
                             : arena_printf(&b->arena, "%sref-%d-%d", nt->id[0] == '_' ? "_fn" : "fn", nt->number,
                                            a->mark);
        a->target_id = nt->dest;
        a->dest = arena_printf(&b->arena, "_fnref%d.%d.%d", c->index, nt->number, a->mark);
        a->text = arena_printf(&b->arena, "%s %d", l10n(b->meta.lang, L_NOTE), nt->number);
        nt->marks[a->mark - 1] = a;
        cmark_node_set_user_data(r->n, a);
    }
    /* the definitions leave the text: shown ones into notes_doc, in order */
    if (next)
        c->notes_doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    for (int k = 0; k < next; k++) {
        cmark_node_unlink(c->notes[k].def);
        cmark_node_append_child(c->notes_doc, c->notes[k].def);
    }
    for (size_t d = 0; d < w.ndefs; d++) {
        if (num[d])
            continue;
        if (!limited[d])
            diag_warning(b->diag, c->diag_name, ref_line(w.defs[d]), 1,
                     "the note [^%s] is referenced only from inside a note or a link: it is not shown",
                     label[d] ? label[d] : "?");
        cmark_node_free(w.defs[d]);
    }
    free(limited);
    free(num);
    free(count);
    free(label);
    free(w.refs);
    free(w.defs);
    free(w.line_at);
}
