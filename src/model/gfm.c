/* gfm — see gfm.h. The node types are learnt from a probe document parsed
 * once: cmark-gfm's public header does not export them, and comparing type
 * strings at every node would cost each walk a string compare per node. */
#include "model/gfm.h"

#include <cmark-gfm-core-extensions.h>
#include <string.h>

/* The extensions attached to every parser (cmark-gfm's names). */
static const char *const extensions[] = {"table", "strikethrough", "autolink", "tasklist", NULL};

static int ready;
static cmark_node_type t_table, t_row, t_cell, t_strike;

static cmark_parser *new_parser(void)
{
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES);
    for (size_t i = 0; extensions[i]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(extensions[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    return p;
}

void gfm_init(void)
{
    if (ready)
        return;
    cmark_gfm_core_extensions_ensure_registered();
    static const char probe[] = "| a |\n| - |\n| b |\n\n~~s~~\n";
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
    cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("strikethrough"));
    cmark_parser_feed(p, probe, sizeof probe - 1);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *s = cmark_node_get_type_string(n);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (!strcmp(s, "table"))
            t_table = cmark_node_get_type(n);
        else if (!strcmp(s, "table_row") || !strcmp(s, "table_header"))
            t_row = cmark_node_get_type(n);
        else if (!strcmp(s, "table_cell"))
            t_cell = cmark_node_get_type(n);
        else if (!strcmp(s, "strikethrough"))
            t_strike = cmark_node_get_type(n);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    ready = 1;
}

/* The prefixes that make a paragraph right after a table its caption
 * (pandoc's convention). */
static const char *const caption_prefixes[] = {": ", "Table: ", "Tabel: ", NULL};

static size_t caption_prefix_len(const char *s)
{
    for (size_t i = 0; s && caption_prefixes[i]; i++) {
        size_t l = strlen(caption_prefixes[i]);
        if (!strncmp(s, caption_prefixes[i], l))
            return l;
    }
    return 0;
}

/* A caption's prefix becomes a text node of its own, so that both editions
 * skip it by node (gfm_caption_prefix) and page marks keep their offsets
 * within the caption's text. */
static void split_caption(cmark_node *table)
{
    cmark_node *para = cmark_node_next(table);
    if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
        return;
    cmark_node *t = cmark_node_first_child(para);
    if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT)
        return;
    const char *lit = cmark_node_get_literal(t);
    size_t l = caption_prefix_len(lit);
    if (!l || (!lit[l] && !cmark_node_next(t)))
        return;
    if (lit[l]) {
        cmark_node *rest = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(rest, lit + l);
        char pre[8];
        memcpy(pre, lit, l);
        pre[l] = 0;
        cmark_node_set_literal(t, pre);
        cmark_node_insert_after(t, rest);
    }
}

cmark_node *gfm_parse(const char *text, size_t len)
{
    gfm_init();
    cmark_parser *p = new_parser();
    cmark_parser_feed(p, text, len);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && gfm_kind_of(n) == GFM_TABLE) {
            split_caption(n);
            cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
        }
    }
    cmark_iter_free(it);
    return doc;
}

int gfm_caption_prefix(cmark_node *n)
{
    cmark_node *para = cmark_node_parent(n);
    if (!para || cmark_node_get_type(n) != CMARK_NODE_TEXT || cmark_node_previous(n) || !cmark_node_next(n))
        return 0;
    cmark_node *table = cmark_node_previous(para);
    if (!table || gfm_kind_of(table) != GFM_TABLE)
        return 0;
    const char *lit = cmark_node_get_literal(n);
    size_t l = caption_prefix_len(lit);
    return l && !lit[l];
}

cmark_node *gfm_table_caption(cmark_node *table)
{
    cmark_node *para = cmark_node_next(table);
    if (gfm_kind_of(table) != GFM_TABLE || !para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
        return NULL;
    cmark_node *t = cmark_node_first_child(para);
    return t && gfm_caption_prefix(t) ? para : NULL;
}

int gfm_is_caption(cmark_node *para)
{
    cmark_node *prev = cmark_node_previous(para);
    return prev && gfm_table_caption(prev) == para;
}

int gfm_table_columns(cmark_node *table)
{
    return gfm_kind_of(table) == GFM_TABLE ? cmark_gfm_extensions_get_table_columns(table) : 0;
}

char gfm_table_align(cmark_node *table, int col)
{
    if (gfm_kind_of(table) != GFM_TABLE || col < 0 || col >= cmark_gfm_extensions_get_table_columns(table))
        return 0;
    const uint8_t *al = cmark_gfm_extensions_get_table_alignments(table);
    return al && (al[col] == 'l' || al[col] == 'c' || al[col] == 'r') ? (char)al[col] : 0;
}
gfm_kind gfm_kind_of(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_NONE)
        return GFM_NONE;
    if (t == t_table)
        return GFM_TABLE;
    if (t == t_row)
        return GFM_TABLE_ROW;
    if (t == t_cell)
        return GFM_TABLE_CELL;
    if (t == t_strike)
        return GFM_STRIKETHROUGH;
    return GFM_NONE;
}

int gfm_row_is_header(cmark_node *row)
{
    return gfm_kind_of(row) == GFM_TABLE_ROW && cmark_gfm_extensions_get_table_row_is_header(row);
}

int gfm_task_state(cmark_node *item)
{
    if (cmark_node_get_type(item) != CMARK_NODE_ITEM || strcmp(cmark_node_get_type_string(item), "tasklist") != 0)
        return -1;
    return cmark_gfm_extensions_get_tasklist_item_checked(item) ? 1 : 0;
}
