/* xtable — a GFM table's elements in chapter XHTML: <table> with <thead>
 * (<th scope="col">) and <tbody> (<td>), each cell's column alignment as
 * a class (align-left, align-center, align-right: the style sheet sets
 * them), and the table's caption as <caption>. The chapter walk (xhtml.c)
 * pushes the element returned for a table node and writes its inline
 * content there. */
#ifndef GB_XTABLE_H
#define GB_XTABLE_H

#include <cmark-gfm.h>
#include <libxml/tree.h>

/* The element for table node n (GFM_TABLE, _ROW or _CELL) added under
 * parent (the table's element for a row, the row's for a cell) in
 * namespace ns; *col counts the cells of the current row (reset by a row).
 * Returns NULL when n is no table node. */
xmlNodePtr xtable_element(xmlNodePtr parent, xmlNsPtr ns, cmark_node *n, int *col);

/* The <caption> of the table parent's last child, put first in it; NULL
 * when parent's last element is not a <table>. */
xmlNodePtr xtable_caption(xmlNodePtr parent, xmlNsPtr ns);

#endif
