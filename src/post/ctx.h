/* ctx — the state of one pdfpost run, shared by the modules of src/post/,
 * and its error exit.
 *
 * Errors unwind with longjmp to the entry point (pdfpost.c), which then
 * frees everything the context owns: for that reason every piece of
 * scratch memory of every module lives here, grouped below by the module
 * that fills it. Everything a pointer or buf of the context holds is owned
 * by the context and released by post_ctx_free; spans point into d. */
#ifndef GB_POST_CTX_H
#define GB_POST_CTX_H

#include <setjmp.h>
#include <stddef.h>
#include <zlib.h>

#include "base/util.h"
#include "post/lex.h"
#include "post/pdfpost.h"

#define MAX_DEPTH 100                 /* nesting of arrays/dicts, trees */
/* nesting of the structure tree: the layout nests up to 64 lists and quotes,
 * three elements a list level (L, LI, LBody), inside Document and Sect */
#define MAX_STRUCT_DEPTH 400
#define MAX_STREAM ((size_t)256 << 20) /* largest inflated content stream */
#define MAX_OBJECTS ((size_t)8388607)  /* PDF implementation limit */
#define MAX_SECTIONS 64                /* xref sections (incremental updates) */
#define MAX_GEN 65536                  /* generation numbers are below this */

/* Marks on an object number (post_ctx.flag), one bit each. */
typedef enum obj_flag {
    F_DONE = 1,    /* xref reading: set by a newer section; writing: written */
    F_PAGE = 2,    /* visited as a page tree node */
    F_STRUCT = 4,  /* visited as a structure element */
    F_LOADING = 8, /* its stream /Length is being loaded */
    F_ANNOT = 16,  /* counted as a link annotation */
    F_CONTENT = 32, /* rewritten as a page's content stream */
    F_OBJSTM = 64, /* read as an object stream */
} obj_flag;

typedef struct post_ctx {
    /* The input (xref.c, obj.c). */
    const char *d, *end; /* the input (then all); end: where lexing stops */
    size_t n;            /* the input's length */
    size_t size;         /* trailer /Size */
    size_t *off;         /* offset of each object in d, 0 = not in use; >= n: in an object stream */
    size_t *gen;
    size_t *stm, *lim;   /* compressed objects: object stream + 1; end of its data in d */
    buf all;             /* with object streams: the input, then their decoded data */
    int xrefstm;         /* the newest xref section is a stream: so is the update's */
    unsigned char *flag; /* obj_flag bits of each object */
    span root, info, id; /* trailer values (id: first /ID string or empty) */
    size_t lastxref;
    struct xent *ents;   /* entries of one xref section (xref.c) */
    size_t capents;
    /* The output and the update's xref entries (write.c). */
    buf out;
    struct upd *upd;
    size_t nupd, capupd;
    size_t next;         /* next free object number */
    /* Stream data (filter.c, content.c): inflated, transformed, compressed. */
    buf raw, xout, tmp;
    z_stream zi, zd;
    int zi_ok, zd_ok;
    /* The content rewriter (content.c). */
    struct content_op *ops; /* operations of the current run */
    size_t nops, capops;
    size_t wraps;        /* artifact sequences added by content_rewrite */
    size_t *stack;
    size_t capstack;
    /* Metadata (xmp.c): the packet, a decoded string. */
    buf xmp, txt;
    /* What to add (pages.c, struct.c), and how many links and figures were met. */
    const pdfpost_info *info_in;
    size_t nlink, nfig;
    /* Note elements met (struct.c), by object number: each gets an /ID
     * and the root an /IDTree naming them (pdfpost.c). */
    size_t *note_obj;
    size_t nnote, capnote;
    /* The error exit. */
    const char *why;
    jmp_buf jb;
} post_ctx;

/* Stops the run: stores why (a static message) and jumps to c->jb. */
_Noreturn void post_fail(post_ctx *c, const char *why);

/* Releases everything c owns (not c itself). */
void post_ctx_free(post_ctx *c);

#endif
