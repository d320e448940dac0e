/* gfm — the Markdown goodiebag reads: CommonMark with GitHub's extensions
 * (cmark-gfm). The extensions' node types are numbers cmark-gfm assigns at
 * run time, not constants: gfm_init learns them once, and gfm_kind_of
 * names them for every stage that walks the tree. */
#ifndef GB_GFM_H
#define GB_GFM_H

#include <cmark-gfm.h>
#include <stddef.h>

typedef enum {
    GFM_NONE,          /* a core CommonMark node (see cmark_node_get_type) */
    GFM_TABLE,         /* a pipe table: its rows are its children */
    GFM_TABLE_ROW,     /* a row (gfm_row_is_header: the header row) */
    GFM_TABLE_CELL,    /* a cell: inline content */
    GFM_STRIKETHROUGH, /* ~~struck~~ text: inline content */
} gfm_kind;

/* Registers cmark-gfm's extensions and learns their node types. Call
 * before the first gfm_parse, on one thread (book_load does); later calls
 * do nothing. */
void gfm_init(void);

/* Parses Markdown text with the extensions goodiebag reads. The caller
 * owns the tree (cmark_node_free). */
cmark_node *gfm_parse(const char *text, size_t len);

/* What an extension node is (GFM_NONE for core nodes). */
gfm_kind gfm_kind_of(cmark_node *n);

/* For a GFM_TABLE_ROW: 1 if it is the header row. */
int gfm_row_is_header(cmark_node *row);

/* Table captions: a paragraph right after a table whose text starts with
 * ": ", "Table: " or "Tabel: " (pandoc's convention) is the table's
 * caption; gfm_parse puts the prefix in a text node of its own. */

/* The caption paragraph of table, or NULL. */
cmark_node *gfm_table_caption(cmark_node *table);

/* 1 if para is a table's caption (written with its table, not as a
 * paragraph). */
int gfm_is_caption(cmark_node *para);

/* 1 if n is the prefix text node of a caption (not written). */
int gfm_caption_prefix(cmark_node *n);

/* The number of columns of table (its header row's cells), 0 for a node
 * that is no table. */
int gfm_table_columns(cmark_node *table);

/* Column col's alignment from table's delimiter row: 'l', 'c', 'r', or 0
 * (none given; also for a column the table does not have). */
char gfm_table_align(cmark_node *table, int col);

/* For a list item: -1 if it is not a task item, else 0 (open) or 1 (done). */
int gfm_task_state(cmark_node *item);

#endif
