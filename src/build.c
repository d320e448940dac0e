/* build — see build.h. */
#include "build.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cover.h"
#include "epub.h"
#include "font.h"
#include "hyph.h"
#include "layout.h"
#include "pagemap.h"
#include "pdf.h"

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

/* The cover image is drawn and encoded on the second core while the first
 * lays out the book (it only reads the book, the style and the fonts). */
typedef struct cover_job {
    const book *b;
    const style *s;
    const fontset *fs;
    int w, h;
    char *png;
    size_t len;
} cover_job;

static void *cover_thread(void *arg)
{
    cover_job *j = arg;
    j->png = cover_png(j->b, j->s, j->fs, j->w, j->h, &j->len);
    return NULL;
}

int build_run(book *b, const style *s, const build_opts *o, build_out *out, diag *d)
{
    memset(out, 0, sizeof *out);
    pagemap pm = {0};
    int rc = 0;
    build_env local;
    memset(&local, 0, sizeof local);
    build_env *env = o->env ? o->env : &local;
    doc_layout lay;
    memset(&lay, 0, sizeof lay);
    cover_job cj = {b, s, NULL, o->cover_w > 0 ? o->cover_w : 1600, o->cover_h > 0 ? o->cover_h : 2400, NULL, 0};
    pthread_t cover_tid;
    int cover_started = 0;
    /* The PDF's layout is also needed for the EPUB's print page numbers,
     * so it runs for both outputs. */
    double t0 = now_seconds();
    if (!env->fonts_loaded) {
        if (fonts_load(&env->fs, s, d) != 0) {
            rc = -1;
            goto done;
        }
        env->fonts_loaded = 1;
    }
    const fontset *fsp = &env->fs;
    /* the cover is drawn on the second core from here on */
    cj.fs = fsp;
    if (o->epub && !b->cover)
        cover_started = pthread_create(&cover_tid, NULL, cover_thread, &cj) == 0;
    if (!env->hyph_loaded || strcmp(env->lang, b->meta.lang) != 0) {
        hyph_free(env->h);
        env->h = load_hyphenation(b->meta.lang);
        snprintf(env->lang, sizeof env->lang, "%s", b->meta.lang);
        env->hyph_loaded = 1;
    }
    hyph *h = env->h;
    init_linebreak();
    if (!h)
        diag_warning(d, NULL, 0, 0, "no hyphenation dictionary for language '%s': the PDF is set without hyphenation",
                     b->meta.lang);
    layout_book(b, s, fsp, h, &lay, &pm, d);
    out->t_layout = now_seconds() - t0;
    if (o->pdf) {
        t0 = now_seconds();
        if (pdf_render(b, s, fsp, &lay, &out->pdf, &out->pdf_len, d) != 0)
            rc = -1;
        out->t_pdf = now_seconds() - t0;
    }
    if (o->epub && rc == 0) {
        t0 = now_seconds();
        epub_extra x = {0};
        x.pages = pm.n ? &pm : NULL;
        /* the print edition the page numbers come from */
        char *source = NULL;
        if (pm.n)
            source = xasprintf(!strncmp(b->meta.lang, "nl", 2) ? "%s, PDF-editie (%s), %s" : "%s, PDF edition (%s), %s",
                               b->meta.title, !strcmp(s->paper, "a5") ? "A5" : "A4", b->meta.date);
        x.print_source = source;
        if (b->cover) {
            x.cover_png = b->cover->data;
            x.cover_len = b->cover->len;
            x.cover_type = b->cover->media_type;
        } else {
            if (cover_started) {
                pthread_join(cover_tid, NULL);
                cover_started = 0;
            }
            x.cover_png = cj.png;
            x.cover_len = cj.len;
            x.cover_type = "image/png";
        }
        if (epub_build(b, s, &x, &out->epub, &out->epub_len, d) != 0)
            rc = -1;
        out->t_epub = now_seconds() - t0;
        free(source);
    }
done:
    if (cover_started)
        pthread_join(cover_tid, NULL);
    free(cj.png);
    layout_free(&lay);
    if (env == &local)
        build_env_free(&local);
    pagemap_free(&pm);
    if (rc != 0)
        build_out_free(out);
    return rc;
}

void build_env_free(build_env *e)
{
    hyph_free(e->h);
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
