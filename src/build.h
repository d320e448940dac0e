/* build — the orchestrator: one build of a loaded book into its outputs,
 * in memory. It runs the layout (which also reports where printed pages
 * begin, for the EPUB) and hands its pages to the PDF writer, then the
 * writer's PDF with the layout's outline and reading order to the
 * post-step; the EPUB and its cover image are made from the same model on
 * threads of their own. Nothing here touches output files. */
#ifndef GB_BUILD_H
#define GB_BUILD_H

#include <stddef.h>

#include "model/book.h"
#include "text/font.h"
#include "text/hyph.h"
#include "model/style.h"

/* What builds can share: the loaded fonts and the hyphenation dictionary
 * (loading them costs more than laying out a short book), and the last
 * cover image (drawn again only when what it shows changes). Zero-initialise;
 * free with build_env_free. One style per environment. */
typedef struct build_env {
    fontset fs;
    int fonts_loaded;
    hyph *h;
    char lang[40];
    int hyph_loaded;
    /* the last cover image, and the key of what it was drawn from */
    char *cover_png;
    size_t cover_len;
    unsigned long long cover_key;
} build_env;

void build_env_free(build_env *e);

typedef struct build_opts {
    int epub, pdf;      /* which outputs */
    int timings;        /* fill the stage timings */
    int cover_w, cover_h; /* EPUB cover image size in pixels (0: 1600 x 2400) */
    build_env *env;     /* shared fonts and dictionary, or NULL: load for this build */
    buf *trace;         /* receives the layout trace (layout/trace.h), or NULL */
} build_opts;

typedef struct build_out {
    char *epub;         /* owned; NULL if not built */
    size_t epub_len;
    char *pdf;
    size_t pdf_len;
    /* seconds per stage; layout, pdf and the EPUB's stages overlap (they
     * run on different threads): setup loads fonts and the hyphenation
     * dictionary; layout runs until every chapter is broken into pages;
     * pdf until the PDF is complete (it draws pages as they come); cover
     * draws and encodes the EPUB cover image; epub makes the EPUB once the
     * page breaks are known */
    double t_setup, t_layout, t_pdf, t_cover, t_epub;
} build_out;

/* Builds the outputs requested in o. Returns 0, or -1 after reporting to
 * d (then out holds nothing). */
int build_run(book *b, const style *s, const build_opts *o, build_out *out, diag *d);

/* Frees the buffers of out. */
void build_out_free(build_out *out);

#endif
