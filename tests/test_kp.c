/* test_kp.c — tests of the Knuth–Plass line breaker (src/text/kp.c).
 *
 * Text is turned into items with fixed-width glyphs: every character is a
 * 5pt box, a space is glue 3.33 +1.67 -1.11, '|' inside a word marks a
 * hyphenation point (flagged penalty 50 with a 5pt hyphen), '\n' is a
 * forced break with fill glue before it, and the paragraph ends with
 * penalty(10000) glue(fill) penalty(-10000). Line metrics are recomputed
 * here independently of kp.c (direct sums, no running totals), and a
 * brute-force dynamic programme checks optimality on random paragraphs. */
#include "harness.h"
#include "text/kp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GLYPH 5.0
#define FILL 1e7

/* ---- building items ---------------------------------------------------- */

typedef struct ilist {
    kp_item *v;
    const char **txt; /* text of each item, for printing lines */
    int *len;
    int n, cap;
} ilist;

static int push(ilist *l, kp_item it, const char *t, int len)
{
    if (l->n == l->cap) {
        int nc = l->cap ? 2 * l->cap : 256;
        kp_item *v = realloc(l->v, (size_t)nc * sizeof *v);
        const char **tx;
        int *ln;
        if (!v)
            return -1;
        l->v = v;
        tx = realloc(l->txt, (size_t)nc * sizeof *tx);
        if (!tx)
            return -1;
        l->txt = tx;
        ln = realloc(l->len, (size_t)nc * sizeof *ln);
        if (!ln)
            return -1;
        l->len = ln;
        l->cap = nc;
    }
    l->v[l->n] = it;
    l->txt[l->n] = t;
    l->len[l->n] = len;
    l->n++;
    return 0;
}

static kp_item mk(kp_type t, double w, double st, double sh, double pen, int fl)
{
    kp_item it;
    memset(&it, 0, sizeof it);
    it.type = t;
    it.width = w;
    it.stretch = st;
    it.shrink = sh;
    it.penalty = pen;
    it.flagged = fl;
    return it;
}

static void ilist_free(ilist *l)
{
    free(l->v);
    free(l->txt);
    free(l->len);
    memset(l, 0, sizeof *l);
}

/* The glue after a word ending in ',' gets end_protrusion = comma_prot
 * (the comma may hang into the right margin) and start_protrusion =
 * start_prot. */
static ilist build(const char *s, double comma_prot, double start_prot)
{
    ilist l;
    const char *p = s;
    int bad = 0;
    memset(&l, 0, sizeof l);
    while (*p && !bad) {
        if (*p == ' ') {
            int after_comma = p > s && p[-1] == ',';
            while (*p == ' ')
                p++;
            if (*p && *p != '\n') {
                kp_item g = mk(KP_GLUE, 3.33, 1.67, 1.11, 0, 0);
                if (after_comma) {
                    g.end_protrusion = comma_prot;
                    g.start_protrusion = start_prot;
                }
                bad |= push(&l, g, " ", 1);
            }
            continue;
        }
        if (*p == '\n') {
            bad |= push(&l, mk(KP_PENALTY, 0, 0, 0, KP_INF, 0), "", 0);
            bad |= push(&l, mk(KP_GLUE, 0, FILL, 0, 0, 0), "", 0);
            bad |= push(&l, mk(KP_PENALTY, 0, 0, 0, -KP_INF, 0), "", 0);
            p++;
            while (*p == ' ')
                p++;
            continue;
        }
        {
            const char *q = p;
            while (*q && *q != ' ' && *q != '\n' && *q != '|')
                q++;
            bad |= push(&l, mk(KP_BOX, GLYPH * (double)(q - p), 0, 0, 0, 0), p,
                        (int)(q - p));
            p = q;
            if (*p == '|') {
                bad |= push(&l, mk(KP_PENALTY, GLYPH, 0, 0, 50, 1), "-", 1);
                p++;
            }
        }
    }
    bad |= push(&l, mk(KP_PENALTY, 0, 0, 0, KP_INF, 0), "", 0);
    bad |= push(&l, mk(KP_GLUE, 0, FILL, 0, 0, 0), "", 0);
    bad |= push(&l, mk(KP_PENALTY, 0, 0, 0, -KP_INF, 0), "", 0);
    if (bad) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return l;
}

/* ---- independent line metrics --------------------------------------- */

static int is_forced(const kp_item *it)
{
    return it->type == KP_PENALTY && it->penalty <= -KP_INF;
}

static int is_flagged(const ilist *l, int b)
{
    return l->v[b].type == KP_PENALTY && l->v[b].flagged;
}

static int legal(const ilist *l, int i)
{
    const kp_item *it = &l->v[i];
    if (it->type == KP_GLUE)
        return i > 0 && l->v[i - 1].type == KP_BOX;
    if (it->type == KP_PENALTY)
        return it->penalty < KP_INF;
    return 0;
}

/* First item of the line after break a (a = -1: paragraph start). */
static int line_start(const ilist *l, int a)
{
    int s;
    if (a < 0)
        return 0;
    s = a + 1;
    while (s < l->n && l->v[s].type != KP_BOX && !is_forced(&l->v[s]))
        s++;
    return s;
}

static int has_box(const ilist *l, int a, int b)
{
    int k;
    for (k = a + 1; k < b; k++)
        if (l->v[k].type == KP_BOX)
            return 1;
    return 0;
}

typedef struct linfo {
    double nat, st, sh, m, diff, fillst;
    int fill, over;
    double r;   /* real ratio, as kp reports it (overfull: -1) */
    double bad; /* badness with extra stretch es */
    int fit;
} linfo;

static linfo line_info(const ilist *l, int a, int b, double width, double es)
{
    linfo f;
    int k;
    memset(&f, 0, sizeof f);
    for (k = line_start(l, a); k < b; k++) {
        const kp_item *it = &l->v[k];
        if (it->type == KP_PENALTY)
            continue;
        f.nat += it->width;
        if (it->type == KP_GLUE) {
            if (it->stretch >= 1e6) {
                f.fill = 1;
                f.fillst += it->stretch;
            } else
                f.st += it->stretch;
            f.sh += it->shrink;
        }
    }
    if (l->v[b].type == KP_PENALTY)
        f.nat += l->v[b].width;
    f.m = width + l->v[b].end_protrusion + (a >= 0 ? l->v[a].start_protrusion : 0);
    f.diff = f.m - f.nat;
    f.fit = 2;
    if (f.diff > 1e-6) {
        if (f.fill) {
            f.r = f.diff / (f.st + f.fillst); /* ~0 */
        } else {
            double x = f.st + es > 0 ? f.diff / (f.st + es) : 1e9;
            f.bad = x > 100 ? 10000 : fmin(10000, 100 * x * x * x);
            f.fit = f.bad > 99 ? 0 : f.bad > 12 ? 1 : 2;
            f.r = f.st > 0 ? f.diff / f.st : 0;
        }
    } else if (f.diff < -1e-6) {
        if (f.diff + f.sh < -1e-6) {
            f.over = 1;
            f.bad = 10000;
            f.fit = 3;
            f.r = -1;
        } else {
            f.r = f.sh > 0 ? fmax(-1, f.diff / f.sh) : -1;
            f.bad = -100 * f.r * f.r * f.r;
            f.fit = f.bad > 12 ? 3 : 2;
        }
    }
    return f;
}

static double width_of(const double *w, int nw, int line)
{
    return w[line < nw ? line : nw - 1];
}

/* Demerits of one line, tex.web §859 with the header's names. */
static double line_demerits(const kp_params *p, const ilist *l, int b,
                            const linfo *f, int prev_fit, int prev_flagged,
                            int last)
{
    double pi = l->v[b].type == KP_PENALTY ? l->v[b].penalty : 0;
    double d = p->line_penalty + f->bad;
    d = fabs(d) >= 10000 ? 1e8 : d * d;
    if (pi > 0)
        d += pi * pi;
    else if (pi < 0 && pi > -KP_INF)
        d -= pi * pi;
    if (prev_flagged) {
        if (last)
            d += p->final_hyphen_demerits;
        else if (is_flagged(l, b))
            d += p->flagged_demerits;
    }
    if (abs(f->fit - prev_fit) > 1)
        d += p->fitness_demerits;
    return d;
}

/* Checks the structure of a result and that its ratios and overfull count
 * agree with the independent metrics. Returns the number of problems. */
static int check_result_q(const ilist *l, const kp_result *r, const double *w,
                          int nw, const char *what, int quiet)
{
    int i, a = -1, probs = 0, over = 0;
    if (r->nlines < 1 || !r->breaks || !r->ratios) {
        if (!quiet)
            CHECK(0, "%s: result has lines", what);
        return 1;
    }
    for (i = 0; i < r->nlines; i++) {
        int b = r->breaks[i];
        linfo f;
        if (b <= a || b >= l->n || !legal(l, b)) {
            probs++;
            break;
        }
        f = line_info(l, a, b, width_of(w, nw, i), 0);
        if (f.over)
            over++;
        if (fabs(f.r - r->ratios[i]) > 1e-6) {
            if (!quiet)
                printf("# %s: line %d ratio %.9f, expected %.9f\n", what, i,
                   r->ratios[i], f.r);
            probs++;
        }
        /* no line spans a forced break */
        {
            int k;
            for (k = a + 1; k < b; k++)
                if (is_forced(&l->v[k]))
                    probs++;
        }
        a = b;
    }
    if (a != l->n - 1)
        probs++;
    if (over != r->overfull)
        probs++;
    if (!quiet)
        CHECK(probs == 0, "%s: breaks legal, ratios and overfull (%d) agree with direct sums",
              what, r->overfull);
    return probs;
}

static int check_result(const ilist *l, const kp_result *r, const double *w,
                        int nw, const char *what)
{
    return check_result_q(l, r, w, nw, what, 0);
}

/* Total demerits of a break sequence; *feasible = every line within thr
 * (with extra stretch es), not overfull, and the flag limit kept. */
static double path_demerits(const ilist *l, const int *br, int nl,
                            const double *w, int nw, const kp_params *p,
                            double thr, double es, int *feasible)
{
    int i, a = -1, fit = 2, cnt = 0;
    double total = 0;
    *feasible = 1;
    for (i = 0; i < nl; i++) {
        int b = br[i], last = i == nl - 1;
        linfo f = line_info(l, a, b, width_of(w, nw, i), es);
        if (f.over || f.bad > thr + 1e-7)
            *feasible = 0;
        if (is_flagged(l, b) && !last) {
            if (p->max_consecutive_flagged > 0 && cnt >= p->max_consecutive_flagged)
                *feasible = 0;
        }
        total += line_demerits(p, l, b, &f, fit, cnt > 0, last);
        cnt = is_flagged(l, b) && !last ? cnt + 1 : 0;
        fit = f.fit;
        a = b;
    }
    return total;
}

static int max_flag_run(const ilist *l, const kp_result *r)
{
    int i, run = 0, mx = 0;
    for (i = 0; i + 1 < r->nlines; i++) {
        if (is_flagged(l, r->breaks[i])) {
            if (++run > mx)
                mx = run;
        } else {
            run = 0;
        }
    }
    return mx;
}

static int count_flagged(const ilist *l, const kp_result *r)
{
    int i, k = 0;
    for (i = 0; i + 1 < r->nlines; i++)
        k += is_flagged(l, r->breaks[i]);
    return k;
}

static void show(const ilist *l, const kp_result *r)
{
    int i, k, s = 0;
    for (i = 0; i < r->nlines; i++) {
        int b = r->breaks[i];
        printf("#   %7.3f |", r->ratios[i]);
        for (k = s; k < b; k++)
            if (l->v[k].type != KP_PENALTY)
                printf("%.*s", l->len[k], l->txt[k]);
        if (is_flagged(l, b))
            printf("-");
        printf("|\n");
        s = line_start(l, b);
    }
}

static double max_ratio(const kp_result *r)
{
    double mx = -2;
    int i;
    for (i = 0; i + 1 < r->nlines; i++)
        if (r->ratios[i] > mx)
            mx = r->ratios[i];
    return mx;
}

/* ---- first fit (greedy) ---------------------------------------------- */

/* Longest line that fits at full shrink; no hyphenation. */
static int first_fit(const ilist *l, double m, int *br, int max)
{
    int a = -1, nl = 0;
    while (a < l->n - 1 && nl < max) {
        int b, best = -1;
        for (b = a + 1; b < l->n; b++) {
            linfo f;
            if (!legal(l, b) || is_flagged(l, b))
                continue;
            f = line_info(l, a, b, m, 0);
            if (f.over) {
                if (best < 0)
                    best = b;
                break;
            }
            best = b;
            if (is_forced(&l->v[b]))
                break;
        }
        br[nl++] = best;
        a = best;
    }
    return nl;
}

/* ---- brute-force optimum ---------------------------------------------- */

/* Minimum total demerits over all break sequences that one kp pass allows
 * (threshold thr, extra stretch es, flagged breaks if allow_flagged), by
 * dynamic programming over (break, fitness, flag count, line class).
 * Mirrors kp's rules: a node dies at the first break where its line is
 * overfull and at every forced break; no empty line except before a forced
 * break. Returns HUGE_VAL if there is no solution. */
static double dp_optimum(const ilist *l, const double *w, int nw,
                         const kp_params *p, double thr, double es,
                         int allow_flagged)
{
    int npos = 0, i, j, L = p->max_consecutive_flagged;
    int ncnt = (L > 0 ? L : 1) + 1;
    int *pos = malloc((size_t)(l->n + 1) * sizeof *pos);
    size_t nstate;
    double *dp, best = HUGE_VAL;
    if (!pos)
        return -1;
    pos[npos++] = -1;
    for (i = 0; i < l->n; i++)
        if (legal(l, i) && (allow_flagged || !is_flagged(l, i) || i == l->n - 1))
            pos[npos++] = i;
    nstate = (size_t)npos * 4 * (size_t)ncnt * (size_t)nw;
    dp = malloc(nstate * sizeof *dp);
    if (!dp) {
        free(pos);
        return -1;
    }
    for (i = 0; i < (int)nstate; i++)
        dp[i] = HUGE_VAL;
#define DP(j_, f_, k_, c_) dp[(((size_t)(j_) * 4 + (size_t)(f_)) * (size_t)ncnt + (size_t)(k_)) * (size_t)nw + (size_t)(c_)]
    DP(0, 2, 0, 0) = 0;
    for (j = 0; j < npos; j++) {
        int f0, k0, c0;
        for (f0 = 0; f0 < 4; f0++)
            for (k0 = 0; k0 < ncnt; k0++)
                for (c0 = 0; c0 < nw; c0++) {
                    double v = DP(j, f0, k0, c0);
                    int jb;
                    if (v == HUGE_VAL)
                        continue;
                    for (jb = j + 1; jb < npos; jb++) {
                        int a = pos[j], b = pos[jb];
                        int forced = is_forced(&l->v[b]), last = b == l->n - 1;
                        int fl = is_flagged(l, b) && !last;
                        linfo f;
                        if (a >= 0 && !forced && !has_box(l, a, b))
                            continue;
                        f = line_info(l, a, b, w[c0], es);
                        if (f.over)
                            break;
                        if (f.bad <= thr + 1e-7 && !(fl && L > 0 && k0 >= L)) {
                            int k1 = fl ? (k0 + 1 < ncnt ? k0 + 1 : ncnt - 1) : 0;
                            int c1 = c0 + 1 < nw ? c0 + 1 : nw - 1;
                            double d = v + line_demerits(p, l, b, &f, f0, k0 > 0, last);
                            if (d < DP(jb, f.fit, k1, c1))
                                DP(jb, f.fit, k1, c1) = d;
                        }
                        if (forced)
                            break;
                    }
                }
    }
    for (i = 0; i < 4 * ncnt * nw; i++)
        if (dp[(size_t)(npos - 1) * 4 * (size_t)ncnt * (size_t)nw + (size_t)i] < best)
            best = dp[(size_t)(npos - 1) * 4 * (size_t)ncnt * (size_t)nw + (size_t)i];
#undef DP
    free(dp);
    free(pos);
    return best;
}

/* ---- tests -------------------------------------------------------------- */

static const char *frog =
    "In olden times when wishing still helped one, there lived a king whose "
    "daughters were all beautiful; and the youngest was so beautiful that the "
    "sun itself, which has seen so much, was astonished whenever it shone in "
    "her face. Close by the king's castle lay a great dark forest, and under "
    "an old lime-tree in the forest was a well, and when the day was very "
    "warm, the king's child went out into the forest and sat down by the side "
    "of the cool fountain; and when she was bored she took a golden ball, and "
    "threw it up on high and caught it; and this ball was her favorite "
    "plaything.";

static void test_paragraph(void)
{
    double m = 200;
    ilist l = build(frog, 0, 0);
    kp_params p;
    kp_result r;
    int rc, i, fits = 1;
    double hi;
    kp_default_params(&p, m);
    rc = kp_break(l.v, l.n, &m, 1, &p, &r);
    CHECK(rc == 0, "frog king paragraph at 200pt breaks (rc %d)", rc);
    if (rc == 0) {
        /* the pass that found it bounds every line's badness */
        hi = cbrt((r.pass == 1 ? p.pretolerance : p.tolerance) / 100.0);
        CHECK(r.pass <= 2, "found without emergency stretch (pass %d, %d lines)",
              r.pass, r.nlines);
        check_result(&l, &r, &m, 1, "frog 200pt");
        for (i = 0; i + 1 < r.nlines; i++)
            if (r.ratios[i] < -1 - 1e-9 || r.ratios[i] > hi + 1e-9)
                fits = 0;
        CHECK(fits, "every line has -1 <= r <= %.3f (max %.3f)", hi, max_ratio(&r));
        CHECK(r.overfull == 0, "no overfull line");
        CHECK(fabs(r.ratios[r.nlines - 1]) < 1e-3,
              "last line is not stretched (r = %g)", r.ratios[r.nlines - 1]);
        CHECK(r.breaks[r.nlines - 1] == l.n - 1, "last break is the final penalty");
        show(&l, &r);
        kp_result_free(&r);
        CHECK(r.breaks == NULL && r.ratios == NULL, "kp_result_free clears");
    }
    ilist_free(&l);
}

static void test_first_fit(void)
{
    /* First fit fills line 1 to the brim (it fits only by shrinking) and is
     * left with "whenever daughters" stretched by r > 3; total fit moves
     * "a" down and sets both lines at r <= 0.5. */
    const char *s = "to of a child she to threw a whenever daughters gold forest golden";
    double m = 122;
    ilist l = build(s, 0, 0);
    kp_params p;
    kp_result r;
    int br[64] = {0}, nl, i, a = -1, rc;
    double gmax = -2, gdem, kdem;
    int feas;
    nl = first_fit(&l, m, br, 64);
    for (i = 0; i < nl; i++) {
        linfo f = line_info(&l, a, br[i], m, 0);
        if (i + 1 < nl && f.r > gmax)
            gmax = f.r;
        a = br[i];
    }
    kp_default_params(&p, m);
    rc = kp_break(l.v, l.n, &m, 1, &p, &r);
    CHECK(rc == 0, "first-fit example breaks");
    if (rc == 0) {
        gdem = path_demerits(&l, br, nl, &m, 1, &p, HUGE_VAL, 0, &feas);
        kdem = path_demerits(&l, r.breaks, r.nlines, &m, 1, &p, HUGE_VAL, 0, &feas);
        CHECK(gmax > 2, "first fit has a very loose line (max r %.3f)", gmax);
        CHECK(max_ratio(&r) < 1, "total fit has none (max r %.3f, pass %d)",
              max_ratio(&r), r.pass);
        CHECK(r.nlines == nl, "same number of lines (%d)", nl);
        CHECK(kdem < gdem, "total fit demerits %.0f < first fit %.0f", kdem, gdem);
        show(&l, &r);
        kp_result_free(&r);
    }
    ilist_free(&l);
}

static void test_forced(void)
{
    const char *s = "In olden times when wishing still helped one, there lived a king\n"
                    "whose daughters were all beautiful; and the youngest was so "
                    "beautiful that the sun itself was astonished.";
    double m = 150;
    ilist l = build(s, 0, 0);
    kp_params p;
    kp_result r;
    int rc, i, forced_at = -1, found = 0;
    for (i = 0; i < l.n - 1; i++)
        if (is_forced(&l.v[i]))
            forced_at = i;
    kp_default_params(&p, m);
    rc = kp_break(l.v, l.n, &m, 1, &p, &r);
    CHECK(rc == 0, "paragraph with a forced break breaks");
    if (rc == 0) {
        for (i = 0; i < r.nlines; i++)
            if (r.breaks[i] == forced_at) {
                found = 1;
                CHECK(fabs(r.ratios[i]) < 1e-3, "line ending at the forced break is filled, not stretched");
            }
        CHECK(found, "forced break (item %d) is a break", forced_at);
        check_result(&l, &r, &m, 1, "forced");
        kp_result_free(&r);
    }
    ilist_free(&l);
}

static void test_hyphens(void)
{
    /* Needed: no set of whole-word lines is within tolerance. */
    {
        const char *s = "golden plaything astonished golden beautiful forest";
        const char *h = "gold|en play|thing as|ton|ished gold|en beau|ti|ful for|est";
        double m = 111;
        ilist l0 = build(s, 0, 0), l1 = build(h, 0, 0);
        kp_params p;
        kp_result r0, r1;
        int rc0, rc1;
        kp_default_params(&p, m);
        p.emergency_stretch = 0;
        rc0 = kp_break(l0.v, l0.n, &m, 1, &p, &r0);
        rc1 = kp_break(l1.v, l1.n, &m, 1, &p, &r1);
        CHECK(rc0 == 0 && rc1 == 0, "hyphenation example breaks");
        if (rc0 == 0 && rc1 == 0) {
            CHECK(r0.pass == 4, "without hyphenation points only the final pass works (pass %d)", r0.pass);
            CHECK(r1.pass == 2 && count_flagged(&l1, &r1) > 0,
                  "with them pass 2 succeeds and uses %d hyphens (pass %d)",
                  count_flagged(&l1, &r1), r1.pass);
            check_result(&l1, &r1, &m, 1, "hyphens needed");
            show(&l1, &r1);
            kp_result_free(&r0);
            kp_result_free(&r1);
        }
        ilist_free(&l0);
        ilist_free(&l1);
    }
    /* Not needed: the first pass never looks at hyphenation points. */
    {
        const char *h = "In olden times when wish|ing still helped one, there lived a "
                        "king whose daugh|ters were all beau|ti|ful; and the young|est "
                        "was so beau|ti|ful that the sun it|self, which has seen so "
                        "much, was as|ton|ished when|ev|er it shone in her face.";
        double m = 255;
        ilist l = build(h, 0, 0);
        kp_params p;
        kp_result r;
        int rc;
        kp_default_params(&p, m);
        rc = kp_break(l.v, l.n, &m, 1, &p, &r);
        CHECK(rc == 0 && r.pass == 1 && count_flagged(&l, &r) == 0,
              "hyphens are not used when the first pass succeeds (pass %d)", r.pass);
        if (rc == 0)
            kp_result_free(&r);
        ilist_free(&l);
    }
    /* The limit: with no limit pass 2 prefers three hyphens in a row. */
    {
        const char *h = "king for|est of the of beau|ti|ful ex|tra|or|di|nar|y "
                        "daugh|ters when|ev|er daugh|ters un|der|stand|ing";
        double m = 127;
        ilist l = build(h, 0, 0);
        kp_params p;
        kp_result r0, r2;
        int rc0, rc2;
        kp_default_params(&p, m);
        p.max_consecutive_flagged = 0;
        rc0 = kp_break(l.v, l.n, &m, 1, &p, &r0);
        p.max_consecutive_flagged = 2;
        rc2 = kp_break(l.v, l.n, &m, 1, &p, &r2);
        CHECK(rc0 == 0 && rc2 == 0, "flag-limit example breaks");
        if (rc0 == 0 && rc2 == 0) {
            CHECK(r0.pass == 2 && max_flag_run(&l, &r0) >= 3,
                  "unlimited: pass %d, %d flagged lines in a row", r0.pass,
                  max_flag_run(&l, &r0));
            show(&l, &r0);
            CHECK(max_flag_run(&l, &r2) <= 2 && r2.overfull == 0,
                  "max_consecutive_flagged=2: at most %d in a row (pass %d)",
                  max_flag_run(&l, &r2), r2.pass);
            show(&l, &r2);
            check_result(&l, &r2, &m, 1, "flag limit");
            p.max_consecutive_flagged = 1;
            kp_result_free(&r2);
            rc2 = kp_break(l.v, l.n, &m, 1, &p, &r2);
            CHECK(rc2 == 0 && max_flag_run(&l, &r2) <= 1,
                  "max_consecutive_flagged=1: no two in a row (pass %d)", r2.pass);
            kp_result_free(&r0);
            if (rc2 == 0)
                kp_result_free(&r2);
        }
        ilist_free(&l);
    }
}

static void test_protrusion(void)
{
    /* "aaaa bbbbb ccccc," is 81.66pt, 79.44pt at full shrink: overfull in
     * 78pt unless the comma hangs into the margin. */
    const char *s = "aaaa bbbbb ccccc, dddd eeeee fffff, gggg hhhh";
    double m = 78;
    ilist l0 = build(s, 0, 0), l1 = build(s, 5, 0), l2 = build(s, 5, 3.33);
    kp_params p;
    kp_result r0, r1, r2;
    int rc0, rc1, rc2, comma = -1, i;
    for (i = 0; i < l1.n; i++)
        if (l1.v[i].type == KP_GLUE && l1.v[i].end_protrusion > 0) {
            comma = i;
            break;
        }
    kp_default_params(&p, m);
    rc0 = kp_break(l0.v, l0.n, &m, 1, &p, &r0);
    rc1 = kp_break(l1.v, l1.n, &m, 1, &p, &r1);
    rc2 = kp_break(l2.v, l2.n, &m, 1, &p, &r2);
    CHECK(rc0 == 0 && rc1 == 0 && rc2 == 0, "protrusion examples break");
    if (rc0 == 0 && rc1 == 0 && rc2 == 0) {
        CHECK(r0.breaks[0] != comma, "without protrusion line 1 cannot end after \"cccc,\"");
        CHECK(r1.breaks[0] == comma && r1.overfull == 0 && r1.pass == 1 &&
                  fabs(r1.ratios[0] - (83 - 81.66) / (2 * 1.67)) < 1e-9,
              "with end_protrusion 5 it does (r = %.3f, pass %d)", r1.ratios[0], r1.pass);
        check_result(&l1, &r1, &m, 1, "end protrusion");
        show(&l1, &r1);
        /* start protrusion widens the second line by 3.33 */
        CHECK(r2.nlines >= 3 && r2.breaks[0] == comma &&
                  fabs(r2.ratios[1] - r1.ratios[1] - 3.33 / (2 * 1.67)) < 1e-6,
              "start_protrusion widens the next line (r %.3f vs %.3f)",
              r2.nlines >= 3 ? r2.ratios[1] : 0, r1.nlines >= 3 ? r1.ratios[1] : 0);
        check_result(&l2, &r2, &m, 1, "start protrusion");
        kp_result_free(&r0);
        kp_result_free(&r1);
        kp_result_free(&r2);
    }
    ilist_free(&l0);
    ilist_free(&l1);
    ilist_free(&l2);
}

static void test_overfull(void)
{
    const char *s = "aaa bbb cccccccccccccccccccccccccccccc ddd eee";
    double m = 60;
    ilist l = build(s, 0, 0);
    kp_params p;
    kp_result r;
    int rc, i, wide = -1;
    kp_default_params(&p, m);
    rc = kp_break(l.v, l.n, &m, 1, &p, &r);
    CHECK(rc == 0, "paragraph with a 150pt word in 60pt still breaks (rc %d)", rc);
    if (rc == 0) {
        CHECK(r.overfull == 1 && r.pass == 4, "overfull = %d, pass = %d", r.overfull, r.pass);
        for (i = 0; i < r.nlines; i++)
            if (r.ratios[i] == -1)
                wide = i;
        CHECK(wide > 0 && r.breaks[wide] == 5 && r.breaks[wide - 1] == 3,
              "the wide word stands alone on its overfull line");
        check_result(&l, &r, &m, 1, "overfull");
        show(&l, &r);
        kp_result_free(&r);
    }
    ilist_free(&l);
}

static void test_widths(void)
{
    double w2[2] = {160, 240}, w1 = 240;
    ilist l = build(frog, 0, 0);
    kp_params p;
    kp_result r1, r2;
    int rc1, rc2;
    linfo f;
    kp_default_params(&p, 240);
    rc1 = kp_break(l.v, l.n, &w1, 1, &p, &r1);
    rc2 = kp_break(l.v, l.n, w2, 2, &p, &r2);
    CHECK(rc1 == 0 && rc2 == 0, "nwidths 1 and 2 break");
    if (rc1 == 0 && rc2 == 0) {
        f = line_info(&l, -1, r2.breaks[0], w2[0], 0);
        CHECK(r2.pass <= 2 && f.nat - f.sh <= 160 && f.nat + f.st >= 160,
              "first line fits 160pt (natural %.2f, pass %d)", f.nat, r2.pass);
        CHECK(r2.breaks[0] < r1.breaks[0], "and is shorter than with one width");
        check_result(&l, &r2, w2, 2, "two widths");
        show(&l, &r2);
        kp_result_free(&r1);
        kp_result_free(&r2);
    }
    ilist_free(&l);
}

static void test_empty(void)
{
    kp_item it[2];
    double m = 100;
    kp_params p;
    kp_result r;
    int rc;
    ilist l = build("", 0, 0);
    it[0] = mk(KP_GLUE, 0, FILL, 0, 0, 0);
    it[1] = mk(KP_PENALTY, 0, 0, 0, -KP_INF, 0);
    kp_default_params(&p, m);
    rc = kp_break(it, 2, &m, 1, &p, &r);
    CHECK(rc == 0 && r.nlines == 1 && r.breaks[0] == 1 && r.overfull == 0 &&
              fabs(r.ratios[0]) < 1e-3 && r.pass == 1,
          "fill glue + forced penalty: one line, pass 1");
    if (rc == 0)
        kp_result_free(&r);
    rc = kp_break(l.v, l.n, &m, 1, &p, &r);
    CHECK(rc == 0 && r.nlines == 1 && r.breaks[0] == 2,
          "penalty(10000) + fill glue + forced penalty: one line");
    if (rc == 0)
        kp_result_free(&r);
    ilist_free(&l);
}

static void test_malformed(void)
{
    kp_item it[4];
    double m = 100, bad_m = NAN;
    kp_params p;
    kp_result r;
    int rc;
    kp_default_params(&p, m);
    it[0] = mk(KP_BOX, 20, 0, 0, 0, 0);
    it[1] = mk(KP_GLUE, 0, FILL, 0, 0, 0);
    it[2] = mk(KP_PENALTY, 0, 0, 0, -KP_INF, 0);
    CHECK(kp_break(it, 0, &m, 1, &p, &r) == -1 && r.breaks == NULL, "n = 0 -> -1");
    CHECK(kp_break(it, 3, &m, 0, &p, &r) == -1, "nwidths = 0 -> -1");
    CHECK(kp_break(NULL, 3, &m, 1, &p, &r) == -1, "items NULL -> -1");
    CHECK(kp_break(it, 3, &m, 1, NULL, &r) == -1, "params NULL -> -1");
    CHECK(kp_break(it, 3, &m, 1, &p, NULL) == -1, "out NULL -> -1");
    CHECK(kp_break(it, 3, &bad_m, 1, &p, &r) == -1, "NaN measure -> -1");
    CHECK(kp_break(it, 2, &m, 1, &p, &r) == -1, "no final forced break -> -1");
    it[0].width = NAN;
    CHECK(kp_break(it, 3, &m, 1, &p, &r) == -1, "NaN width -> -1");
    it[0].width = INFINITY;
    CHECK(kp_break(it, 3, &m, 1, &p, &r) == -1, "infinite width -> -1");
    it[0].width = 20;
    it[1].shrink = -1;
    CHECK(kp_break(it, 3, &m, 1, &p, &r) == -1, "negative shrink -> -1");
    it[1].shrink = 0;
    it[2].penalty = NAN;
    CHECK(kp_break(it, 3, &m, 1, &p, &r) == -1, "NaN penalty -> -1");
    it[2].penalty = -KP_INF;
    it[0].type = (kp_type)7;
    CHECK(kp_break(it, 3, &m, 1, &p, &r) == -1, "unknown item type -> -1");
    it[0].type = KP_BOX;
    kp_result_free(&r); /* harmless on a failed result */

    /* negative widths are accepted and must not crash */
    {
        ilist l = build("aaa bbb ccc ddd eee fff ggg hhh iii jjj", 0, 0);
        int i, ok = 1;
        for (i = 0; i < l.n; i++)
            if (l.v[i].type == KP_BOX && i % 3 == 0)
                l.v[i].width = -40;
        rc = kp_break(l.v, l.n, &m, 1, &p, &r);
        if (rc == 0) {
            for (i = 0; i < r.nlines; i++)
                if (r.breaks[i] < 0 || r.breaks[i] >= l.n || !isfinite(r.ratios[i]))
                    ok = 0;
            ok = ok && r.breaks[r.nlines - 1] == l.n - 1;
            kp_result_free(&r);
        }
        CHECK(rc == 0 && ok, "negative widths: a sane result (rc %d)", rc);
        ilist_free(&l);
    }
    /* a measure of 0 and forced breaks with nothing between them */
    {
        ilist l = build("aaa\n\nbbb ccc", 0, 0);
        double z = 0;
        rc = kp_break(l.v, l.n, &z, 1, &p, &r);
        CHECK(rc == 0 && r.pass == 4 && r.overfull >= 2,
              "measure 0: still a result (overfull %d)", rc == 0 ? r.overfull : -1);
        if (rc == 0)
            kp_result_free(&r);
        rc = kp_break(l.v, l.n, &m, 1, &p, &r);
        CHECK(rc == 0 && r.nlines == 3, "empty line between two forced breaks (%d lines)",
              rc == 0 ? r.nlines : -1);
        if (rc == 0)
            kp_result_free(&r);
        ilist_free(&l);
    }
}

static void test_looseness(void)
{
    double m = 240;
    ilist l = build(frog, 0, 0);
    kp_params p;
    kp_result r0, r1, rm;
    int rc0, rc1, rcm;
    kp_default_params(&p, m);
    rc0 = kp_break(l.v, l.n, &m, 1, &p, &r0);
    p.looseness = 1;
    rc1 = kp_break(l.v, l.n, &m, 1, &p, &r1);
    p.looseness = -1;
    rcm = kp_break(l.v, l.n, &m, 1, &p, &rm);
    CHECK(rc0 == 0 && rc1 == 0 && rcm == 0, "looseness examples break");
    if (rc0 == 0 && rc1 == 0 && rcm == 0) {
        CHECK(r1.nlines == r0.nlines + 1 && r1.overfull == 0,
              "looseness +1: %d lines instead of %d (pass %d)", r1.nlines, r0.nlines, r1.pass);
        CHECK(rm.nlines == r0.nlines - 1 && rm.overfull == 0,
              "looseness -1: %d lines (pass %d)", rm.nlines, rm.pass);
        kp_result_free(&r0);
        kp_result_free(&r1);
        kp_result_free(&rm);
    }
    ilist_free(&l);
}

static uint64_t rng = 88172645463325252ull;
static int rnd(int k)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int)(rng % (uint64_t)k);
}

static const char *dict[] = {
    "a", "of", "the", "an", "king", "frog", "well", "gold", "old", "was",
    "beau|ti|ful", "daugh|ters", "foun|tain", "when|ev|er", "play|thing",
    "cas|tle", "gold|en", "for|est", "young|est", "as|ton|ished",
    "won|der|ful", "un|der|stand|ing", "ex|tra|or|di|nar|y", "it|self,",
    "much,", "well,", "face.", "ball,"};

/* Random paragraphs: kp's solution must be the optimum of its pass, and
 * the pass must be the first one that has a solution. */
static void test_optimal(void)
{
    int trial, bad_opt = 0, bad_pass = 0, bad_feas = 0, checked = 0, checked4 = 0;
    int passes[5] = {0};
    static char buf[4096];
    for (trial = 0; trial < 3000; trial++) {
        int nwords = 3 + rnd(25), i, nw = 1 + rnd(3), rc, feas;
        double w[3], es;
        kp_params p;
        kp_result r;
        ilist l;
        buf[0] = 0;
        for (i = 0; i < nwords; i++) {
            if (i)
                strcat(buf, rnd(12) ? " " : "\n");
            strcat(buf, dict[rnd((int)(sizeof dict / sizeof *dict))]);
        }
        l = build(buf, rnd(2) ? 0 : 1 + rnd(5), rnd(3) ? 0 : rnd(4));
        for (i = 0; i < nw; i++)
            w[i] = trial % 5 ? 50 + rnd(150) : 15 + rnd(40); /* narrow: overfull lines */
        kp_default_params(&p, w[nw - 1]);
        p.pretolerance = rnd(3) ? 100 : -1;
        p.tolerance = (double[]){200, 400, 1000, 10000}[rnd(4)];
        p.emergency_stretch = rnd(2) ? 0 : rnd(30);
        p.flagged_demerits = rnd(2) ? 0 : 3000;
        p.fitness_demerits = (double[]){0, 100, 1000}[rnd(3)];
        p.final_hyphen_demerits = rnd(2) ? 0 : 5000;
        p.max_consecutive_flagged = rnd(4);
        rc = kp_break(l.v, l.n, w, nw, &p, &r);
        if (rc != 0) {
            bad_feas++;
            ilist_free(&l);
            continue;
        }
        passes[r.pass]++;
        {
            /* the first pass with a solution */
            int want = 4;
            double opt = HUGE_VAL, thr = 0;
            es = 0;
            if (p.pretolerance >= 0 &&
                (opt = dp_optimum(&l, w, nw, &p, p.pretolerance, 0, 0)) < HUGE_VAL) {
                want = 1;
                thr = p.pretolerance;
            } else if ((opt = dp_optimum(&l, w, nw, &p, p.tolerance, 0, 1)) < HUGE_VAL) {
                want = 2;
                thr = p.tolerance;
            } else if (p.emergency_stretch > 0 &&
                       (opt = dp_optimum(&l, w, nw, &p, p.tolerance,
                                         p.emergency_stretch, 1)) < HUGE_VAL) {
                want = 3;
                thr = p.tolerance;
                es = p.emergency_stretch;
            }
            if (want != r.pass) {
                bad_pass++;
                if (bad_pass < 4)
                    printf("# trial %d: pass %d, want %d: %s\n", trial, r.pass, want, buf);
            } else if (want < 4) {
                double got = path_demerits(&l, r.breaks, r.nlines, w, nw, &p, thr, es, &feas);
                checked++;
                if (!feas || fabs(got - opt) > 1e-6 * fmax(1, fabs(opt))) {
                    bad_opt++;
                    if (bad_opt < 4)
                        printf("# trial %d pass %d: demerits %.3f, optimum %.3f, feasible %d: %s\n",
                               trial, r.pass, got, opt, feas, buf);
                }
            } else {
                /* final pass: every line is feasible, so it is exact too
                 * when some solution has no overfull line and keeps the
                 * flag limit; otherwise it must break one of those */
                double es4 = p.emergency_stretch > 0 ? p.emergency_stretch : 0;
                opt = dp_optimum(&l, w, nw, &p, HUGE_VAL, es4, 1);
                if (opt < HUGE_VAL) {
                    double got = path_demerits(&l, r.breaks, r.nlines, w, nw, &p,
                                               HUGE_VAL, es4, &feas);
                    checked4++;
                    if (!feas || r.overfull ||
                        fabs(got - opt) > 1e-6 * fmax(1, fabs(opt))) {
                        bad_opt++;
                        if (bad_opt < 4)
                            printf("# trial %d pass 4: demerits %.3f, optimum %.3f, feasible %d: %s\n",
                                   trial, got, opt, feas, buf);
                    }
                } else if (r.overfull == 0 &&
                           (p.max_consecutive_flagged == 0 ||
                            max_flag_run(&l, &r) <= p.max_consecutive_flagged)) {
                    bad_opt++;
                    if (bad_opt < 4)
                        printf("# trial %d pass 4: no solution expected: %s\n", trial, buf);
                }
            }
            if (check_result_q(&l, &r, w, nw, "random", 1))
                bad_feas++;
        }
        kp_result_free(&r);
        ilist_free(&l);
    }
    printf("# random paragraphs: passes 1..4 = %d %d %d %d; compared with the optimum: "
           "%d (passes 1-3), %d (pass 4)\n",
           passes[1], passes[2], passes[3], passes[4], checked, checked4);
    CHECK(bad_pass == 0, "kp's pass is the first pass with a solution (%d wrong)", bad_pass);
    CHECK(bad_opt == 0, "kp's demerits equal the brute-force optimum (%d wrong)", bad_opt);
    CHECK(bad_feas == 0, "results well-formed (%d bad)", bad_feas);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* About a million items of text; `wide` puts one unbreakable 600pt word
 * near the end, so passes 1-3 fail there and the final pass runs. */
static void run_big(int wide)
{
    size_t cap = 2300000, len = 0;
    char *s = malloc(cap + 64);
    double m = 300, t0, t1;
    kp_params p;
    kp_result r;
    ilist l;
    int rc;
    if (!s) {
        CHECK(0, "malloc");
        return;
    }
    while (len < cap - 200) {
        int k = 1 + rnd(10), j;
        if (len)
            s[len++] = ' ';
        if (wide == 1 && len > cap - 400) {
            memset(s + len, 'w', 120);
            len += 120;
            wide = 2;
            continue;
        }
        for (j = 0; j < k; j++) {
            s[len++] = (char)('a' + rnd(26));
            if (j > 1 && j + 2 < k && rnd(4) == 0)
                s[len++] = '|';
        }
    }
    s[len] = 0;
    l = build(s, 0, 0);
    kp_default_params(&p, m);
    t0 = now();
    rc = kp_break(l.v, l.n, &m, 1, &p, &r);
    t1 = now();
    CHECK(rc == 0, "%d items%s break (rc %d)", l.n, wide ? " with a 600pt word" : "", rc);
    if (rc == 0) {
        printf("# %d items, %d lines, pass %d, overfull %d: %.3f s\n", l.n, r.nlines,
               r.pass, r.overfull, t1 - t0);
        if (wide)
            CHECK(r.pass == 4 && r.overfull == 1, "one overfull line (pass %d, %d)",
                  r.pass, r.overfull);
        else
            check_result(&l, &r, &m, 1, "big paragraph");
        kp_result_free(&r);
    }
    ilist_free(&l);
    free(s);
}

int main(void)
{
    test_paragraph();
    test_first_fit();
    test_forced();
    test_hyphens();
    test_protrusion();
    test_overfull();
    test_widths();
    test_empty();
    test_malformed();
    test_looseness();
    test_optimal();
    run_big(0);
    run_big(1);
    HARNESS_EXIT();
}
