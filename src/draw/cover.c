/* cover — see cover.h.
 *
 * Design: a restrained government look. A vertical band in the accent
 * colour at the left (a ribbon, without any logo), the title large in the
 * heading face, the subtitle, then the book's themes as three coloured
 * discs (the "fruit" of the goodiebag) with their labels, and the
 * publisher at the foot. Everything is proportional to the page width, so
 * the same drawing serves A4, A5 and the 2:3 e-book cover.
 */
#include "draw/cover.h"

#include "draw/pngenc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/para.h"
#include "base/util.h"

/* Draws glyphs [g0, g1) of sh (the shaping of text) at (x, baseline). */
static void draw_glyphs(cairo_t *cr, const gb_font *f, double size, rgb c, const char *text, const shaped *sh,
                        int g0, int g1, size_t t1, double x, double baseline)
{
    if (g1 <= g0)
        return;
    size_t t0 = sh->cluster[g0];
    int n = g1 - g0;
    cairo_glyph_t *g = xmalloc((size_t)(n + 1) * sizeof *g);
    cairo_text_cluster_t *cl = xmalloc((size_t)(n + 1) * sizeof *cl);
    int ncl = 0;
    double gx = x;
    for (int i = g0; i < g1; i++) {
        g[i - g0].index = sh->gid[i];
        g[i - g0].x = gx + sh->dx[i];
        g[i - g0].y = baseline - sh->dy[i];
        gx += sh->adv[i];
        if (i == g0 || sh->cluster[i] != sh->cluster[i - 1]) {
            int k = i + 1;
            while (k < g1 && sh->cluster[k] == sh->cluster[i])
                k++;
            size_t next = k < g1 ? sh->cluster[k] : t1;
            cl[ncl].num_bytes = (int)(next - sh->cluster[i]);
            cl[ncl].num_glyphs = 1;
            ncl++;
        } else {
            cl[ncl - 1].num_glyphs++;
        }
    }
    cairo_set_font_face(cr, f->cairo);
    cairo_set_font_size(cr, size);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_show_text_glyphs(cr, text + t0, (int)(t1 - t0), g, n, cl, ncl, 0);
    free(g);
    free(cl);
}

/* Draws text in one line at (x, baseline); returns its width. When
 * max_w > 0, breaks at spaces into several lines of at most max_w, moving
 * *baseline down by lh per extra line (when no space fits, the rest of the
 * text is one line), and stops at a line whose baseline would pass max_y.
 * Glyphs past max_x are not drawn. The text is shaped once and line widths
 * come from running sums of its advances: a title of any length costs time
 * in proportion to it (a shaping per candidate line end was quadratic). */
static double draw_text(cairo_t *cr, const fontset *fs, int font, double size, rgb c, const char *text, double x,
                        double *baseline, double max_w, double lh, double max_y, double max_x, const char *lang)
{
    const gb_font *f = &fs->f[font];
    size_t len = strlen(text);
    char *copy = xstrndup(text, len);
    para_scrub(copy, len);
    text = copy;
    shaped sh;
    shape(f, size, text, len, "kern,liga", lang, &sh);
    double *cum = xmalloc((size_t)(sh.n + 1) * sizeof *cum);
    cum[0] = 0;
    for (int i = 0; i < sh.n; i++)
        cum[i + 1] = cum[i] + sh.adv[i];
    double widest = 0;
    int g = 0;
    while (g < sh.n) {
        /* the longest run of whole words that fits */
        int end = sh.n;
        if (max_w > 0 && cum[sh.n] - cum[g] > max_w) {
            int best = 0;
            for (int k = g + 1; k < sh.n; k++) {
                if (text[sh.cluster[k]] != ' ' || sh.cluster[k] == sh.cluster[k - 1])
                    continue;
                if (cum[k] - cum[g] <= max_w)
                    best = k;
                else
                    break;
            }
            if (best)
                end = best;
        }
        double w = cum[end] - cum[g];
        int vis = g;
        while (vis < end && x + cum[vis] - cum[g] <= max_x)
            vis++;
        while (vis < end && vis > g && sh.cluster[vis] == sh.cluster[vis - 1])
            vis++;
        draw_glyphs(cr, f, size, c, text, &sh, g, vis, vis < sh.n ? sh.cluster[vis] : len, x, *baseline);
        if (w > widest)
            widest = w;
        g = end;
        while (g < sh.n && text[sh.cluster[g]] == ' ')
            g++;
        if (g < sh.n) {
            if (*baseline + lh > max_y)
                break;
            *baseline += lh;
        }
    }
    free(cum);
    shaped_free(&sh);
    free(copy);
    return widest;
}

static rgb mix(rgb a, rgb b, double t)
{
    rgb r = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
    return r;
}

void cover_draw(cairo_t *cr, double w, double h, const book *b, const style *s, const fontset *fs)
{
    const meta *m = &b->meta;
    const char *lang = m->lang;
    rgb white = {1, 1, 1};
    double u = w / 100.0; /* one unit: a hundredth of the width */
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    /* the ribbon */
    cairo_set_source_rgb(cr, s->accent.r, s->accent.g, s->accent.b);
    cairo_rectangle(cr, 0, 0, 9 * u, h);
    cairo_fill(cr);
    /* a light band behind the title */
    rgb pale = mix(s->accent, white, 0.92);
    cairo_set_source_rgb(cr, pale.r, pale.g, pale.b);
    cairo_rectangle(cr, 9 * u, 0, w - 9 * u, h * 0.46);
    cairo_fill(cr);

    double x = 17 * u, tw = w - 17 * u - 9 * u;
    double y = h * 0.2;
    draw_text(cr, fs, FONT_HEADING, 9.5 * u, s->accent, m->title, x, &y, tw, 10.5 * u, h, 3 * w, lang);
    if (m->subtitle) {
        y += 8.5 * u;
        draw_text(cr, fs, FONT_HEADING_REGULAR, 4.4 * u, s->text, m->subtitle, x, &y, tw, 5.6 * u, h, 3 * w, lang);
    }
    /* a rule in the accent colour */
    cairo_set_source_rgb(cr, s->accent.r, s->accent.g, s->accent.b);
    cairo_rectangle(cr, x, h * 0.46 - 0.6 * u, 14 * u, 1.2 * u);
    cairo_fill(cr);

    /* the themes: chapters with a theme, as coloured discs with labels */
    double ty = h * 0.56;
    int shown = 0;
    for (int i = 0; i < b->nch && shown < 9; i++) {
        const chapter *c = &b->ch[i];
        if (c->theme <= 0 || c->theme > s->ntheme || !c->doc)
            continue;
        rgb col = s->theme[c->theme - 1];
        double r = 4.2 * u;
        cairo_set_source_rgb(cr, col.r, col.g, col.b);
        cairo_arc(cr, x + r, ty, r, 0, 2 * M_PI);
        cairo_fill(cr);
        if (c->label && *c->label) {
            double lb = ty + 1.6 * u;
            const gb_font *f = &fs->f[FONT_HEADING];
            shaped sh;
            shape(f, 4.4 * u, c->label, strlen(c->label), "kern", lang, &sh);
            double lw = sh.width;
            shaped_free(&sh);
            draw_text(cr, fs, FONT_HEADING, 4.4 * u, white, c->label, x + r - lw / 2, &lb, 0, 0, h, 3 * w, lang);
        }
        /* the chapter's own title, without its label */
        const char *title = c->title;
        if (c->label && *c->label && !strncmp(title, c->label, strlen(c->label)) && title[strlen(c->label)] == ' ')
            title += strlen(c->label) + 1;
        double lbase = ty + 1.4 * u;
        draw_text(cr, fs, FONT_HEADING_REGULAR, 3.6 * u, s->text, title, x + 2 * r + 4 * u, &lbase,
                  tw - 2 * r - 4 * u, 4.4 * u, h, 3 * w, lang);
        ty = lbase + 11 * u;
        shown++;
    }
    /* the author at the foot, the publisher under it */
    double fy = h - (m->publisher ? 16 : 9) * u;
    for (int i = 0; i < m->nauthors; i++) {
        draw_text(cr, fs, FONT_HEADING, 3.4 * u, s->accent, m->authors[i], x, &fy, tw, 4.2 * u, h, 3 * w, lang);
        fy += 4.2 * u;
    }
    if (m->publisher) {
        fy += 0.8 * u;
        draw_text(cr, fs, FONT_HEADING_REGULAR, 1.9 * u, s->muted, m->publisher, x, &fy, tw, 2.6 * u, h, 3 * w, lang);
    }
    cairo_restore(cr);
}

char *cover_png(const book *b, const style *s, const fontset *fs, int width, int height, size_t *len)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(img);
    cover_draw(cr, width, height, b, s, fs);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    char *out = NULL;
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS)
        out = png_encode_rgb24(cairo_image_surface_get_data(img), width, height, cairo_image_surface_get_stride(img), len);
    cairo_surface_destroy(img);
    return out;
}

static unsigned long long key_str(unsigned long long h, const char *t)
{
    if (!t)
        return hash_bytes(h, "\1", 1);
    return hash_bytes(h, t, strlen(t) + 1);
}

unsigned long long cover_key(const book *b, const style *s, int width, int height)
{
    unsigned long long h = 1469598103934665603ULL;
    const meta *m = &b->meta;
    h = key_str(h, m->title);
    h = key_str(h, m->subtitle);
    h = key_str(h, m->publisher);
    h = key_str(h, m->lang);
    for (int i = 0; i < m->nauthors; i++)
        h = key_str(h, m->authors[i]);
    for (int i = 0; i < b->nch; i++) {
        const chapter *c = &b->ch[i];
        int t[2] = {c->theme, c->doc != NULL};
        h = hash_bytes(h, t, sizeof t);
        h = key_str(h, c->label);
        h = key_str(h, c->title);
    }
    rgb cols[3] = {s->accent, s->muted, s->text};
    h = hash_bytes(h, cols, sizeof cols);
    h = hash_bytes(h, &s->ntheme, sizeof s->ntheme);
    for (int i = 0; i < s->ntheme; i++)
        h = hash_bytes(h, &s->theme[i], sizeof s->theme[i]);
    for (int r = 0; r < FONT_COUNT; r++)
        h = key_str(h, s->font_path[r]);
    int wh[2] = {width, height};
    return hash_bytes(h, wh, sizeof wh);
}
