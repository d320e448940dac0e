/* trace — the layout trace: a text listing of what the layout decided, for
 * people and for golden tests (tests/t_trace.sh; SILE's debug outputter is
 * the model). Every page in reading order: its kind, label and chapter;
 * each line on it with its width against the measure, adjustment ratio,
 * badness, Knuth–Plass pass and hyphen; the other items (spaces, images,
 * rules, list markers) in a line each; and why the page ends where it
 * does. Numbers are rounded and nothing depends on addresses, time or
 * threads, so a trace is the same on every run: a change in the layout
 * shows as a readable diff.
 *
 * The page builder records the reasons (break_reason); the functions here
 * only format. They append to a buf the caller owns and never fail. */
#ifndef GB_TRACE_H
#define GB_TRACE_H

#include "base/util.h"
#include "layout/page.h"
#include "text/para.h"

/* Why the page builder ended a page where it did. A page normally ends at
 * the cheapest allowed break before the first item that does not fit. The
 * reason names the first break after the chosen one that was refused, so
 * "the page could not end later because ...". Penalties in the vertical
 * list carry the rule they enforce in the same type (BREAK_NONE for none,
 * BREAK_KEEP, BREAK_WIDOW, BREAK_ORPHAN, BREAK_HYPHEN). */
typedef enum break_reason {
    BREAK_NONE,    /* penalties only: a plain break, no rule */
    BREAK_FULL,    /* the next item does not fit, and everything that fits
                      is on the page (nothing is pushed on) */
    BREAK_KEEP,    /* keep-with-next: a heading keeps two lines of what
                      follows, its lines stay together, a figure keeps its
                      caption, the chapter label its title */
    BREAK_WIDOW,   /* a paragraph's (or code block's) last line would start
                      the next page alone */
    BREAK_ORPHAN,  /* a paragraph's (or code block's) first line would end
                      this page alone */
    BREAK_HYPHEN,  /* the page would end with a hyphenated line (penalty
                      3000: an earlier break is cheaper) */
    BREAK_COST,    /* the later break carries a penalty that makes an
                      earlier one cheaper (inside a code block, between the
                      pieces of a wrapped code line) */
    BREAK_FORCED,  /* no allowed break before the item that does not fit:
                      the page breaks against a rule */
    BREAK_NEWPAGE, /* a new page is forced (the vertical list's new-page
                      mark; a chapter's own list starts with its only one) */
    BREAK_END,     /* the last page of a chapter, or of the front matter's
                      part (cover, title page, table of contents) */
    BREAK_NOTE,    /* the next line's footnote does not start on this page
                      (its first line does not fit at the foot, or a note
                      continued from here fills it): the line and its
                      mark move to the next page */
} break_reason;

/* The reason's name in the trace: "full", "keep", "widow", ... */
const char *break_reason_name(break_reason r);

/* The first lines of a trace: what its columns mean. */
void trace_header(buf *t);

/* A page's first line: its kind, label and (body pages) chapter. */
void trace_page(buf *t, const page *pg);

/* A line of text: `what` ("line", "head", "code"), its width as set
 * against measure, its adjustment ratio and badness (100·|r|³, as TeX,
 * at most 10000), its paragraph's Knuth–Plass pass, '-' when it ends with
 * a hyphen, and the first 40 characters of its text. ln NULL: an empty
 * line (of a code block). */
void trace_line(buf *t, const char *what, const pline *ln, double measure);

/* A line that is only a mark (`what`: "label", a list marker): its text. */
void trace_mark(buf *t, const char *what, const pline *ln);

/* An item without text: `what` ("space", "image", "rule"), its width
 * (0: none, as for spaces) and height. */
void trace_box(buf *t, const char *what, double w, double h);

/* The whole trace of a page made of positioned items only (cover, title
 * page, table of contents): its first line, a line per baseline of text
 * and per image or rule, and its reason r. */
void trace_item_page(buf *t, const page *pg, break_reason r);

/* A page's last line: why it ends (r), and how much of the text area
 * (area pt high) its content takes (used < 0: not given). */
void trace_break(buf *t, break_reason r, double used, double area);

#endif
