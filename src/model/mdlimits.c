/* mdlimits — see mdlimits.h. One pass over the text, constant memory. */
#include "model/mdlimits.h"

#include <string.h>

/* A delimiter row ("| --- | :-: |", "--|--"), after block quote marks and
 * indentation: returns its number of columns, or 0. */
static long delimiter_row(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '>'))
        s++;
    long cols = 0;
    int pipe = 0, in_dash = 0;
    for (; s < e; s++) {
        if (*s == '-') {
            cols += !in_dash;
            in_dash = 1;
        } else if (*s == '|') {
            pipe = 1;
            in_dash = 0;
        } else if (*s == ':' || *s == ' ' || *s == '\t') {
            if (*s != ':')
                in_dash = 0;
        } else
            return 0;
    }
    return pipe ? cols : 0;
}

static int blank(const char *s, const char *e)
{
    for (; s < e; s++)
        if (*s != ' ' && *s != '\t' && *s != '>')
            return 0;
    return 1;
}

/* Raw HTML openers of one kind not yet closed. */
typedef struct {
    const char *open, *close;
    size_t olen, clen;
    long long pending, sum_at; /* how many, and the sum of their offsets */
    size_t first_at;           /* offset of the first pending one */
    int first_line;
    size_t first_line_at;
} opener;

static int close_all(opener *o, size_t at, long long *scanned)
{
    if (o->pending) {
        *scanned += o->pending * (long long)at - o->sum_at;
        o->pending = o->sum_at = 0;
    }
    return *scanned > MD_MAX_HTML_SCAN;
}

static void html_error(input *in, const char *file, diag *d, const opener *o)
{
    diag_error(d, file, o->first_line, input_col(in, o->first_line, (int)(o->first_at - o->first_line_at + 1)),
               "raw HTML '%s' here and after it without their end '%s' make the Markdown parser scan the text "
               "after each of them again (more than %ld MB in all); write '&lt;' for a '<' that is not HTML",
               o->open, o->close, MD_MAX_HTML_SCAN >> 20);
}

static void emph_error(const char *file, diag *d, int line)
{
    diag_error(d, file, line, 1,
               "the paragraphs of this chapter have so many '*' and '_' by this one that Markdown's emphasis "
               "parser takes time that grows with the square of their number in a paragraph (more than %lld "
               "in all); split the paragraph, or write \\* for a '*' that is not emphasis",
               (long long)MD_MAX_EMPH);
}

int md_limits_check(input *in, const char *file, diag *d)
{
    const char *t = in->data;
    size_t len = in->len;
    opener op[3] = {
        {.open = "<?", .olen = 2, .close = "?>", .clen = 2},
        {.open = "<![CDATA[", .olen = 9, .close = "]]>", .clen = 3},
        {.open = "<!", .olen = 2, .close = ">", .clen = 1}, /* <!X, X a letter */
    };
    long long scanned = 0;
    long cells = 0, cols = 0;
    long long emph = 0, runs = 0; /* sum of squares of the paragraphs' runs; this paragraph's */
    int fence = 0, para_line = 1;
    int line = 1;
    for (size_t at = 0; at < len;) {
        size_t e = at;
        while (e < len && t[e] != '\n' && t[e] != '\r')
            e++;
        /* the line t[at..e) */
        long pipes = 0;
        for (size_t i = at; i < e; i++) {
            if (t[i] == '|' && ++pipes > MD_MAX_PIPES) {
                diag_error(d, file, line, input_col(in, line, (int)(i - at + 1)),
                           "this line has more than %d '|': Markdown's table parser takes time that grows with "
                           "the square of a row's cells; split the line or the table",
                           MD_MAX_PIPES);
                return -1;
            }
            if (t[i] != '<' && t[i] != '>' && t[i] != '?' && t[i] != ']')
                continue;
            for (int k = 0; k < 3; k++) {
                opener *o = &op[k];
                if (!strncmp(t + i, o->close, o->clen) && close_all(o, i, &scanned)) {
                    html_error(in, file, d, o);
                    return -1;
                }
            }
            for (int k = 0; k < 3; k++) {
                opener *o = &op[k];
                if (strncmp(t + i, o->open, o->olen))
                    continue;
                if (k == 2 && !((t[i + 2] >= 'A' && t[i + 2] <= 'Z') || (t[i + 2] >= 'a' && t[i + 2] <= 'z')))
                    continue;
                if (!o->pending++)
                    o->first_at = i, o->first_line = line, o->first_line_at = at;
                o->sum_at += (long long)i;
                break;
            }
        }
        /* emphasis: delimiter runs of each paragraph, outside code fences */
        const char *ls = t + at;
        while (ls < t + e && (*ls == ' ' || *ls == '>'))
            ls++;
        if (t + e - ls >= 3 && (!strncmp(ls, "```", 3) || !strncmp(ls, "~~~", 3)))
            fence = !fence;
        else if (!fence)
            for (size_t i = at; i < e; i++)
                if ((t[i] == '*' || t[i] == '_') && (i == at || t[i - 1] != t[i])) {
                    if (!runs++)
                        para_line = line;
                }
        if (blank(t + at, t + e)) {
            emph += (long long)runs * runs;
            runs = 0;
            if (emph > MD_MAX_EMPH) {
                emph_error(file, d, para_line);
                return -1;
            }
        }
        /* tables: a delimiter row starts one, a blank line ends it */
        long c = delimiter_row(t + at, t + e);
        if (c)
            cols = c, cells += c; /* the header row */
        else if (blank(t + at, t + e))
            cols = 0;
        if (cols) {
            cells += cols;
            if (cells > MD_MAX_CELLS) {
                diag_error(d, file, line, 1,
                           "the tables of this chapter have more than %ld cells (columns x rows) by this line: "
                           "Markdown's table parser would take many seconds; split the chapter or the table",
                           MD_MAX_CELLS);
                return -1;
            }
        }
        at = e;
        if (at < len && t[at] == '\r') {
            at++;
            if (at < len && t[at] == '\n')
                at++;
        } else if (at < len)
            at++;
        line++;
    }
    if (emph + runs * runs > MD_MAX_EMPH) {
        emph_error(file, d, para_line);
        return -1;
    }
    for (int k = 0; k < 3; k++)
        if (close_all(&op[k], len, &scanned)) {
            html_error(in, file, d, &op[k]);
            return -1;
        }
    return 0;
}
