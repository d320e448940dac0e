/* notes — footnotes in the document model. cmark-gfm (CMARK_OPT_FOOTNOTES)
 * parses `[^label]` references and `[^label]: text` definitions; notes_annotate
 * then gives each chapter's notes their numbers (1, 2 ... in the order of
 * their first mark in the chapter's text), takes the definitions out of the
 * chapter's tree (into chapter.notes, so no walk of the text meets them)
 * and annotates every mark (ANNO_NOTEREF). What is not read is reported
 * with its position and says what the reader sees:
 *   - a reference that names no definition stays literal text "[^x]"
 *     (cmark-gfm leaves it so; a warning);
 *   - a definition never referenced is not shown (a warning);
 *   - a mark inside a note, or inside a link's text, is not read: it is
 *     shown as typed ("[^x]"), and a note referenced only there is not
 *     shown (warnings);
 *   - past NOTES_MAX notes in a chapter, further marks are shown as typed.
 * The same note referenced twice is one note with two marks. */
#ifndef GB_NOTES_H
#define GB_NOTES_H

#include "model/book.h"

#define NOTES_MAX 5000 /* notes in one chapter */

typedef struct note {
    int number;          /* 1, 2 ... in its chapter */
    const char *label;   /* as written between "[^" and "]" */
    cmark_node *def;     /* the definition: its children are the note's blocks */
    const char *id;      /* XHTML id: "fn-3" */
    const char *dest;    /* PDF destination, unique in the book: "_fn2.3" */
    const anno **marks;  /* its marks in reading order (marks[0]: the first) */
    int nmarks;
    int line, col;       /* where the definition is, for messages */
} note;

/* Numbers chapter c's notes and annotates their marks (see above). Call
 * after the chapter's other annotation; warnings go to b->diag. */
void notes_annotate(book *b, chapter *c);

#endif
