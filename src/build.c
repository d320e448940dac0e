/* build — see build.h. */
#include "build.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw/paint.h"
#include "epub/epub.h"
#include "text/font.h"
#include "text/hyph.h"
#include "layout/cover.h"
#include "layout/layout.h"
#include "layout/pagemap.h"
#include "pdf/pdf.h"
#include "post/pdfpost.h"
#include "base/utf8.h"
#include "base/l10n.h"

/* Debian's hyphenation dictionary for the book's language, or NULL. */
static hyph *load_hyphenation(const char *lang)
{
    char code[16];
    size_t n = 0;
    while (lang[n] && lang[n] != '-' && n < 8) {
        char c = lang[n];
        code[n] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        n++;
    }
    code[n] = 0;
    const char *dir = getenv("GOODIEBAG_HYPHEN_DIR");
    if (!dir)
        dir = "/usr/share/hyphen";
    char path[512];
    const char *forms[] = {"%s/hyph_%s_%s.dic", "%s/hyph_%s.dic"};
    char region[8] = "";
    if (!strcmp(code, "nl"))
        strcpy(region, "NL");
    else if (!strcmp(code, "en"))
        strcpy(region, "US");
    else if (!strcmp(code, "de"))
        strcpy(region, "DE");
    else if (!strcmp(code, "fr"))
        strcpy(region, "FR");
    for (int i = 0; i < 2; i++) {
        if (i == 0)
            snprintf(path, sizeof path, forms[0], dir, code, region);
        else
            snprintf(path, sizeof path, forms[1], dir, code);
        if (access(path, R_OK) == 0) {
            const char *why;
            hyph *h = hyph_load(path, lang, &why);
            if (h)
                return h;
        }
    }
    return NULL;
}

/* The EPUB's cover image is laid out (layout/cover.h) at its pixel size,
 * painted (draw/paint.h) and encoded on a thread of its own from the
 * moment the fonts are loaded (it only reads the book, the style and the
 * fonts); the EPUB takes it at the very end. */
typedef struct cover_job {
    const book *b;
    const style *s;
    const fontset *fs;
    int w, h;
    pthread_t tid;
    unsigned long long key; /* cover_key of what it shows */
    int started, joined;
    char *png;
    size_t len;
    double t;
} cover_job;

static void *cover_thread(void *arg)
{
    cover_job *c = arg;
    pthread_setname_np(pthread_self(), "gb-cover");
    double t0 = now_seconds();
    page pg = {.kind = PAGE_COVER, .chapter = -1};
    arena a = {0};
    cover_layout(&pg, c->b, c->s, c->fs, c->w, c->h, &a);
    c->png = paint_png(&pg, c->fs, c->w, c->h, &c->len);
    free(pg.items);
    arena_free(&a);
    c->t = now_seconds() - t0;
    return NULL;
}

/* Waits for the cover thread, if it runs. */
static void cover_join(cover_job *c)
{
    if (c->started && !c->joined) {
        pthread_join(c->tid, NULL);
        c->joined = 1;
    }
}

static const char *cover_wait(void *ctx, size_t *len)
{
    cover_job *c = ctx;
    if (!c->started && !c->joined) {
        cover_thread(c); /* no thread to be had: here */
        c->joined = 1;
    }
    cover_join(c);
    *len = c->len;
    return c->png;
}

/* The EPUB is made on its own thread while the main thread draws the PDF,
 * as soon as the layout knows where every printed page begins. It reports
 * to its own diagnostics, joined after. */
typedef struct epub_job {
    const book *b;
    const style *s;
    layout_job *lj;
    cover_job *cover;
    pagemap pm;
    diag d;
    char *out;
    size_t len;
    int rc;
    double t0, t_paged, t_epub;
} epub_job;

static void *epub_thread(void *arg)
{
    epub_job *j = arg;
    pthread_setname_np(pthread_self(), "gb-epub");
    const book *b = j->b;
    const style *s = j->s;
    /* the fonts need only the characters: subset them while the layout
     * finds the page breaks */
    epub_fonts fonts;
    int have_fonts = epub_fonts_prepare(b, s, &fonts) == 0;
    layout_pagemap(j->lj, &j->pm);
    double t1 = now_seconds();
    j->t_paged = t1 - j->t0;
    epub_extra x = {0};
    x.pages = j->pm.n ? &j->pm : NULL;
    /* the print edition the page numbers come from */
    char *source = NULL;
    if (j->pm.n)
        source = xasprintf("%s, %s (%s), %s", b->meta.title, l10n(b->meta.lang, L_PDF_EDITION),
                           !strcmp(s->paper, "a5") ? "A5" : "A4", b->meta.date);
    x.print_source = source;
    if (b->cover) {
        x.cover_png = b->cover->data;
        x.cover_len = b->cover->len;
        x.cover_type = b->cover->media_type;
    } else {
        x.cover_wait = cover_wait;
        x.cover_ctx = j->cover;
    }
    j->rc = epub_build(b, s, &x, have_fonts ? &fonts : NULL, &j->out, &j->len, &j->d); /* takes the fonts */
    j->t_epub = now_seconds() - t1;
    free(source);
    return NULL;
}

/* Reports the fonts in which shaping met damaged glyph data (they were
 * drawn as .notdef, so the outputs must not be published). Returns -1 if
 * there was one. Every thread that shapes has ended. */
static int report_damage(const style *s, const fontset *fs, diag *d)
{
    int rc = 0;
    for (int r = 0; r < FONT_COUNT; r++) {
        unsigned gid;
        uint32_t cp;
        if (!font_damaged(&fs->f[r], &gid, &cp))
            continue;
        char ch[8] = "";
        if (cp >= 0x20 && cp != 0x7F && cp < 0x110000)
            ch[utf8_encode(cp, ch)] = 0;
        diag_error(d, s->file, s->font_line[r], s->font_col[r],
                   "the font '%s' for '%s' is damaged: the data of glyph %u (for '%s', U+%04X) cannot be read",
                   s->font_file[r], style_font_key(r), gid, ch, (unsigned)cp);
        rc = -1;
    }
    return rc;
}

/* The page sink of the PDF: each page as the layout makes it. */
static void to_pdf(void *ctx, const page *pg)
{
    pdf_page(ctx, pg);
}

/* The post-step: adds to the PDF cairo wrote what cairo cannot write
 * (catalog language, XMP with the PDF/UA identification, artifacts, link
 * descriptions, figure alternatives) and puts the pages and the table of
 * contents' structure element in reading order. Returns 0 with the
 * finished PDF in *out, or -1 after reporting to d. */
static int post_step(const book *b, const doc_layout *l, const pdf_doc *doc, char **out, size_t *len, diag *d)
{
    pdfpost_info pi;
    memset(&pi, 0, sizeof pi);
    pi.lang = b->meta.lang;
    pi.title = doc->info.title;
    pi.author = doc->info.author;
    pi.subject = doc->info.subject;
    pi.creator = doc->info.creator;
    pi.date = doc->info.date;
    pi.link_desc = doc->links;
    pi.nlinks = doc->nlinks;
    pi.figure_alt = doc->figures;
    pi.nfigures = doc->nfigures;
    pi.page_order = l->order;
    pi.npages = l->nlabels;
    pi.page_labels = l->labels;
    /* the table of contents is drawn last: the Document element's last child */
    pi.struct_move_last = l->ntoc > 0;
    pi.struct_move_to = l->toc_at;
    const char *why = NULL;
    if (pdfpost_apply(doc->pdf, doc->len, &pi, out, len, &why) != 0) {
        diag_error(d, NULL, 0, 0, "cannot complete the PDF's accessibility data: %s", why ? why : "?");
        return -1;
    }
    return 0;
}

/* The page stage with the PDF: the layout's pages drawn as they come,
 * then the outline, then the post-step. Returns 0 with the PDF in *out,
 * or -1 after reporting to d; *lay receives the layout either way. */
static int build_pdf(const book *b, const style *s, const fontset *fs, layout_job *lj, doc_layout *lay, char **out,
                     size_t *len, diag *d)
{
    pdf_writer *w = pdf_begin(b, s, fs, d);
    layout_run(lj, to_pdf, w, lay, d);
    pdf_doc doc;
    if (pdf_finish(w, lay, &doc) != 0)
        return -1;
    int rc = post_step(b, lay, &doc, out, len, d);
    pdf_doc_free(&doc);
    return rc;
}

/* Loads into env what is not there yet: the fonts and the hyphenation
 * dictionary of the book's language. Returns 0, or -1 after reporting to
 * d. */
static int load_fonts(const style *s, build_env *env, diag *d)
{
    if (!env->fonts_loaded) {
        if (fonts_load(&env->fs, s, d) != 0)
            return -1;
        env->fonts_loaded = 1;
    }
    fonts_damage_reset(&env->fs);
    return 0;
}

static void load_hyph(const book *b, build_env *env, diag *d)
{
    if (!env->hyph_loaded || strcmp(env->lang, b->meta.lang) != 0) {
        hyph_free(env->h);
        env->h = load_hyphenation(b->meta.lang);
        snprintf(env->lang, sizeof env->lang, "%s", b->meta.lang);
        env->hyph_loaded = 1;
    }
    init_linebreak();
    if (!env->h)
        diag_warning(d, NULL, 0, 0, "no hyphenation dictionary for language '%s': the PDF is set without hyphenation",
                     b->meta.lang);
}

/* Starts drawing the EPUB's cover image, unless the book has its own or
 * env holds the same one from the last build. */
static void cover_start(cover_job *cj, const book *b, const style *s, const build_opts *o, build_env *env)
{
    *cj = (cover_job){.b = b, .s = s, .fs = &env->fs};
    cj->w = o->cover_w > 0 ? o->cover_w : 1600;
    cj->h = o->cover_h > 0 ? o->cover_h : 2400;
    cj->key = cover_key(b, s, cj->w, cj->h);
    if (env->cover_png && env->cover_key == cj->key) {
        /* the same cover as last time (a rebuild in watch mode) */
        cj->png = xmalloc(env->cover_len);
        memcpy(cj->png, env->cover_png, env->cover_len);
        cj->len = env->cover_len;
        cj->joined = 1;
    } else {
        cj->started = pthread_create(&cj->tid, NULL, cover_thread, cj) == 0;
    }
}

/* Waits for the cover and keeps a new one in env for the next build. */
static void cover_finish(cover_job *cj, build_env *env, int keep)
{
    cover_join(cj);
    if (keep && cj->started && cj->png) {
        free(env->cover_png);
        env->cover_png = cj->png;
        env->cover_len = cj->len;
        env->cover_key = cj->key;
        cj->png = NULL;
    }
    free(cj->png);
    cj->png = NULL;
}

/* Waits for the EPUB (or makes it here if it has no thread) and takes it
 * into out unless the build failed (rc != 0). Returns rc, or -1 if the
 * EPUB failed. */
static int epub_finish(epub_job *ej, int started, pthread_t tid, int rc, build_out *out, diag *d)
{
    if (started)
        pthread_join(tid, NULL);
    else
        epub_thread(ej); /* no thread to be had: here, after the pages */
    out->t_layout = ej->t_paged;
    cover_join(ej->cover);
    out->t_cover = ej->cover->t;
    out->t_epub = ej->t_epub;
    diag_merge(d, &ej->d);
    if (ej->rc != 0 || rc != 0) {
        free(ej->out);
        rc = -1;
    } else {
        out->epub = ej->out;
        out->epub_len = ej->len;
    }
    diag_free(&ej->d);
    pagemap_free(&ej->pm);
    return rc;
}

/* The layout, with the EPUB on a thread of its own as soon as the page
 * breaks are known, and the PDF drawn on this one. Returns 0, or -1 after
 * reporting to d. */
static int build_outputs(book *b, const style *s, const build_opts *o, build_env *env, cover_job *cj,
                         build_out *out, diag *d)
{
    int rc = 0;
    doc_layout lay;
    memset(&lay, 0, sizeof lay);
    epub_job ej;
    memset(&ej, 0, sizeof ej);
    pthread_t epub_tid;
    int epub_started = 0;
    double t0 = now_seconds();
    layout_job *lj = layout_start(b, s, &env->fs, env->h);
    layout_set_trace(lj, o->trace);
    if (o->epub) {
        ej = (epub_job){.b = b, .s = s, .lj = lj, .cover = cj, .t0 = t0, .rc = -1};
        epub_started = pthread_create(&epub_tid, NULL, epub_thread, &ej) == 0;
    }
    if (o->pdf)
        rc = build_pdf(b, s, &env->fs, lj, &lay, &out->pdf, &out->pdf_len, d);
    else
        layout_run(lj, NULL, NULL, &lay, d);
    out->t_pdf = o->pdf ? now_seconds() - t0 : 0;
    if (o->epub)
        rc = epub_finish(&ej, epub_started, epub_tid, rc, out, d);
    else
        out->t_layout = now_seconds() - t0;
    layout_end(lj);
    layout_free(&lay);
    return rc;
}

int build_run(book *b, const style *s, const build_opts *o, build_out *out, diag *d)
{
    memset(out, 0, sizeof *out);
    build_env local;
    memset(&local, 0, sizeof local);
    build_env *env = o->env ? o->env : &local;
    cover_job cj;
    memset(&cj, 0, sizeof cj);
    /* The PDF's layout is also needed for the EPUB's print page numbers,
     * so it runs for both outputs. */
    double t0 = now_seconds();
    int rc = load_fonts(s, env, d);
    if (rc == 0) {
        if (o->epub && !b->cover)
            cover_start(&cj, b, s, o, env);
        load_hyph(b, env, d);
        out->t_setup = now_seconds() - t0;
        rc = build_outputs(b, s, o, env, &cj, out, d);
    }
    cover_finish(&cj, env, env != &local);
    if (env->fonts_loaded && report_damage(s, &env->fs, d) != 0)
        rc = -1;
    if (env == &local)
        build_env_free(&local);
    if (rc != 0)
        build_out_free(out);
    return rc;
}

void build_env_free(build_env *e)
{
    hyph_free(e->h);
    free(e->cover_png);
    if (e->fonts_loaded)
        fonts_free(&e->fs);
    memset(e, 0, sizeof *e);
}

void build_out_free(build_out *out)
{
    free(out->epub);
    free(out->pdf);
    out->epub = out->pdf = NULL;
    out->epub_len = out->pdf_len = 0;
}
