/* yamldoc — see yamldoc.h. Design: a loop over parser events with an
 * explicit stack of open collections (the rejected alternative, checking
 * the depth in a pre-scan and then calling yaml_parser_load, would still
 * recurse and would have to understand quoting and comments to count
 * brackets). */
#include "model/yamldoc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/input.h"
#include "base/util.h"

typedef struct open_node {
    int id;         /* the collection's node id */
    int key;        /* a mapping's key waiting for its value, 0 if none */
    char *anchor;   /* its anchor, defined at its end (owned), or NULL */
    size_t size;    /* nodes with aliases expanded, itself included */
} open_node;

typedef struct loader {
    yaml_document_t *doc;
    const char *file;
    diag *d;
    open_node *stack;
    size_t depth, cap;
    size_t *size;    /* expanded size of each node, by id */
    size_t nsize, capsize;
    strmap anchors;  /* anchor name -> node id */
} loader;

static void fail(loader *l, yaml_mark_t m, const char *fmt, const char *arg)
{
    char msg[300];
    snprintf(msg, sizeof msg, fmt, arg);
    diag_error(l->d, l->file, (int)m.line + 1, (int)m.column + 1, "%s", msg);
}

static void set_size(loader *l, int id, size_t n)
{
    GROW(l->size, l->capsize, (size_t)id + 1);
    while (l->nsize <= (size_t)id)
        l->size[l->nsize++] = 0;
    l->size[id] = n;
}

/* Adds node `id` (expanded size n) to the open collection, or makes it the
 * root. Returns -1 when the document grows past the limit. */
static int attach(loader *l, int id, size_t n, yaml_mark_t m)
{
    if (!l->depth)
        return 0; /* the root: node 1 */
    open_node *top = &l->stack[l->depth - 1];
    top->size += n;
    if (top->size > YAMLDOC_MAX_NODES) {
        fail(l, m, "the document has more than %s values (counting each alias as a copy of what it names)",
             "250000");
        return -1;
    }
    yaml_node_t *t = yaml_document_get_node(l->doc, top->id);
    if (t->type == YAML_SEQUENCE_NODE) {
        yaml_document_append_sequence_item(l->doc, top->id, id);
    } else if (!top->key) {
        top->key = id;
    } else {
        yaml_document_append_mapping_pair(l->doc, top->id, top->key, id);
        top->key = 0;
    }
    return 0;
}

static int define_anchor(loader *l, const char *anchor, int id, yaml_mark_t m)
{
    if (!anchor)
        return 0;
    if (!strmap_put(&l->anchors, anchor, (void *)(intptr_t)id)) {
        fail(l, m, "the anchor '&%.100s' is defined twice", anchor);
        return -1;
    }
    return 0;
}

static int out_of_memory(loader *l, yaml_mark_t m)
{
    fail(l, m, "%s", "out of memory reading the YAML");
    return -1;
}

static int on_scalar(loader *l, yaml_event_t *e)
{
    yaml_mark_t m = e->start_mark;
    /* escapes ("\e", "\uFFFE", "\0") give characters the file itself
     * cannot contain */
    size_t clen;
    unsigned bad;
    int nul;
    char *v = input_clean_value((const char *)e->data.scalar.value, e->data.scalar.length, 0, &clen, &bad, &nul);
    if (nul) {
        free(v);
        fail(l, m, "%s", "a value contains U+0000 (NUL, written \\0), which is not text");
        return -1;
    }
    if (bad) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "a value contains U+%04X, which is not text: readers see U+FFFD (a replacement mark) in its place",
                 bad);
        diag_warning(l->d, l->file, (int)m.line + 1, (int)m.column + 1, "%s", msg);
    }
    int id = yaml_document_add_scalar(l->doc, e->data.scalar.tag, (yaml_char_t *)v, (int)clen, e->data.scalar.style);
    free(v);
    if (!id)
        return out_of_memory(l, m);
    set_size(l, id, 1);
    if (define_anchor(l, (const char *)e->data.scalar.anchor, id, m) != 0)
        return -1;
    yaml_node_t *n = yaml_document_get_node(l->doc, id);
    n->start_mark = e->start_mark;
    n->end_mark = e->end_mark;
    return attach(l, id, 1, m);
}

static int on_alias(loader *l, yaml_event_t *e)
{
    yaml_mark_t m = e->start_mark;
    const char *name = (const char *)e->data.alias.anchor;
    int id = (int)(intptr_t)strmap_get(&l->anchors, name);
    if (!id) {
        for (size_t i = 0; i < l->depth; i++)
            if (l->stack[i].anchor && !strcmp(l->stack[i].anchor, name)) {
                fail(l, m, "the alias '*%.100s' names a list or map it stands in", name);
                return -1;
            }
        fail(l, m, "the alias '*%.100s' names no anchor defined before it", name);
        return -1;
    }
    return attach(l, id, l->size[id], m);
}

/* A list or map begins: opened on the stack. */
static int on_start(loader *l, yaml_event_t *e)
{
    yaml_mark_t m = e->start_mark;
    if (l->depth >= YAMLDOC_MAX_DEPTH) {
        fail(l, m, "lists and maps are nested more than %s deep here", "64");
        return -1;
    }
    const yaml_char_t *anchor;
    int id;
    if (e->type == YAML_SEQUENCE_START_EVENT) {
        id = yaml_document_add_sequence(l->doc, e->data.sequence_start.tag, e->data.sequence_start.style);
        anchor = e->data.sequence_start.anchor;
    } else {
        id = yaml_document_add_mapping(l->doc, e->data.mapping_start.tag, e->data.mapping_start.style);
        anchor = e->data.mapping_start.anchor;
    }
    if (!id)
        return out_of_memory(l, m);
    yaml_document_get_node(l->doc, id)->start_mark = m;
    set_size(l, id, 1);
    GROW(l->stack, l->cap, l->depth + 1);
    l->stack[l->depth++] = (open_node){id, 0, anchor ? xstrdup((const char *)anchor) : NULL, 1};
    return 0;
}

/* A list or map ends: its anchor is defined and it joins its parent. */
static int on_end(loader *l, yaml_event_t *e)
{
    open_node top = l->stack[--l->depth];
    yaml_node_t *n = yaml_document_get_node(l->doc, top.id);
    n->end_mark = e->end_mark;
    l->size[top.id] = top.size;
    int rc = define_anchor(l, top.anchor, top.id, n->start_mark);
    free(top.anchor);
    if (rc != 0)
        return -1;
    return attach(l, top.id, top.size, n->start_mark);
}

static int on_event(loader *l, yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        return on_scalar(l, e);
    case YAML_ALIAS_EVENT:
        return on_alias(l, e);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return on_start(l, e);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(l, e);
    default:
        return 0;
    }
}

int yamldoc_load(const char *text, size_t len, const char *file, yaml_document_t *doc, diag *d)
{
    memset(doc, 0, sizeof *doc);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diag_error(d, file, 0, 0, "cannot initialise the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_document_initialize(doc, NULL, NULL, NULL, 1, 1)) {
        yaml_parser_delete(&parser);
        diag_error(d, file, 0, 0, "cannot initialise the YAML document");
        return -1;
    }
    loader l = {.doc = doc, .file = file, .d = d};
    int rc = 0, docs = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            int line = (int)parser.problem_mark.line + 1, col = (int)parser.problem_mark.column + 1;
            if (parser.error == YAML_READER_ERROR)
                line = 1, col = 1;
            diag_error(d, file, line, col, "invalid YAML: %s%s%s",
                       parser.problem ? parser.problem : "syntax error", parser.context ? " " : "",
                       parser.context ? parser.context : "");
            rc = -1;
            break;
        }
        yaml_event_type_t type = e.type;
        if (type == YAML_DOCUMENT_START_EVENT)
            docs++;
        int r = on_event(&l, &e);
        yaml_event_delete(&e);
        if (r != 0) {
            rc = -1;
            break;
        }
        if (type == YAML_STREAM_END_EVENT || (type == YAML_DOCUMENT_END_EVENT && docs == 1))
            break;
    }
    for (size_t i = 0; i < l.depth; i++)
        free(l.stack[i].anchor);
    free(l.stack);
    free(l.size);
    strmap_free(&l.anchors);
    yaml_parser_delete(&parser);
    if (rc != 0) {
        yaml_document_delete(doc);
        memset(doc, 0, sizeof *doc);
    }
    return rc;
}
