/* mdlimits — limits on Markdown that would make cmark-gfm 0.29.0.gfm.6
 * (Debian 12; it predates upstream's fixes of CVE-2023-22483..22486,
 * CVE-2023-24824, CVE-2023-26485, CVE-2023-37463) take time that grows with
 * the square of the input, checked on the text before it is parsed:
 *   - a line with more than MD_MAX_PIPES '|' (a table row's cells are
 *     split in time that grows with their square);
 *   - table cells, columns x rows, counted from each delimiter row to the
 *     next blank line: more than MD_MAX_CELLS in a chapter (rows shorter
 *     than the header are filled up with empty cells, so a few bytes a row
 *     cost a row of cells);
 *   - raw HTML openers without their end ("<?" before "?>", "<!X" before
 *     ">", "<![CDATA[" before "]]>"): the parser scans on from each to its
 *     end; more than MD_MAX_HTML_SCAN bytes scanned in all.
 *   - emphasis delimiter runs ('*', '_'): the square of their number in a
 *     paragraph (between blank lines, outside code fences), summed over
 *     the chapter, more than MD_MAX_EMPH (cmark's openers_bottom fails
 *     on "*t *t ... _t*_ _t*_", cmark issue #389);
 * Legitimate books stay far below them. */
#ifndef GB_MDLIMITS_H
#define GB_MDLIMITS_H

#include "base/diag.h"
#include "base/input.h"

#define MD_MAX_PIPES 256
#define MD_MAX_CELLS 500000L
#define MD_MAX_HTML_SCAN (256L << 20)
#define MD_MAX_EMPH 1000000000LL

/* Checks in->data (file `file` for messages). Returns 0, or -1 after a
 * located error: the chapter must then not be parsed. */
int md_limits_check(input *in, const char *file, diag *d);

#endif
