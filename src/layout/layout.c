/* layout — see layout.h. The job: the chapters laid out on worker threads,
 * then the page stage that hands their pages on in book order.
 *
 * Stages: (1) a walk over each chapter's tree builds a vertical list of
 * lines, spaces and penalties (blocks.c, inline.c); (2) a page builder
 * cuts the list into pages (pages.c) — both per chapter, on worker
 * threads: see "the pipeline" below; (3) each page is turned into
 * positioned page items and handed to the drawer (emit.c); (4) the table
 * of contents is laid out last, once every page number is known (front.c).
 */
#include "layout/layout.h"

#include <math.h>
#include <stdint.h>
#include <pthread.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/l10n.h"
#include "layout/cover.h"
#include "layout/lay.h"

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

/* Threads laying out chapters at most (GOODIEBAG_THREADS is clamped). */
#define MAX_THREADS 8

typedef struct cmark_pos {
    cmark_node *node;
    size_t off;
    int page;  /* page within the chapter, 0-based */
} cmark_pos;

typedef enum {
    SLOT_WAITING,         /* not taken yet */
    SLOT_LAYING_OUT,      /* a thread lays it out */
    SLOT_PAGED,           /* broken into pages, ready to draw */
} slot_state;

typedef struct chap_slot {
    slot_state state;
    vitem *v;
    size_t n;
    arena a;
    diag d;
    strset warned;
    pbreak *pb;
    size_t npb;
    vitem *fv;            /* the footnotes' lines (lay.h) */
    size_t fn;
    size_t *note_first;
    int nnotes;
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
    pthread_t tid[MAX_THREADS];
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
    L.fv = NULL;
    L.fn = L.fcap = 0;
    L.note_first = NULL;
    L.nnotes = 0;
    if (j->base.b->ch[ci].doc) {
        chapter_blocks(&L, ci);
        notes_lay_out(&L, ci);
    }
    sl->v = L.v;
    sl->n = L.n;
    sl->fv = L.fv;
    sl->fn = L.fn;
    sl->note_first = L.note_first;
    sl->nnotes = L.nnotes;
    sl->pb = build_pages(&L, &sl->npb);
    /* the page map: the first body line of every page */
    sl->marks = xcalloc(sl->npb + 1, sizeof *sl->marks);
    for (size_t p = 0; p < sl->npb; p++)
        for (size_t i = sl->pb[p].start; i < sl->pb[p].end; i++) {
            const vitem *v = &sl->v[i];
            const pline *ln = v->k == V_ROW ? table_row_line(v->row) : v->k == V_LINE ? v->ln : NULL;
            if (ln && v->body && ln->src) {
                sl->marks[sl->nmarks++] = (cmark_pos){ln->src, ln->src_off, (int)p};
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
    j->slot[ci].state = SLOT_PAGED;
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
        j->slot[ci].state = SLOT_LAYING_OUT;
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
    if (n > MAX_THREADS)
        n = MAX_THREADS;
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
    if (j->slot[ci].state == SLOT_WAITING && j->next == ci) {
        j->next++;
        j->slot[ci].state = SLOT_LAYING_OUT;
        pthread_mutex_unlock(&j->mu);
        do_chapter(j, ci, cache);
        finish_chapter(j, ci);
        return;
    }
    while (j->slot[ci].state != SLOT_PAGED)
        pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
}

static void release_chapter(layout_job *j, int ci)
{
    chap_slot *sl = &j->slot[ci];
    free(sl->v);
    free(sl->fv);
    free(sl->pb);
    arena_free(&sl->a);
    strset_free(&sl->warned);
    sl->v = NULL;
    sl->fv = NULL;
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
        else if (v->k == V_ROW)
            trace_box(t, "row", v->row->width, v->h);
    }
    /* the footnotes at its foot */
    for (size_t i = pb->ns; i < pb->ne; i++)
        trace_line(t, "note", L->fv[i].ln, L->measure);
    if (pb->ne > pb->ns)
        used = L->area_h - notes_height(L, pb->ns, pb->ne) > used ? used + notes_height(L, pb->ns, pb->ne) : L->area_h;
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

/* The page stage's state: where pages go, the labels made so far (front
 * matter, then body pages), where each destination's page is, and the body
 * pages' trace (it follows the table of contents'). */
typedef struct run {
    layout_job *j;
    lay L;
    page_sink sink;
    void *sink_ctx;
    arena page_arena;      /* what one page's items point to */
    doc_layout *out;
    const char **front;    /* front matter labels, in reading order */
    size_t nfront, capfront;
    const char **body;     /* body page labels, in the doc arena */
    size_t nbody, capbody;
    strmap dests;          /* destination -> body page number */
    buf tbody;
} run;

static void add_front_label(run *r, const char *label)
{
    GROW(r->front, r->capfront, r->nfront + 1);
    r->front[r->nfront++] = label;
}

/* Front matter that needs no page numbers: cover and title page. */
static void front_pages(run *r)
{
    lay *L = &r->L;
    page pg;
    memset(&pg, 0, sizeof pg);
    pg.kind = PAGE_COVER;
    pg.chapter = -1;
    pg.label = l10n(L->b->meta.lang, L_COVER);
    add_front_label(r, pg.label);
    if (r->sink)
        cover_layout(&pg, L->b, L->s, L->fs, r->out->width, r->out->height, &r->page_arena);
    if (r->j->trace) {
        trace_header(r->j->trace);
        trace_item_page(r->j->trace, &pg, BREAK_END);
    }
    sink_page(L, &pg, r->sink, r->sink_ctx);
    memset(&pg, 0, sizeof pg);
    pg.kind = PAGE_TITLE;
    pg.chapter = -1;
    pg.label = "i";
    add_front_label(r, "i");
    title_page(L, &pg);
    if (r->j->trace)
        trace_item_page(r->j->trace, &pg, BREAK_END);
    sink_page(L, &pg, r->sink, r->sink_ctx);
    arena_free(&r->page_arena);
}

/* The p-th page of the chapter in L, the items of pbk. */
static void body_page(run *r, size_t p, const pbreak *pbk)
{
    lay *L = &r->L;
    int opening = 0;
    for (size_t i = pbk->start; i < pbk->end && !opening; i++)
        opening = L->v[i].k == V_NEWPAGE;
    if (p > 0 && pbk->start > 0 && L->v[pbk->start - 1].k == V_NEWPAGE)
        opening = 1;
    const char *label = arena_printf(&r->out->a, "%zu", r->nbody + 1);
    GROW(r->body, r->capbody, r->nbody + 1);
    r->body[r->nbody++] = label;
    for (size_t i = pbk->start; i < pbk->end; i++)
        if (L->v[i].dest)
            strmap_put(&r->dests, L->v[i].dest, (void *)(uintptr_t)r->nbody);
    page pg;
    memset(&pg, 0, sizeof pg);
    pg.kind = opening ? PAGE_OPENING : PAGE_BODY;
    pg.chapter = L->v[pbk->start < L->n ? pbk->start : L->n - 1].chapter;
    pg.label = label;
    pg.number = (int)r->nbody;
    for (size_t i = pbk->end; i-- > pbk->start;)
        if (L->v[i].k == V_LINE) {
            pg.hyphen_at_foot = L->v[i].ln && L->v[i].ln->hyphenated;
            break;
        }
    for (size_t i = pbk->ns; i < pbk->ne; i++)
        if (L->fv[i].dest)
            strmap_put(&r->dests, L->fv[i].dest, (void *)(uintptr_t)r->nbody);
    if (r->sink) {
        emit_vitems(L, &pg, pbk->start, pbk->end);
        emit_notes(L, &pg, pbk->ns, pbk->ne);
    }
    if (r->j->trace)
        trace_body_page(L, &r->tbody, &pg, pbk);
    sink_page(L, &pg, r->sink, r->sink_ctx);
    arena_free(&r->page_arena);
}

/* The body, chapter by chapter, each freed after its last page. */
static void body_pages(run *r, diag *d)
{
    layout_job *j = r->j;
    for (int ci = 0; ci < j->nch; ci++) {
        await_chapter(j, ci, r->L.pc.cache);
        chap_slot *sl = &j->slot[ci];
        diag_merge(d, &sl->d);
        diag_free(&sl->d);
        r->L.v = sl->v;
        r->L.n = sl->n;
        r->L.fv = sl->fv;
        r->L.fn = sl->fn;
        r->L.note_first = sl->note_first;
        r->L.nnotes = sl->nnotes;
        for (size_t p = 0; p < sl->npb; p++)
            body_page(r, p, &sl->pb[p]);
        r->L.v = NULL;
        r->L.n = 0;
        r->L.fv = NULL;
        r->L.fn = 0;
        r->L.note_first = NULL;
        r->L.nnotes = 0;
        release_chapter(j, ci);
    }
}

/* The table of contents, now that every page number is known, and the
 * reading order: front matter, contents (drawn last), body. */
static void contents_pages(run *r)
{
    lay *L = &r->L;
    doc_layout *out = r->out;
    L->a = &out->a;
    L->pc.a = &out->a;
    size_t toc_first = out->npages;
    toc_pages(L, &r->dests, r->body);
    out->toc_at = r->nfront; /* after the cover and the title page */
    out->ntoc = out->npages - toc_first;
    size_t total = r->nfront + out->ntoc + r->nbody;
    const char **all = xmalloc((total + 1) * sizeof *all);
    size_t *order = xmalloc((total + 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < r->nfront; i++) {
        order[n] = i;
        all[n++] = r->front[i];
    }
    for (size_t p = 0; p < out->ntoc; p++) {
        page *tp = &out->pages[toc_first + p];
        tp->label = roman(&out->a, (int)(p + 2));
        order[n] = r->nfront + r->nbody + p; /* drawn after the body */
        all[n++] = tp->label;
        if (r->j->trace) /* toc_pages starts a page when the next entry does not fit */
            trace_item_page(r->j->trace, tp, p + 1 < out->ntoc ? BREAK_FULL : BREAK_END);
        sink_page(L, tp, r->sink, r->sink_ctx);
    }
    if (r->j->trace)
        buf_add(r->j->trace, r->tbody.data, r->tbody.len);
    for (size_t i = 0; i < r->nbody; i++) {
        order[n] = r->nfront + i;
        all[n++] = r->body[i];
    }
    out->labels = all;
    out->order = order;
    out->nlabels = n;
}

void layout_run(layout_job *j, page_sink sink, void *sink_ctx, doc_layout *out, diag *d)
{
    memset(out, 0, sizeof *out);
    out->width = j->base.s->page_w;
    out->height = j->base.s->page_h;
    run rs = {0}, *r = &rs;
    r->j = j;
    r->sink = sink;
    r->sink_ctx = sink_ctx;
    r->out = out;
    lay *L = &r->L;
    *L = j->base;
    L->out = out;
    L->d = d;
    L->pc.d = d;
    L->a = &r->page_arena;
    L->pc.a = &r->page_arena;
    strset warned = {0};
    L->pc.warned = &warned;
    L->pc.cache = shape_cache_new();
    front_pages(r);
    body_pages(r, d);
    contents_pages(r);
    L->a = &out->a;
    build_outline(L);
    free(r->front);
    free(r->body);
    strmap_free(&r->dests);
    buf_free(&r->tbody);
    strset_free(&warned);
    shape_cache_free(L->pc.cache);
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
        free(sl->fv);
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
    free(l->order);
    arena_free(&l->a);
    memset(l, 0, sizeof *l);
}
