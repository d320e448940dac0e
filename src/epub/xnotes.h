/* xnotes — footnotes in the EPUB's chapter documents: the mark in the
 * text and, at the end of the chapter, one <aside> per note, in the markup
 * reading systems show as a pop-up (Apple Books, Kobo, KOReader) and that
 * Kindle converts one note at a time: the note begins with its number,
 * which links back to the mark (a backlink at the note's end makes Kindle
 * run notes together, pandoc #4491), and the mark is a bare <a> (an
 * element inside it breaks Apple Books' pop-up, pandoc #1995), raised by
 * the style sheet. xhtml.c walks the notes' blocks into the asides. */
#ifndef GB_XNOTES_H
#define GB_XNOTES_H

#include <libxml/tree.h>

#include "model/notes.h"

/* Adds mark a (an ANNO_NOTEREF) to parent: <a epub:type="noteref"
 * role="doc-noteref" href="#fn-N" id="fnref-N">N</a>; inside another
 * link (inside_a), only its number in a <span>. */
void xnote_mark(xmlNodePtr parent, xmlNsPtr ns, xmlNsPtr epub, const anno *a, int inside_a);

/* Adds note nt's <aside epub:type="footnote" role="doc-footnote"
 * id="fn-N"> to sec and returns it: the note's blocks go into it. */
xmlNodePtr xnote_open(xmlNodePtr sec, xmlNsPtr ns, xmlNsPtr epub, const note *nt);

/* Puts the note's number, a link back to its first mark, at the start of
 * its first paragraph (links to further marks follow it), in language
 * lang. */
void xnote_close(xmlNodePtr aside, xmlNsPtr ns, const note *nt, const char *lang);

/* The style sheet's rules for marks and notes (only books with notes get
 * them, so that other books' style sheets do not change). */
const char *xnote_css(void);

#endif
