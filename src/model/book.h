/* book — the document model: a book is its metadata plus one cmark tree per
 * chapter, annotated with what goodiebag derives (heading ids, resolved
 * links, images). Every back end (EPUB, PDF) reads this model and nothing
 * else. Annotations hang off cmark nodes as user data and live in the book's
 * arena; book_free releases everything in one call.
 *
 * Loading never prints: problems go to the diag given to book_load, with
 * file:line:col positions. A book with errors is still returned (so that all
 * errors can be reported at once) but must not be built.
 */
#ifndef GB_BOOK_H
#define GB_BOOK_H

#include <cmark-gfm.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/input.h"
#include "model/meta.h"
#include "base/util.h"

/* Limits that protect the machine (documented in README.md). */
#define BOOK_MAX_FILE (64u << 20)      /* bytes per chapter or image file */
#define BOOK_MAX_DEPTH 64              /* nesting of lists and block quotes */
/* Longest paragraph, heading or code block text, in bytes (the PDF layout needs about
 * 200 bytes of memory per byte of one paragraph). */
#define BOOK_MAX_PARAGRAPH (1 << 20)
#define BOOK_MAX_CHAPTERS 10000

typedef enum { ANNO_HEADING = 1, ANNO_LINK, ANNO_IMAGE, ANNO_HTML, ANNO_NOTEREF } anno_kind;

struct note;

typedef struct resource resource;

/* What goodiebag attaches to a cmark node (cmark_node_get_user_data). */
typedef struct anno {
    anno_kind kind;
    /* heading */
    const char *id;    /* unique in the book; the XHTML id and PDF destination */
    const char *slug;  /* unique in its chapter: what links may name */
    const char *text;  /* plain text of the heading */
    int chapter;       /* chapter index */
    int toc;           /* 1 if the heading is listed in tables of contents */
    /* link */
    const char *href;  /* external URL, or NULL when dropped/internal */
    int target_chapter; /* internal link: chapter index, -1 if external */
    const char *target_id; /* internal link: heading id, or NULL for the chapter start */
    /* image */
    resource *res;
    int decorative;    /* 1: marked "{.decorative}" (no alternative text needed) */
    int alt_blank;     /* 1: an image whose alternative text is empty or blank */
    /* raw HTML: a block's sanitised content (a <div>, or NULL if nothing
     * remains), or an inline tag's classification */
    struct _xmlNode *html;
    struct html_tag *tag;
    /* note mark (a footnote reference, model/notes.h): the note it shows,
     * which of its marks this is (1, 2 ...), its XHTML id in `id` and its
     * PDF destination in `dest` (the note's is target_id) */
    const struct note *note;
    int mark;
    const char *dest;
} anno;

/* A file the book uses besides its chapters (images, a cover). */
struct resource {
    const char *src;        /* path relative to the book folder */
    const char *out_name;   /* name inside the EPUB, e.g. "images/plan.png" */
    const char *media_type; /* "image/png", "image/jpeg", "image/svg+xml" */
    char *data;             /* the bytes (owned by the book); an SVG's sanitised */
    size_t len;
    char *draw;             /* SVG: what the PDF draws (its links unwrapped), else NULL */
    size_t draw_len;
    int width, height;      /* pixels (SVG: from its viewBox/size), 0 if unknown */
    const char *use_file;   /* where it is first used, for messages */
    int use_line, use_col;
    resource *next;
};

typedef struct chapter {
    int index;
    const char *src;       /* path relative to the book folder ("01-x.md") */
    const char *diag_name; /* path for messages ("chapters/01-x.md") */
    const char *out_name;  /* XHTML name in the EPUB ("text/01-x.xhtml") */
    const char *label;     /* chapter label from book.yaml, or NULL */
    int theme;
    input in;              /* the source as read, with its position map (owned) */
    char *text;            /* in.data: the source, checked and in NFC */
    size_t len;
    cmark_node *doc;       /* owned by the book */
    cmark_node *title_node; /* first heading, or NULL */
    const char *title;     /* plain text of the title (with the label) */
    const char *title_id;  /* id of the title heading, or NULL */
    int lines;             /* number of source lines */
    struct note *notes;    /* its footnotes, by number (model/notes.h) */
    int nnotes;
    cmark_node *notes_doc; /* a document holding the notes' definitions (owned) */
} chapter;

typedef struct book {
    const char *yaml_name; /* book.yaml as messages name it */
    arena arena;
    diag *diag;
    meta meta;
    const char *dir;       /* the book folder as given */
    char *dir_real;        /* its real path (NULL for in-memory books) */
    chapter *ch;
    int nch;
    resource *resources;   /* linked list in order of first use */
    resource *cover;       /* the cover image named in book.yaml, or NULL */
    long long date_epoch;  /* the book's date (Unix time) */
    long long build_epoch; /* SOURCE_DATE_EPOCH or the book's date */
    const char *uuid;      /* identifier: meta.identifier or urn:uuid:... */
    strmap anchors;        /* "chapter\tname" and "\tname" -> heading id */
    strmap pandoc_ids;     /* pandoc-style ids in use (for their numbering) */
    strmap counters;       /* where numbering of a repeated name goes on (book.c) */
    strmap chapter_of;     /* chapter src -> its chapter */
    strmap id_chapter;     /* heading id -> chapter index + 1 */
    strmap resource_of;    /* image src -> its resource (not the cover) */
    resource *last_resource; /* the end of the list `resources` */
    struct _xmlNode **html; /* sanitised HTML blocks, freed by book_free */
    size_t nhtml, caphtml;
    /* in-memory books (fuzzing, tests): files looked up here instead */
    const char *const *mem_names;
    const char *const *mem_data;
    const size_t *mem_len;
    int mem_n;
} book;

/* Loads the book in folder `dir`: reads dir/book.yaml, the chapters and the
 * images they use, and annotates the trees. Returns a book (free with
 * book_free) even when errors were reported to d; check d->errors. */
book *book_load(const char *dir, diag *d);

/* Like book_load, but the files come from memory: names[i] (relative paths,
 * "book.yaml" among them) with contents data[i] of len[i] bytes. The arrays
 * must outlive the book. */
book *book_load_mem(const char *const *names, const char *const *data, const size_t *len,
                    int n, diag *d);

/* Releases the book and everything it owns. */
void book_free(book *b);

/* Returns the annotation of a node, or NULL. */
static inline anno *node_anno(cmark_node *n)
{
    return (anno *)cmark_node_get_user_data(n);
}

/* Appends the plain text of node n and its descendants to out (text, code,
 * soft breaks as spaces; raw HTML dropped). */
void node_plain_text(cmark_node *n, buf *out);

/* Makes a slug from heading text: lowercase ASCII letters and digits,
 * accents removed, other runs of characters to one '-'. Never empty
 * ("section" if nothing is left). Returns a new string (caller frees). */
char *make_slug(const char *text);

#endif
