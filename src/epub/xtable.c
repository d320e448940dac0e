/* xtable — see xtable.h. */
#include "epub/xtable.h"

#include <string.h>

#include "model/gfm.h"

static int named(xmlNodePtr e, const char *name)
{
    return e && e->type == XML_ELEMENT_NODE && !strcmp((const char *)e->name, name);
}

/* The table's <thead> or <tbody> a row goes in: the last one if it is of
 * that kind, else a new one. */
static xmlNodePtr section(xmlNodePtr table, xmlNsPtr ns, const char *name)
{
    xmlNodePtr last = xmlGetLastChild(table);
    if (named(last, name))
        return last;
    return xmlNewChild(table, ns, BAD_CAST name, NULL);
}

xmlNodePtr xtable_element(xmlNodePtr parent, xmlNsPtr ns, cmark_node *n, int *col)
{
    switch (gfm_kind_of(n)) {
    case GFM_TABLE:
        return xmlNewChild(parent, ns, BAD_CAST "table", NULL);
    case GFM_TABLE_ROW:
        *col = 0;
        return xmlNewChild(section(parent, ns, gfm_row_is_header(n) ? "thead" : "tbody"), ns, BAD_CAST "tr", NULL);
    case GFM_TABLE_CELL: {
        cmark_node *row = cmark_node_parent(n);
        int head = row && gfm_row_is_header(row);
        xmlNodePtr c = xmlNewChild(parent, ns, BAD_CAST(head ? "th" : "td"), NULL);
        if (head)
            xmlSetProp(c, BAD_CAST "scope", BAD_CAST "col");
        char al = gfm_table_align(row ? cmark_node_parent(row) : NULL, (*col)++);
        if (al)
            xmlSetProp(c, BAD_CAST "class",
                       BAD_CAST(al == 'c' ? "align-center" : al == 'r' ? "align-right" : "align-left"));
        return c;
    }
    default:
        return NULL;
    }
}

xmlNodePtr xtable_caption(xmlNodePtr parent, xmlNsPtr ns)
{
    xmlNodePtr t = xmlGetLastChild(parent);
    while (t && t->type != XML_ELEMENT_NODE)
        t = t->prev;
    if (!named(t, "table"))
        return NULL;
    xmlNodePtr cap = xmlNewNode(ns, BAD_CAST "caption");
    if (t->children)
        xmlAddPrevSibling(t->children, cap);
    else
        xmlAddChild(t, cap);
    return cap;
}
