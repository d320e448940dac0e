/* trace — see trace.h. */
#include "layout/trace.h"

#include <math.h>
#include <string.h>

/* Characters of text shown per line: enough to recognise it in the book. */
#define TRACE_CHARS 40

const char *break_reason_name(break_reason r)
{
    switch (r) {
    case BREAK_NONE:
        return "none";
    case BREAK_FULL:
        return "full";
    case BREAK_KEEP:
        return "keep";
    case BREAK_WIDOW:
        return "widow";
    case BREAK_ORPHAN:
        return "orphan";
    case BREAK_HYPHEN:
        return "hyphen";
    case BREAK_COST:
        return "cost";
    case BREAK_FORCED:
        return "forced";
    case BREAK_NEWPAGE:
        return "newpage";
    case BREAK_END:
        return "end";
    case BREAK_NOTE:
        return "note";
    }
    return "?";
}

static const char *kind_name(page_kind k)
{
    switch (k) {
    case PAGE_COVER:
        return "cover";
    case PAGE_TITLE:
        return "title";
    case PAGE_TOC:
        return "toc";
    case PAGE_OPENING:
        return "opening";
    case PAGE_BODY:
        return "body";
    case PAGE_BLANK:
        return "blank";
    }
    return "?";
}

/* A rounded value that never prints as "-0.00". */
static double tidy(double v, double unit)
{
    return fabs(v) < unit / 2 ? 0 : v;
}

/* Appends at most TRACE_CHARS characters of s[0..len) to *row, the
 * characters already there counted in *chars; control characters (tabs
 * of code) as spaces, so that a trace line stays one line. */
static void add_text(buf *row, int *chars, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80 && ++*chars > TRACE_CHARS)
            return;
        buf_putc(row, c < 0x20 || c == 0x7F ? ' ' : (char)c);
    }
}

/* The text of a line as extracted from the page: an image as "[img]",
 * without the space a line keeps at its end. */
static void line_text(buf *row, const pline *ln)
{
    int chars = 0;
    for (int r = 0; ln && r < ln->nruns; r++) {
        const lrun *run = &ln->runs[r];
        if (run->img)
            add_text(row, &chars, "[img]", 5);
        else
            add_text(row, &chars, run->text, (size_t)run->text_len);
    }
    while (row->len && row->data[row->len - 1] == ' ')
        row->data[--row->len] = 0;
}

void trace_header(buf *t)
{
    buf_puts(t, "# goodiebag layout trace: every page in reading order, what is on it and why it ends\n"
                "# line/head/code: w width as set / measure (pt), r adjustment ratio (< 0 shrunk),\n"
                "#   b badness 100|r|^3 (at most 10000), p Knuth-Plass pass (1..4, kp.h),\n"
                "#   '-' ends with a hyphen, then its first 40 characters (a line that ends with a\n"
                "#   hyphen lacks the broken word: the next line's text holds it whole)\n"
                "# break: full keep widow orphan hyphen note cost forced newpage end (src/layout/trace.h);\n"
                "#   used: the height its content takes of the text area\n");
}

void trace_page(buf *t, const page *pg)
{
    buf_printf(t, "\npage \"%s\" %s", pg->label ? pg->label : "", kind_name(pg->kind));
    if (pg->chapter >= 0)
        buf_printf(t, " chapter %d", pg->chapter + 1);
    buf_putc(t, '\n');
}

void trace_line(buf *t, const char *what, const pline *ln, double measure)
{
    if (!ln) {
        buf_printf(t, "  %-5s (empty)\n", what);
        return;
    }
    double r = tidy(ln->ratio, 0.01);
    double bad = fmin(100 * fabs(r * r * r), 10000);
    buf_printf(t, "  %-5s w %6.2f/%6.2f  r %5.2f  b %5.0f  p%d %c \"", what, ln->width, measure, r, bad,
               ln->kp_pass, ln->hyphenated ? '-' : ' ');
    line_text(t, ln);
    buf_puts(t, "\"\n");
}

void trace_mark(buf *t, const char *what, const pline *ln)
{
    buf_printf(t, "  %-5s \"", what);
    line_text(t, ln);
    buf_puts(t, "\"\n");
}

void trace_box(buf *t, const char *what, double w, double h)
{
    if (w > 0)
        buf_printf(t, "  %-5s w %6.2f h %6.2f\n", what, w, h);
    else
        buf_printf(t, "  %-5s h %6.2f\n", what, h);
}

/* Ends a row of text at one baseline (trace_items). */
static void flush_row(buf *t, buf *row, double x, double y)
{
    if (!row->len)
        return;
    buf_printf(t, "  text  x %6.2f y %6.2f \"%s\"\n", x, y, row->data);
    row->len = 0;
    row->data[0] = 0;
}

void trace_item_page(buf *t, const page *pg, break_reason r)
{
    trace_page(t, pg);
    buf row = {0};
    double x = 0, y = 0;
    for (size_t i = 0; i < pg->n; i++) {
        const pitem *it = &pg->items[i];
        if (it->kind == PI_GLYPHS && it->text_len > 0) {
            if (row.len && fabs(it->y - y) >= 0.005)
                flush_row(t, &row, x, y);
            if (!row.len) {
                x = it->x;
                y = it->y;
            } else {
                buf_putc(&row, ' '); /* the next run of the row: a page number */
            }
            int chars = 0; /* each run shortened on its own, so the number stays */
            add_text(&row, &chars, it->text, (size_t)it->text_len);
        } else if (it->kind == PI_IMAGE || it->kind == PI_RULE) {
            flush_row(t, &row, x, y);
            trace_box(t, it->kind == PI_IMAGE ? "image" : "rule", it->w, it->h);
        }
    }
    flush_row(t, &row, x, y);
    buf_free(&row);
    trace_break(t, r, -1, 0);
}

void trace_break(buf *t, break_reason r, double used, double area)
{
    if (used < 0)
        buf_printf(t, "  break %s\n", break_reason_name(r));
    else
        buf_printf(t, "  break %s  used %.2f of %.2f\n", break_reason_name(r), used, area);
}
