/* pages — the page builder: a chapter's vertical list cut into pages.
 * Ragged bottom: pages are filled from the top and a short page is
 * preferred over a broken rule (TeX's \raggedbottom). Rejected: vertical
 * justification, which stretches headings' space on every page of a text
 * that is mostly short paragraphs and lists. See lay.h. */
#include <stdlib.h>

#include "layout/lay.h"

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
        else if ((v->k == V_LINE || v->k == V_IMAGE || v->k == V_RULE || v->k == V_ROW) && p && !discardable(p) && p->k != V_NEWPAGE)
            b = 0;
        /* A heading keeps two lines of what follows; but when a heading
         * follows after only one line (a one-line paragraph), the break
         * before the new heading is allowed again. */
        if (b >= 0 && keep > 0 && !(v->k == V_PENALTY && v->heading == VH_BREAK && keep < 2))
            b = INF_PEN;
        if (v->k == V_LINE && v->heading == VH_LINE)
            keep = 2;
        else if ((v->k == V_LINE || v->k == V_IMAGE || v->k == V_ROW) && keep > 0)
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

/* Footnotes at the page foot, TeX's insertions: `placed` lines of L->fv
 * are on earlier pages or this one, `owed` lines belong to marks already
 * placed (lines past placed and before owed continue on the next page). */
typedef struct foot {
    size_t placed, owed;
    double h;      /* the room they take on this page (notes_height) */
    size_t top;    /* the first line on this page */
} foot;

/* Puts owed lines that fit into room (at most NOTE_FOOT_MAX of the page)
 * at this page's foot. */
static void foot_fill(const lay *L, foot *f, double room)
{
    double cap = L->area_h * NOTE_FOOT_MAX;
    if (room > cap)
        room = cap;
    while (f->placed < f->owed) {
        double h = notes_height(L, f->top, f->placed + 1);
        if (h > room + 0.01 && f->placed > f->top)
            break;
        if (h > room + 0.01 && f->placed == f->top && room < cap)
            break; /* the first line of a page's notes fits an empty page's cap */
        f->placed++;
        f->h = h;
    }
}

/* The notes whose first mark is on item v: their lines are owed, and as
 * many as fit below the page's y (with v) go on this page. Returns 0 when
 * a note would not start on this page: the item must move on. */
static int foot_take(const lay *L, foot *f, const vitem *v, double y)
{
    int lo, hi;
    if (!L->note_first || !vitem_notes(v, &lo, &hi) || hi > L->nnotes)
        return 1;
    size_t end = L->note_first[hi];
    if (end <= f->owed)
        return 1;
    if (f->placed < f->owed)
        return 0; /* a note continues from here to the next page: no new one starts here */
    foot t = *f;
    t.owed = end;
    foot_fill(L, &t, L->area_h - y - v->h);
    if (t.placed <= L->note_first[hi - 1])
        return 0; /* the last note's first line does not fit */
    *f = t;
    return 1;
}

pbreak *build_pages(lay *L, size_t *npages)
{
    double *brk = xmalloc((L->n + 1) * sizeof *brk);
    break_values(L, brk);
    pbreak *pages = NULL;
    size_t np = 0, cap = 0;
    size_t s = 0;
    foot ft = {0};
    while (s < L->n || ft.placed < L->fn) {
        /* skip discardables at the top of the page */
        while (s < L->n && discardable(&L->v[s]))
            s++;
        if (s >= L->n) /* notes never marked in a drawn line still go somewhere */
            ft.owed = L->fn;
        if (s >= L->n && ft.placed >= ft.owed)
            break;
        /* a note continued from the last page comes first at this foot */
        ft.top = ft.placed;
        ft.h = 0;
        foot_fill(L, &ft, L->area_h);
        foot best_ft = ft, any_ft = ft;
        double y = table_repeat_h(L, s); /* a table's header rows, repeated */
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
                double u = (L->area_h - y - ft.h) / L->area_h;
                double cost = (brk[i] >= INF_PEN ? 1e6 : brk[i]) + 5000 * u * u;
                if (brk[i] < INF_PEN && cost <= best_cost) {
                    best_cost = cost;
                    best = i;
                    best_ft = ft;
                }
                if (brk[i] <= last_any_pen || brk[i] < INF_PEN) {
                    last_any = i;
                    last_any_pen = brk[i];
                    any_ft = ft;
                }
            }
            if (y + v->h + ft.h > L->area_h + 0.01 && placed) {
                end = best ? best : last_any ? last_any : i;
                why = best ? refused_break(L, brk, best, i) : BREAK_FORCED;
                goto done;
            }
            if (!foot_take(L, &ft, v, y)) {
                if (placed) {
                    end = best ? best : last_any ? last_any : i;
                    why = BREAK_NOTE;
                    goto done;
                }
                /* the page's first line: it stays, its notes start where they fit */
                int lo, hi;
                vitem_notes(v, &lo, &hi);
                ft.owed = L->note_first[hi];
                foot_fill(L, &ft, L->area_h - y - v->h);
            }
            y += v->h;
            if (!discardable(v) && !transparent(v) && v->k != V_NEWPAGE)
                placed = 1;
        }
    done:
        /* the notes of the items before the break (items from the break
         * on are laid again on the next page) */
        if (end < i && end == best)
            ft = best_ft;
        else if (end < i && end == last_any)
            ft = any_ft;
        /* opening tags and list markers go with what follows them (they
         * carry no notes) */
        while (end > s + 1 && end < L->n && (L->v[end - 1].k == V_TAG_OPEN || L->v[end - 1].k == V_LABEL))
            end--;
        if (end <= s && s < L->n)
            end = s + 1;
        GROW(pages, cap, np + 1);
        pages[np++] = (pbreak){.start = s, .end = end, .reason = why, .ns = ft.top, .ne = ft.placed};
        s = end;
    }
    free(brk);
    *npages = np;
    return pages;
}
