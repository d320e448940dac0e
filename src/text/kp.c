/* kp.c — Knuth–Plass total-fit line breaking (see kp.h).
 *
 * Design notes
 *
 * - Widths are summed in one running total while scanning (width, finite
 *   stretch, shrink, and fill stretch kept apart with an exact count of fill
 *   glues, so "this line has fill" never depends on rounding). An active node
 *   stores the running total where its next line starts. That start is only
 *   known at the first box after the break (glue and penalties after a break
 *   are discarded), so new nodes are "pending" until the scan reaches a box.
 *   This gives TeX's break_width without its look-ahead (which is quadratic
 *   on long runs of penalties) and without storing anything per item.
 *   Rejected: TeX's delta nodes (exact with TeX's integer scaled points, but
 *   with doubles they only add list surgery; the running-total difference
 *   over one line is accurate to ~1e-8 pt even after millions of items).
 *
 * - The active list is sorted by line class: line index i, but all indexes
 *   >= nwidths-1 are one class (TeX's easy_line), unless looseness != 0,
 *   when every line number is its own class. Per class, each active node
 *   yields at most one candidate for the break being tried; candidates are
 *   merged by key (fitness class, consecutive-flag count) and then pruned by
 *   dominance: Y removes X when Y.count <= X.count and Y's demerits plus
 *   fitness_demerits (if their fitness differs) do not exceed X's. This is
 *   TeX's "minimal_demerits + adj_demerits" rule, extended so that a node
 *   with fewer consecutive flagged lines (which can continue in more ways)
 *   is never pruned by one with more. With that, the result is optimal over
 *   all break sequences the pass allows.
 *
 * - Passes: 1 (pretolerance, no flagged breaks), 2 (tolerance), 3 (tolerance
 *   plus emergency_stretch), 4 (final). The final pass takes every line that
 *   is not overfull as feasible (threshold = infinity, with emergency
 *   stretch), so it prefers underfull lines to overfull ones; only when a
 *   break would empty the active list does it keep the least-bad of the
 *   nodes just deactivated (fewest points overfull, then fewest demerits),
 *   making an overfull line. Rejected alternative: TeX's rule of keeping
 *   whichever node happens to be last in the list, which makes overfull
 *   lines even where an underfull one was possible.
 *
 * - Reported ratios are the real ones for setting the line: emergency
 *   stretch only changes badness while choosing breaks. A line with fill
 *   glue gets diff / (stretch + fill stretch), i.e. ~0. Overfull lines are
 *   reported at -1 (all glue fully shrunk) and counted in `overfull`.
 *
 * - Badness and feasibility follow tex.web §851-859 (badness 100 r^3 capped
 *   at 10000, four fitness classes, (line_penalty + b)^2 +- penalty^2,
 *   flagged/final-hyphen/fitness demerits), computed in doubles; a badness
 *   within 1e-7 of the threshold counts as within it, so exact fits do not
 *   depend on rounding. Nodes whose line is already too loose for the pass
 *   are skipped with one multiply-compare (no division). looseness is
 *   implemented as in tex.web §875 (0 is the normal case).
 *
 * - Memory: active nodes come from a free-listed pool (the active list stays
 *   small); break records (24 bytes each, about one per feasible break) go
 *   into one growing array per pass. Everything is freed before returning.
 *   Running out of memory exits (base/util.h's policy), so the only
 *   failure is malformed input. Records are indexed by int: a pass stops
 *   (and kp_break fails) before either pool passes INT_MAX / 2, which one
 *   break cannot more than double (it adds at most one record per active
 *   node, plus one); that needs some 50 GB and is not reached in practice.
 *
 * - Input is checked before any work: NaN/Inf or absurd magnitudes
 *   (> 1e15 pt), negative stretch/shrink, unknown item types, or a list that
 *   does not end in a forced break make kp_break return -1. Negative widths
 *   are accepted (they can only make deactivation premature, never crash).
 *   Glue with stretch >= 1e6 is treated as infinite (fill).
 */
#include "text/kp.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define KP_EPS 1e-6  /* points: slack for rounding in running sums */
#define KP_HUGE 1e15 /* larger magnitudes are rejected as malformed */
#define KP_BAD_SLACK 1e-7 /* badness at the threshold up to rounding counts */

enum { FIT_VERY_LOOSE = 0, FIT_LOOSE = 1, FIT_DECENT = 2, FIT_TIGHT = 3 };

/* What run_pass returns besides a node index. */
enum { PASS_NO_SOLUTION = -1, PASS_TOO_LARGE = -2 };

typedef struct totals {
    double w, st, sh, fill;
    long long nfill;
} totals;

typedef struct anode {
    totals start;      /* running totals where the next line starts */
    double demerits;   /* total demerits of the best path to here */
    double sprot;      /* start protrusion granted to the next line */
    int passive;       /* passive record of this break, -1 = paragraph start */
    int line;          /* lines before this break = index of the next line */
    int cnt;           /* consecutive flagged lines ending here */
    int next;          /* next active node (or next free node) */
    unsigned char fit; /* fitness class of the line ending here */
    unsigned char pending; /* start totals unknown: no box seen yet */
} anode;

typedef struct pnode {
    int pos;      /* item index of the break */
    int prev;     /* passive record of the previous break, -1 = start */
    double ratio; /* adjustment ratio of the line ending here */
    int overfull;
} pnode;

typedef struct cand {
    double demerits, ratio;
    int passive, line, cnt, fit, overfull;
} cand;

typedef struct ctx {
    const kp_item *items;
    int n;
    const double *widths;
    int nwidths;
    const kp_params *p;
    /* pass configuration */
    double threshold, es;
    double rmax; /* stretch ratio beyond which badness > threshold */
    int allow_flagged, final_pass;
    int class_cap; /* line classes: min(line, class_cap) */
    int limit;     /* max consecutive flagged, 0 = none */
    int cnt_cap;   /* counts kept up to this */
    /* state */
    totals T;
    anode *an;
    size_t an_cap, an_used;
    int an_free;
    int head;
    int pending;
    pnode *pn;
    size_t pn_len, pn_cap;
    cand *cd;
    size_t cd_len, cd_cap;
} ctx;

void kp_default_params(kp_params *p, double measure)
{
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    p->pretolerance = 100;
    p->tolerance = 400;
    p->emergency_stretch = 0.15 * measure;
    p->line_penalty = 10;
    p->hyphen_penalty = 50;
    p->flagged_demerits = 3000;
    p->fitness_demerits = 100;
    p->final_hyphen_demerits = 5000;
    p->max_consecutive_flagged = 2;
    p->looseness = 0;
}

void kp_result_free(kp_result *r)
{
    if (!r)
        return;
    free(r->breaks);
    free(r->ratios);
    r->breaks = NULL;
    r->ratios = NULL;
    r->nlines = 0;
}

static int ok_num(double x) { return isfinite(x) && fabs(x) <= KP_HUGE; }

static int validate(const kp_item *items, int n, const double *widths,
                    int nwidths, const kp_params *p)
{
    int i;
    if (!items || n <= 0 || !widths || nwidths <= 0 || !p)
        return -1;
    for (i = 0; i < nwidths; i++)
        if (!ok_num(widths[i]))
            return -1;
    if (isnan(p->pretolerance) || isnan(p->tolerance) ||
        !ok_num(p->emergency_stretch) || !ok_num(p->line_penalty) ||
        !ok_num(p->flagged_demerits) || !ok_num(p->fitness_demerits) ||
        !ok_num(p->final_hyphen_demerits) || p->max_consecutive_flagged < 0)
        return -1;
    for (i = 0; i < n; i++) {
        const kp_item *it = &items[i];
        if (it->type != KP_BOX && it->type != KP_GLUE && it->type != KP_PENALTY)
            return -1;
        if (!ok_num(it->width) || !ok_num(it->stretch) || !ok_num(it->shrink) ||
            !ok_num(it->end_protrusion) || !ok_num(it->start_protrusion))
            return -1;
        if (it->type == KP_GLUE && (it->stretch < 0 || it->shrink < 0))
            return -1;
        if (it->type == KP_PENALTY && isnan(it->penalty))
            return -1;
    }
    if (items[n - 1].type != KP_PENALTY || items[n - 1].penalty > -KP_INF)
        return -1;
    return 0;
}

static int class_of(const ctx *c, int line)
{
    return line < c->class_cap ? line : c->class_cap;
}

static double line_width(const ctx *c, int line)
{
    return c->widths[line < c->nwidths ? line : c->nwidths - 1];
}

static int new_active(ctx *c)
{
    int k;
    if (c->an_free >= 0) {
        k = c->an_free;
        c->an_free = c->an[k].next;
        return k;
    }
    GROW(c->an, c->an_cap, c->an_used + 1);
    k = (int)c->an_used++;
    return k;
}

static void free_active(ctx *c, int k)
{
    c->an[k].next = c->an_free;
    c->an_free = k;
}

static int new_passive(ctx *c, int pos, int prev, double ratio, int overfull)
{
    pnode *q;
    GROW(c->pn, c->pn_cap, c->pn_len + 1);
    q = &c->pn[c->pn_len];
    q->pos = pos;
    q->prev = prev;
    q->ratio = ratio;
    q->overfull = overfull;
    return (int)c->pn_len++;
}

/* Records a candidate break into the current class, keeping the best per
 * (fitness, count). */
static void add_cand(ctx *c, const cand *x)
{
    size_t i, len = c->cd_len;
    const int fit = x->fit, cnt = x->cnt;
    for (i = 0; i < len; i++) {
        cand *y = &c->cd[i];
        if (y->fit == fit && y->cnt == cnt) {
            if (x->demerits < y->demerits)
                *y = *x;
            return;
        }
    }
    GROW(c->cd, c->cd_cap, c->cd_len + 1);
    c->cd[c->cd_len++] = *x;
}

/* Does candidate j make candidate i useless? (see design notes) */
static int dominates(const ctx *c, size_t j, size_t i)
{
    const cand *y = &c->cd[j], *x = &c->cd[i];
    double extra = y->fit != x->fit ? c->p->fitness_demerits : 0.0;
    double dy;
    if (extra < 0)
        extra = 0;
    if (y->cnt > x->cnt)
        return 0;
    dy = y->demerits + extra;
    return dy < x->demerits || (dy == x->demerits && j < i);
}

static void insert_node(ctx *c, int b, const cand *x, int *prev, int r, int last)
{
    int q = new_passive(c, b, x->passive, x->ratio, x->overfull);
    int k = new_active(c);
    anode *a = &c->an[k];
    memset(a, 0, sizeof *a);
    a->start = c->T;
    a->demerits = x->demerits;
    a->sprot = c->items[b].start_protrusion;
    a->passive = q;
    a->line = x->line + 1;
    a->cnt = x->cnt;
    a->fit = (unsigned char)x->fit;
    a->pending = (unsigned char)!last;
    if (!last)
        c->pending = 1;
    a->next = r;
    if (*prev < 0)
        c->head = k;
    else
        c->an[*prev].next = k;
    *prev = k;
}

/* Turns the candidates of one line class into active nodes at break b,
 * inserted between *prev and r. */
static void flush(ctx *c, int b, int *prev, int r, int last)
{
    size_t i, j;
    for (i = 0; i < c->cd_len; i++) {
        int dead = 0;
        for (j = 0; j < c->cd_len && !dead; j++)
            if (j != i && dominates(c, j, i))
                dead = 1;
        if (!dead)
            insert_node(c, b, &c->cd[i], prev, r, last);
    }
    c->cd_len = 0;
}

static double badness_of(double r)
{
    double b;
    if (r > 100)
        return KP_INF;
    b = 100.0 * r * r * r;
    return b > KP_INF ? KP_INF : b;
}

/* How the line from an active node to the break being tried would be set. */
typedef struct linefit {
    double ratio, bad;
    double excess; /* points beyond the measure at full shrink (overfull) */
    int fit, over;
} linefit;

/* Sums of the line from node a to the current break, pw being the width
 * the break adds (a hyphen). A pending node's line is empty. */
static void line_sums(const ctx *c, const anode *a, double pw, totals *t)
{
    memset(t, 0, sizeof *t);
    if (a->pending) {
        t->w = pw;
        return;
    }
    t->w = c->T.w - a->start.w + pw;
    t->st = c->T.st - a->start.st;
    t->sh = c->T.sh - a->start.sh;
    t->fill = c->T.fill - a->start.fill;
    t->nfill = c->T.nfill - a->start.nfill;
    if (t->st < KP_EPS)
        t->st = 0;
    if (t->sh < KP_EPS)
        t->sh = 0;
}

/* Badness, fitness class and ratio of a line `diff` points short of its
 * measure (negative: too long) with sums t (tex.web §851-853). */
static linefit judge_line(const ctx *c, double diff, const totals *t)
{
    linefit f;
    memset(&f, 0, sizeof f);
    f.fit = FIT_DECENT;
    if (diff > KP_EPS) {
        double ste = t->st + c->es;
        if (t->nfill > 0) {
            f.ratio = diff / (t->st + t->fill);
        } else if (ste <= 0) {
            f.bad = KP_INF;
            f.fit = FIT_VERY_LOOSE;
        } else {
            f.bad = badness_of(diff / ste);
            f.fit = f.bad > 99 ? FIT_VERY_LOOSE : f.bad > 12 ? FIT_LOOSE : FIT_DECENT;
            f.ratio = t->st > 0 ? diff / t->st : 0;
        }
    } else if (diff < -KP_EPS) {
        if (diff + t->sh < -KP_EPS) {
            f.over = 1;
            f.excess = -(diff + t->sh);
            f.bad = KP_INF;
            f.fit = FIT_TIGHT;
            f.ratio = -1;
        } else {
            f.ratio = t->sh > 0 ? diff / t->sh : -1;
            if (f.ratio < -1)
                f.ratio = -1;
            f.bad = -100.0 * f.ratio * f.ratio * f.ratio;
            f.fit = f.bad > 12 ? FIT_TIGHT : FIT_DECENT;
        }
    }
    return f;
}

/* Total demerits of the path through node a and a line f ending in a break
 * of penalty pi (tex.web §859). */
static double path_demerits(const ctx *c, const anode *a, const linefit *f, double pi, int flagged, int last)
{
    const kp_params *p = c->p;
    double d = p->line_penalty + f->bad;
    d = fabs(d) >= KP_INF ? 1e8 : d * d;
    if (pi > 0)
        d += pi * pi;
    else if (pi < 0 && pi > -KP_INF)
        d -= pi * pi;
    if (a->cnt > 0) {
        if (last)
            d += p->final_hyphen_demerits;
        else if (flagged)
            d += p->flagged_demerits;
    }
    if (abs(f->fit - (int)a->fit) > 1)
        d += p->fitness_demerits;
    return a->demerits + d;
}

/* The final pass's last resort at one break: of the nodes it deactivates,
 * the least bad (allowed by the flag limit first, then least overfull, then
 * fewest demerits), kept in case the active list empties. */
typedef struct fallback {
    cand x;
    int have, blocked;
    double excess;
} fallback;

static void keep_fallback(fallback *fb, const anode *a, const linefit *f, int blocked, int newcnt)
{
    int better = !fb->have ||
        (blocked != fb->blocked ? !blocked :
         f->excess != fb->excess ? f->excess < fb->excess :
         a->demerits < fb->x.demerits);
    if (!better)
        return;
    fb->have = 1;
    fb->blocked = blocked;
    fb->excess = f->excess;
    fb->x.demerits = a->demerits + 1e8;
    fb->x.ratio = f->ratio;
    fb->x.passive = a->passive;
    fb->x.line = a->line;
    fb->x.cnt = newcnt;
    fb->x.fit = f->fit;
    fb->x.overfull = f->over;
}

/* Removes active node r (after prev, -1 = none) from the list. */
static void deactivate(ctx *c, int prev, int r)
{
    int next = c->an[r].next;
    if (prev < 0)
        c->head = next;
    else
        c->an[prev].next = next;
    free_active(c, r);
}

/* Tries a break at item b with penalty pi, penalty width pw: every active
 * node may end a line here; the feasible ones become candidates, flushed as
 * new active nodes per line class. */
static void try_break(ctx *c, int b, double pi, double pw, int flagged, int last)
{
    const double endprot = c->items[b].end_protrusion;
    const int forced = pi <= -KP_INF;
    int prev = -1, r = c->head, group = -1;
    fallback fb;

    memset(&fb, 0, sizeof fb);
    c->cd_len = 0;
    for (;;) {
        int rc = r >= 0 ? class_of(c, c->an[r].line) : -1;
        if (r < 0 || rc != group) {
            if (c->cd_len)
                flush(c, b, &prev, r, last);
            if (r < 0)
                break;
            group = rc;
        }
        const anode *a = &c->an[r];
        int next = a->next;
        if (a->pending && !forced) { /* no empty lines except at forced breaks */
            prev = r;
            r = next;
            continue;
        }
        totals t;
        line_sums(c, a, pw, &t);
        double m = line_width(c, a->line) + a->sprot + endprot;
        double diff = m - t.w;
        if (!forced && t.nfill == 0 && diff > KP_EPS && diff > (t.st + c->es) * c->rmax) {
            /* too loose for this pass: the node stays, nothing to record */
            prev = r;
            r = next;
            continue;
        }
        linefit f = judge_line(c, diff, &t);
        int blocked = flagged && !last && c->limit > 0 && a->cnt >= c->limit;
        int newcnt = 0;
        if (flagged && !last)
            newcnt = a->cnt + 1 > c->cnt_cap ? c->cnt_cap : a->cnt + 1;
        if (!f.over && !blocked && f.bad <= c->threshold + KP_BAD_SLACK) {
            cand x = {path_demerits(c, a, &f, pi, flagged, last), f.ratio, a->passive, a->line, newcnt, f.fit, 0};
            add_cand(c, &x);
        }
        if (f.over || forced) {
            if (c->final_pass)
                keep_fallback(&fb, a, &f, blocked, newcnt);
            deactivate(c, prev, r);
        } else {
            prev = r;
        }
        r = next;
    }
    if (c->head < 0 && fb.have) {
        prev = -1;
        insert_node(c, b, &fb.x, &prev, -1, last);
    }
}

/* Resolves pending nodes: their next line starts at the current box. */
static void resolve_pending(ctx *c)
{
    int r;
    for (r = c->head; r >= 0; r = c->an[r].next)
        if (c->an[r].pending) {
            c->an[r].start = c->T;
            c->an[r].pending = 0;
        }
    c->pending = 0;
}

/* Empties the pools and starts the active list with the paragraph start. */
static void start_pass(ctx *c)
{
    anode *a;
    int k;
    c->an_used = 0;
    c->an_free = -1;
    c->pn_len = 0;
    c->cd_len = 0;
    c->pending = 0;
    memset(&c->T, 0, sizeof c->T);
    k = new_active(c);
    a = &c->an[k];
    memset(a, 0, sizeof *a);
    a->passive = -1;
    a->fit = FIT_DECENT;
    a->next = -1;
    c->head = k;
}

/* Feeds item i to the pass: boxes and glue add to the running totals, and
 * glue after a box and penalties below KP_INF are tried as breaks. Returns
 * whether a break was tried. */
static int scan_item(ctx *c, int i)
{
    const kp_item *it = &c->items[i];
    if (it->type == KP_BOX) {
        if (c->pending)
            resolve_pending(c);
        c->T.w += it->width;
        return 0;
    }
    if (it->type == KP_GLUE) {
        int tried = i > 0 && c->items[i - 1].type == KP_BOX;
        if (tried)
            try_break(c, i, 0, 0, 0, 0);
        c->T.w += it->width;
        if (it->stretch >= KP_FILL) {
            c->T.fill += it->stretch;
            c->T.nfill++;
        } else {
            c->T.st += it->stretch;
        }
        c->T.sh += it->shrink;
        return tried;
    }
    double pi = it->penalty;
    int last = i == c->n - 1;
    if (pi < -KP_INF)
        pi = -KP_INF;
    if (pi < KP_INF && (c->allow_flagged || !it->flagged || last)) {
        try_break(c, i, pi, it->width, it->flagged != 0, last);
        return 1;
    }
    return 0;
}

/* Of the nodes at the final forced break, the one with the fewest demerits,
 * or with looseness the line count closest to best + looseness (tex.web
 * §875); PASS_NO_SOLUTION when looseness is not met before the final pass. */
static int best_node(const ctx *c)
{
    int k, best = -1;
    for (k = c->head; k >= 0; k = c->an[k].next)
        if (best < 0 || c->an[k].demerits < c->an[best].demerits)
            best = k;
    if (best < 0)
        return PASS_NO_SOLUTION;
    if (c->p->looseness == 0)
        return best;
    int best_line = c->an[best].line, actual = 0, bet = best;
    double fewest = c->an[best].demerits;
    for (k = c->head; k >= 0; k = c->an[k].next) {
        int diffl = c->an[k].line - best_line;
        if ((diffl < actual && c->p->looseness <= diffl) ||
            (diffl > actual && c->p->looseness >= diffl)) {
            bet = k;
            actual = diffl;
            fewest = c->an[k].demerits;
        } else if (diffl == actual && c->an[k].demerits < fewest) {
            bet = k;
            fewest = c->an[k].demerits;
        }
    }
    if (actual != c->p->looseness && !c->final_pass)
        return PASS_NO_SOLUTION;
    return bet;
}

/* One pass. Returns the chosen final active node (>= 0), PASS_NO_SOLUTION,
 * or PASS_TOO_LARGE (see the design notes on memory). */
static int run_pass(ctx *c)
{
    int i;
    start_pass(c);
    for (i = 0; i < c->n; i++) {
        if (c->an_used > INT_MAX / 2 || c->pn_len > INT_MAX / 2)
            return PASS_TOO_LARGE;
        if (scan_item(c, i) && c->head < 0)
            return PASS_NO_SOLUTION;
    }
    /* every node left sits at the final forced break */
    return best_node(c);
}

/* Sets up pass 1..4; returns 0 if the parameters skip it. */
static int setup_pass(ctx *c, int pass, double es)
{
    const kp_params *p = c->p;
    if (pass == 1 && !(p->pretolerance >= 0))
        return 0;
    if (pass == 3 && es <= 0)
        return 0;
    c->threshold = pass == 1 ? p->pretolerance
                 : pass == 4 ? HUGE_VAL : p->tolerance;
    c->allow_flagged = pass > 1;
    c->es = pass >= 3 ? es : 0;
    c->final_pass = pass == 4;
    /* badness 100 r^3 <= threshold  <=>  r <= cbrt(threshold / 100);
     * a margin keeps the exact test below in charge near the edge */
    c->rmax = c->threshold >= KP_INF ? HUGE_VAL
            : c->threshold < 0 ? 0 : cbrt(c->threshold / 100.0) * (1 + 1e-6) + 1e-9;
    return 1;
}

/* Fills out with the lines of the path ending at node best. Returns 0, or
 * -1 if the path does not have one break per line (cannot happen). */
static int collect_lines(const ctx *c, int best, int pass, kp_result *out)
{
    int q, li, nl = c->an[best].line;
    if (nl <= 0)
        return -1;
    out->breaks = xmalloc((size_t)nl * sizeof *out->breaks);
    out->ratios = xmalloc((size_t)nl * sizeof *out->ratios);
    out->nlines = nl;
    out->pass = pass;
    li = nl;
    for (q = c->an[best].passive; q >= 0 && li > 0; q = c->pn[q].prev) {
        li--;
        out->breaks[li] = c->pn[q].pos;
        out->ratios[li] = c->pn[q].ratio;
        if (c->pn[q].overfull)
            out->overfull++;
    }
    if (li != 0 || q >= 0) {
        kp_result_free(out);
        out->overfull = 0;
        out->pass = 0;
        return -1;
    }
    return 0;
}

int kp_break(const kp_item *items, int n, const double *widths, int nwidths,
             const kp_params *p, kp_result *out)
{
    ctx c;
    int pass, rc = -1;
    double es;

    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    if (validate(items, n, widths, nwidths, p) < 0)
        return -1;

    memset(&c, 0, sizeof c);
    c.items = items;
    c.n = n;
    c.widths = widths;
    c.nwidths = nwidths;
    c.p = p;
    c.limit = p->max_consecutive_flagged;
    c.cnt_cap = c.limit > 0 ? c.limit : 1;
    c.class_cap = p->looseness != 0 ? INT_MAX : nwidths - 1;
    es = p->emergency_stretch > 0 ? p->emergency_stretch : 0;

    for (pass = 1; pass <= 4; pass++) {
        if (!setup_pass(&c, pass, es))
            continue;
        int best = run_pass(&c);
        if (best == PASS_TOO_LARGE)
            break;
        if (best >= 0) {
            rc = collect_lines(&c, best, pass, out);
            break;
        }
    }
    free(c.an);
    free(c.pn);
    free(c.cd);
    return rc;
}
