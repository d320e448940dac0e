/* lines — the chosen breaks into lines of glyph runs (see para_int.h).
 *
 * A word broken at a line end reads as one word: its first part and the
 * inserted hyphen map to no text, and the part on the next line carries
 * the whole word (so copying, searching and text extraction all see
 * "organiseren", not "or-" / "ganiseren"). A diaeresis dropped at the
 * break (ideeën -> idee- / en) is re-shaped without it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "text/para_int.h"

/* Glyphs g0..g1 of sh positioned from 0, in arena a with room for one more
 * (a word space); returns their advance. */
static double place_glyphs(arena *a, const shaped *sh, int g0, int g1, pglyph **out)
{
    int n = g1 - g0;
    pglyph *g = arena_alloc(a, (size_t)(n + 1) * sizeof *g);
    double gx = 0;
    for (int i = 0; i < n; i++) {
        int k = g0 + i;
        g[i].id = sh->gid[k];
        g[i].x = (float)(gx + sh->dx[k]);
        g[i].y = (float)(-sh->dy[k]);
        gx += sh->adv[k];
    }
    *out = g;
    return gx;
}

static pcluster *clusters_for(arena *a, const seg *s, int g0, int g1, size_t *text_start, size_t *text_len,
                              int *ncl)
{
    size_t start = g0 < s->sh.n ? s->sh.cluster[g0] : (size_t)(s->t1 - s->t0);
    size_t end = g1 < s->sh.n ? s->sh.cluster[g1] : (size_t)(s->t1 - s->t0);
    if (end < start)
        end = start;
    pcluster *cl = arena_alloc(a, (size_t)(g1 - g0 + 1) * sizeof *cl);
    int n = 0;
    int g = g0;
    while (g < g1) {
        uint32_t c0 = s->sh.cluster[g];
        int k = g;
        while (k < g1 && s->sh.cluster[k] == c0)
            k++;
        size_t next = k < g1 ? s->sh.cluster[k] : end;
        cl[n].bytes = (int)(next - c0);
        cl[n].glyphs = k - g;
        n++;
        g = k;
    }
    *text_start = s->t0 + start;
    *text_len = end - start;
    *ncl = n;
    return cl;
}

static void add_run(builder *b, pline *ln, lrun *runs, int *nr, double x, const piece *p, size_t *t_start)
{
    arena *a = &b->tmp;
    const seg *s = &b->segs[p->seg];
    int n = p->g1 - p->g0;
    if (n <= 0)
        return;
    pglyph *g;
    double gx = place_glyphs(a, &s->sh, p->g0, p->g1, &g);
    size_t ts, tl;
    int ncl;
    const pcluster *cl = clusters_for(a, s, p->g0, p->g1, &ts, &tl, &ncl);
    if (t_start)
        *t_start = ts;
    lrun *r = &runs[(*nr)++];
    r->x = x;
    r->w = gx;
    r->st = p->st;
    r->st.font = s->font;
    r->text = arena_strndup(a, b->T.data + ts, tl + 1); /* room for a word space */
    ((char *)r->text)[tl] = 0;
    r->text_len = (int)tl;
    r->g = g;
    r->ng = n;
    r->cl = cl;
    r->ncl = ncl;
    if (ln->size < p->st.size)
        ln->size = p->st.size;
}

/* Ends a run with a real space character (an invisible space glyph at the
 * run's end, mapped to " "), so that text extraction, screen readers and
 * the structure tree see words, not only gaps. */
static void add_space(builder *b, lrun *r)
{
    hb_codepoint_t gid;
    if (!r->ng || r->text_len == 0 || r->text[r->text_len - 1] == ' ' ||
        !hb_font_get_nominal_glyph(b->c->fs->f[r->st.font].hb, ' ', &gid))
        return;
    pglyph *g = (pglyph *)r->g; /* add_run left room for one more */
    g[r->ng].id = gid;
    g[r->ng].x = (float)r->w;
    g[r->ng].y = 0;
    r->ng++;
    char *t = (char *)r->text;
    t[r->text_len++] = ' ';
    t[r->text_len] = 0;
    pcluster *cl = arena_alloc(&b->tmp, (size_t)(r->ncl + 1) * sizeof *cl);
    memcpy(cl, r->cl, (size_t)r->ncl * sizeof *cl);
    cl[r->ncl].bytes = 1;
    cl[r->ncl].glyphs = 1;
    r->cl = cl;
    r->ncl++;
}

static int same_run_style(const lrun *a, const lrun *b)
{
    return !a->img && !b->img && a->st.font == b->st.font && a->st.size == b->st.size &&
           a->st.color.r == b->st.color.r && a->st.color.g == b->st.color.g && a->st.color.b == b->st.color.b &&
           a->st.link == b->st.link && a->st.code == b->st.code && a->st.tabular == b->st.tabular &&
           a->st.rise == b->st.rise &&
           a->st.strike == b->st.strike;
}

/* Joins neighbouring runs of one style into one (a line then holds a few
 * runs instead of one per word: less memory, fewer drawing operations) and
 * copies the result into arena a; returns the runs, *nr their count. */
static lrun *merge_runs(arena *a, const lrun *runs, int *nr)
{
    int n = *nr, out = 0;
    int groups = 0;
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && same_run_style(&runs[i], &runs[j]))
            j++;
        groups++;
        i = j;
    }
    lrun *res = arena_alloc(a, (size_t)(groups > 0 ? groups : 1) * sizeof *res);
    for (int i = 0; i < n;) {
        int j = i + 1;
        int ng = runs[i].ng, ncl = runs[i].ncl, tl = runs[i].text_len;
        while (j < n && same_run_style(&runs[i], &runs[j])) {
            ng += runs[j].ng;
            ncl += runs[j].ncl;
            tl += runs[j].text_len;
            j++;
        }
        lrun r = runs[i];
        pglyph *g = ng ? arena_alloc(a, (size_t)ng * sizeof *g) : NULL;
        pcluster *cl = ncl ? arena_alloc(a, (size_t)ncl * sizeof *cl) : NULL;
        char *t = tl ? arena_alloc(a, (size_t)tl + 1) : NULL;
        int gn = 0, cn = 0, tn = 0;
        for (int k = i; k < j; k++) {
            float dx = (float)(runs[k].x - runs[i].x);
            for (int q = 0; q < runs[k].ng; q++) {
                g[gn] = runs[k].g[q];
                g[gn].x += dx;
                gn++;
            }
            if (runs[k].ncl)
                memcpy(cl + cn, runs[k].cl, (size_t)runs[k].ncl * sizeof *cl);
            cn += runs[k].ncl;
            if (runs[k].text_len)
                memcpy(t + tn, runs[k].text, (size_t)runs[k].text_len);
            tn += runs[k].text_len;
        }
        if (t)
            t[tn] = 0;
        r.g = g;
        r.ng = gn;
        r.cl = cl;
        r.ncl = cn;
        r.text = t ? t : "";
        r.text_len = tn;
        r.w = runs[j - 1].x + runs[j - 1].w - runs[i].x;
        res[out++] = r;
        i = j;
    }
    *nr = out;
    return res;
}

/* Re-shapes a run whose first letter loses its diaeresis (ideeën -> en). */
static void drop_diaeresis(builder *b, lrun *r)
{
    if (r->text_len < 2)
        return;
    int l;
    char base = hyph_diaeresis_base(utf8_decode(r->text, (size_t)r->text_len, &l));
    if (!base)
        return;
    buf t = {0};
    buf_putc(&t, base);
    buf_add(&t, r->text + l, (size_t)r->text_len - (size_t)l);
    shaped sh;
    const gb_font *f = &b->c->fs->f[r->st.font];
    shape(f, r->st.size, t.data, t.len, para_features(b->c, r->st.font, r->st.code, r->st.tabular), b->o->lang,
          &sh);
    pglyph *g;
    double gx = place_glyphs(&b->tmp, &sh, 0, sh.n, &g);
    /* the whole run maps to the original text (one cluster) */
    pcluster *cl = arena_alloc(&b->tmp, sizeof *cl);
    cl->bytes = r->text_len;
    cl->glyphs = sh.n;
    r->g = g;
    r->ng = sh.n;
    r->cl = cl;
    r->ncl = sh.n ? 1 : 0;
    r->w = gx;
    shaped_free(&sh);
    buf_free(&t);
}

static void hyphen_run(builder *b, lrun *r, double x, const piece *pp)
{
    const gb_font *f = &b->c->fs->f[pp->font];
    shaped sh;
    shape(f, pp->size, "-", 1, NULL, b->o->lang, &sh);
    pglyph *g = arena_alloc(&b->tmp, (size_t)(sh.n + 1) * sizeof *g);
    double gx = 0;
    for (int i = 0; i < sh.n; i++) {
        g[i].id = sh.gid[i];
        g[i].x = (float)gx;
        g[i].y = 0;
        gx += sh.adv[i];
    }
    /* the inserted hyphen stands for no text at all */
    pcluster *cl = arena_alloc(&b->tmp, sizeof *cl);
    cl->bytes = 0;
    cl->glyphs = sh.n;
    r->x = x;
    r->w = gx;
    r->st = pp->st;
    r->st.font = pp->font;
    r->text = "";
    r->text_len = 0;
    r->g = g;
    r->ng = sh.n;
    r->cl = cl;
    r->ncl = 1;
    shaped_free(&sh);
}


/* What one line hands to the next. */
typedef struct carry {
    buf prefix;        /* text of a hyphenated word's first part */
    size_t prefix_t0;  /* where that text starts in T */
    int have_prefix;
    int drop_next;     /* the next line's first letter loses its diaeresis */
} carry;

/* A line being set. */
typedef struct lineset {
    pline *ln;
    lrun *runs;
    size_t *run_t;     /* T offset of each run's text */
    int nr;
    int last_word_run; /* first run after the line's last glue */
    double x;
} lineset;

/* The line's first run of glyphs was just placed: it names the line's
 * source, may lose its diaeresis, and takes the text of the word's first
 * part from the line before. */
static void first_run(builder *b, lineset *ls, carry *cr)
{
    size_t len = b->T.len;
    lrun *r0 = &ls->runs[0];
    if (!ls->ln->src) {
        size_t toff = cr->have_prefix ? cr->prefix_t0 : ls->run_t[0];
        int spi = b->span_at[toff < len ? toff : (len ? len - 1 : 0)];
        ls->ln->src = b->sp[spi].src;
        ls->ln->src_off = b->sp[spi].src_off + (toff - b->span_start[spi]);
    }
    if (cr->drop_next) {
        drop_diaeresis(b, r0);
        cr->drop_next = 0;
    }
    if (cr->have_prefix) {
        buf_add(&cr->prefix, r0->text, (size_t)r0->text_len);
        pcluster *cl = arena_alloc(&b->tmp, (size_t)(r0->ncl + 1) * sizeof *cl);
        memcpy(cl, r0->cl, (size_t)r0->ncl * sizeof *cl);
        int plen = (int)cr->prefix.len - r0->text_len;
        if (r0->ncl > 0)
            cl[0].bytes += plen;
        r0->cl = cl;
        r0->text = arena_strndup(&b->tmp, cr->prefix.data, cr->prefix.len);
        r0->text_len = (int)cr->prefix.len;
        cr->have_prefix = 0;
        cr->prefix.len = 0;
    }
}

static void place_box(builder *b, lineset *ls, size_t k, carry *cr)
{
    const piece *p = &b->pieces[k];
    if (p->kind == PIECE_IMAGE) {
        const span *im = &b->sp[p->span];
        lrun *r = &ls->runs[ls->nr++];
        memset(r, 0, sizeof *r);
        r->x = ls->x;
        r->w = im->img_w;
        r->st = im->st;
        r->img = im->img;
        r->img_h = im->img_h;
        r->alt = im->alt;
        r->text = "";
        ls->run_t[ls->nr - 1] = 0;
    } else if (p->kind == PIECE_GLYPHS) {
        add_run(b, ls->ln, ls->runs, &ls->nr, ls->x, p, &ls->run_t[ls->nr]);
        if (ls->nr == 1)
            first_run(b, ls, cr);
    }
    ls->x += b->items[k].width;
}

/* Glue k inside a line (start: the line's first item), set at ratio. */
static void place_glue(builder *b, lineset *ls, size_t k, size_t start, double ratio)
{
    const kp_item *it = &b->items[k];
    if (it->stretch >= KP_FILL)
        return;
    if (it->width > 0 && ls->nr > 0 && k > start &&
        (b->items[k - 1].type == KP_BOX || b->pieces[k].kind == PIECE_SPACE))
        add_space(b, &ls->runs[ls->nr - 1]);
    ls->x += it->width + (ratio > 0 ? ratio * it->stretch : ratio * it->shrink);
    ls->last_word_run = ls->nr;
}

/* The line ends at hyphenation break brk: a hyphen that stands for no
 * text, and the word's first part moves its text to the next line. */
static void end_with_hyphen(builder *b, lineset *ls, size_t brk, carry *cr)
{
    lrun *runs = ls->runs;
    hyphen_run(b, &runs[ls->nr], ls->x, &b->pieces[brk]);
    ls->x += runs[ls->nr].w;
    ls->nr++;
    ls->ln->hyphenated = 1;
    cr->drop_next = b->pieces[brk].post_drop;
    for (int r = ls->last_word_run; r < ls->nr - 1; r++) {
        if (r == ls->last_word_run)
            cr->prefix_t0 = ls->run_t[r];
        buf_add(&cr->prefix, runs[r].text, (size_t)runs[r].text_len);
        pcluster *cl = arena_alloc(&b->tmp, (size_t)(runs[r].ncl + 1) * sizeof *cl);
        for (int q = 0; q < runs[r].ncl; q++) {
            cl[q].bytes = 0;
            cl[q].glyphs = runs[r].cl[q].glyphs;
        }
        runs[r].cl = cl;
        runs[r].text = "";
        runs[r].text_len = 0;
        cr->have_prefix = 1;
    }
}

/* Does the line that ends at brk end at a word space? */
static int ends_at_space(const builder *b, size_t brk)
{
    const kp_item *bi = &b->items[brk];
    int at_space = bi->type == KP_GLUE && bi->width > 0;
    for (size_t q = brk + 1; q <= brk + 2 && q < b->n; q++)
        if (b->pieces[q].kind == PIECE_SPACE)
            at_space = 1;
    return at_space;
}

/* Sets line L of res, whose items start at `start`; returns where the
 * next line's items start. */
static size_t set_line(builder *b, const kp_result *res, int L, size_t start, carry *cr, pline *ln)
{
    const para_opts *o = b->o;
    size_t brk = (size_t)res->breaks[L];
    /* skip discardable items at the line start */
    while (start < brk && b->items[start].type != KP_BOX)
        start++;
    double ratio = o->align == ALIGN_JUSTIFY ? res->ratios[L] : 0;
    lineset ls = {.ln = ln, .x = L == 0 ? o->first_indent : 0};
    if (start > 0 && L > 0)
        ls.x -= b->items[start - 1].start_protrusion;
    size_t nruns_max = brk - start + 2;
    ls.runs = arena_alloc(&b->tmp, nruns_max * sizeof *ls.runs);
    ls.run_t = xmalloc(nruns_max * sizeof *ls.run_t);
    ln->size = 0;
    for (size_t k = start; k < brk; k++) {
        if (b->items[k].type == KP_BOX)
            place_box(b, &ls, k, cr);
        else if (b->items[k].type == KP_GLUE)
            place_glue(b, &ls, k, start, ratio);
    }
    cr->have_prefix = 0;
    cr->prefix.len = 0;
    cr->drop_next = 0;
    if (b->items[brk].type == KP_PENALTY && b->pieces[brk].hyph)
        end_with_hyphen(b, &ls, brk, cr);
    free(ls.run_t);
    /* a line that ends at a word space keeps the space as text */
    if (!ln->hyphenated && ls.nr > 0 && L + 1 < res->nlines && ends_at_space(b, brk))
        add_space(b, &ls.runs[ls.nr - 1]);
    ln->runs = merge_runs(b->c->a, ls.runs, &ls.nr);
    ln->nruns = ls.nr;
    ln->width = ls.x;
    ln->last = L == res->nlines - 1;
    ln->ratio = res->ratios[L];
    ln->kp_pass = res->pass;
    if (ln->size == 0)
        ln->size = b->nsp ? b->sp[0].st.size : 10;
    if (o->align == ALIGN_CENTER) {
        double shift = (o->measure - ls.x) / 2;
        for (int r = 0; r < ls.nr; r++)
            ln->runs[r].x += shift;
    }
    return brk + 1;
}

pline *para_lines(builder *b, const kp_result *res)
{
    int nlines = res->nlines;
    pline *lines = arena_alloc(b->c->a, (size_t)(nlines + 1) * sizeof *lines);
    carry cr = {.have_prefix = 0};
    size_t start = 0;
    for (int L = 0; L < nlines; L++)
        start = set_line(b, res, L, start, &cr, &lines[L]);
    buf_free(&cr.prefix);
    int wrap = 0;
    for (int q = 0; q < b->nsp; q++)
        if (b->sp[q].st.link || b->sp[q].img)
            wrap = 1;
    for (int L = 0; L < nlines; L++)
        lines[L].wrap = wrap;
    return lines;
}
