/* dialect — see dialect.h. The checks look at the parsed tree: a pandoc
 * construct that CommonMark does not read stays text, so its marks are the
 * first characters of a paragraph (grid tables, definitions, divs) or the
 * text right after a link, image or bracket (attributes, inline notes). */
#include "model/dialect.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/gfm.h"

typedef enum { K_GRID, K_DEFLIST, K_DIV, K_ATTR, K_NOTE, K_RAW, K_COUNT } kind;

/* What the reader sees, and what to write instead. */
static const char *const message[K_COUNT] = {
    [K_GRID] = "a pandoc grid table (+---+) is not read: the reader sees its lines as text; write a pipe table "
               "(| a | b | and a row | --- | --- | below the header)",
    [K_DEFLIST] = "a pandoc definition list (a line starting with ': ' or '~ ' under a term) is not read: the reader "
                  "sees the ':' as text and the definition's indented lines as code; write the term in bold "
                  "(**term**) and its definition as a paragraph or list",
    [K_DIV] = "a pandoc fenced div (:::) is not read: its ':::' lines are left out and what it holds is read as "
              "ordinary text, without the div's class or box",
    [K_ATTR] = "pandoc attributes ({.class}, {#id}, {key=value}) after a link, image or [bracketed text] are not "
               "read: the reader sees them as text, with the brackets (links to an {#id} do land there); leave them out",
    [K_NOTE] = "a pandoc inline note (^[...]) is not read: the reader sees it as text in brackets; write a footnote "
               "([^1] in the text, and '[^1]: the note' on a line of its own)",
    [K_RAW] = "a pandoc raw block (``` {=format}) is not read: the reader sees its source as code; write HTML "
              "directly (an HTML block), or leave it out",
};

typedef struct {
    chapter *c;
    int line[K_COUNT], col[K_COUNT]; /* the first of each kind (line 0: none) */
    size_t count[K_COUNT];
    cmark_node **divs; /* paragraphs with div fences */
    size_t ndivs, capdivs;
} found;

static void note(found *f, kind k, cmark_node *n, size_t byte_off)
{
    if (f->count[k]++)
        return;
    int l = cmark_node_get_start_line(n), col = cmark_node_get_start_column(n);
    for (cmark_node *p = n; l <= 0 && p; p = cmark_node_parent(p))
        l = cmark_node_get_start_line(p), col = cmark_node_get_start_column(p);
    f->line[k] = l > 0 ? l : 1;
    f->col[k] = l > 0 && col > 0 ? input_col(&f->c->in, l, col + (int)byte_off) : 1;
}

static const char *first_text(cmark_node *n)
{
    cmark_node *t = cmark_node_first_child(n);
    return t && cmark_node_get_type(t) == CMARK_NODE_TEXT ? cmark_node_get_literal(t) : NULL;
}

/* "+---+---+", "+:==+": a grid table's border line. */
static int grid_border(const char *s)
{
    if (!s || s[0] != '+' || (s[1] != '-' && s[1] != '=' && s[1] != ':'))
        return 0;
    size_t i = 1;
    while (s[i] == '-' || s[i] == '=' || s[i] == ':' || s[i] == '+')
        i++;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    return s[i] == '\0' && i >= 3;
}

/* "{.class}", "{#id .a key=v}", "{=html}": pandoc's attribute block at s,
 * closed on the same text node. Returns its length or 0. */
static size_t attr_block(const char *s)
{
    if (s[0] != '{')
        return 0;
    size_t i = 1;
    while (s[i] == ' ')
        i++;
    int ok = s[i] == '.' || s[i] == '#' || s[i] == '=';
    if (!ok) { /* key=value */
        size_t k = i;
        while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || s[k] == '-' || s[k] == '_')
            k++;
        ok = k > i && s[k] == '=';
    }
    if (!ok)
        return 0;
    for (size_t k = i; s[k] && k < 400; k++) {
        if (s[k] == '}')
            return k + 1;
        if (s[k] == '{')
            return 0;
    }
    return 0;
}

/* ":   definition", "~ definition" */
static int definition(const char *s)
{
    return (s[0] == ':' || s[0] == '~') && (s[1] == ' ' || s[1] == '\t');
}

/* A line of its own "::: {.class}", "::::: name", ":::": a div fence. */
static int div_fence(cmark_node *t)
{
    if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT)
        return 0;
    cmark_node *p = cmark_node_previous(t), *x = cmark_node_next(t);
    if ((p && cmark_node_get_type(p) != CMARK_NODE_SOFTBREAK) || (x && cmark_node_get_type(x) != CMARK_NODE_SOFTBREAK))
        return 0;
    const char *s = cmark_node_get_literal(t);
    return s && !strncmp(s, ":::", 3) && (s[strspn(s, ":")] == '\0' || s[strspn(s, ":")] == ' ');
}

/* Notes the paragraph's div fence lines, to be left out after the walk
 * (the walk must not lose its node). Returns 1 if there are any. */
static int div_fences(found *f, cmark_node *n)
{
    int any = 0;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k))
        if (div_fence(k)) {
            note(f, K_DIV, k, 0);
            any = 1;
        }
    if (any) {
        GROW(f->divs, f->capdivs, f->ndivs + 1);
        f->divs[f->ndivs++] = n;
    }
    return any;
}

/* Leaves out the fence lines of paragraph n (and n, when nothing else is
 * left). */
static void drop_fences(cmark_node *n)
{
    for (cmark_node *k = cmark_node_first_child(n), *next; k; k = next) {
        next = cmark_node_next(k);
        if (!div_fence(k))
            continue;
        cmark_node *br = next ? next : cmark_node_previous(k);
        if (br == next)
            next = cmark_node_next(next);
        if (br)
            cmark_node_free(br);
        cmark_node_free(k);
    }
    if (!cmark_node_first_child(n))
        cmark_node_free(n);
}

static void paragraph(found *f, cmark_node *n)
{
    const char *s = first_text(n);
    if (!s)
        s = "";
    if (grid_border(s)) {
        note(f, K_GRID, n, 0);
        return;
    }
    if (div_fences(f, n))
        return;
    if (definition(s)) {
        /* right after a pipe table it is the table's caption */
        cmark_node *prev = cmark_node_previous(n);
        if (!prev || gfm_kind_of(prev) != GFM_TABLE)
            note(f, K_DEFLIST, n, 0);
        return;
    }
    /* a definition on the line under its term: "term\n:   definition" */
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node *t = cmark_node_next(k);
        if (cmark_node_get_type(k) != CMARK_NODE_SOFTBREAK || !t || cmark_node_get_type(t) != CMARK_NODE_TEXT)
            continue;
        const char *l = cmark_node_get_literal(t);
        if (l && definition(l)) {
            note(f, K_DEFLIST, t, 0);
            return;
        }
    }
}

/* ``` {.python .numberLines} is read as ```python; {=html} is a raw block. */
static void code_block(found *f, cmark_node *n)
{
    const char *info = cmark_node_get_fence_info(n);
    if (!info || info[0] != '{' || !attr_block(info))
        return;
    if (strchr(info, '=') && info[1 + strspn(info + 1, " ")] == '=') {
        note(f, K_RAW, n, 0);
        return;
    }
    const char *dot = strchr(info, '.');
    if (!dot) {
        cmark_node_set_fence_info(n, "");
        return;
    }
    size_t len = strcspn(dot + 1, " }");
    char *lang = xstrndup(dot + 1, len);
    cmark_node_set_fence_info(n, lang);
    free(lang);
}

/* Text after a link or an image, or after "]" in the same text: "{.x}";
 * "^[" in a text: an inline note. */
static void text(found *f, cmark_node *n)
{
    const char *s = cmark_node_get_literal(n);
    if (!s)
        return;
    cmark_node *prev = cmark_node_previous(n);
    cmark_node_type pt = prev ? cmark_node_get_type(prev) : CMARK_NODE_NONE;
    /* ![](x.png){.decorative} is goodiebag's own mark (book.c) */
    if ((pt == CMARK_NODE_LINK || pt == CMARK_NODE_IMAGE) && attr_block(s) &&
        !(pt == CMARK_NODE_IMAGE && !strncmp(s, "{.decorative}", 13)))
        note(f, K_ATTR, n, 0);
    for (const char *q = strstr(s, "]{"); q; q = strstr(q + 1, "]{"))
        if (attr_block(q + 1))
            note(f, K_ATTR, n, (size_t)(q + 1 - s));
    for (const char *q = strstr(s, "^["); q; q = strstr(q + 2, "^["))
        note(f, K_NOTE, n, (size_t)(q - s));
}

void dialect_check(chapter *c, diag *d)
{
    if (!c->doc)
        return;
    found f = {.c = c};
    cmark_iter *it = cmark_iter_new(c->doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *n = cmark_iter_get_node(it);
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH:
            paragraph(&f, n);
            break;
        case CMARK_NODE_CODE_BLOCK:
            code_block(&f, n);
            break;
        case CMARK_NODE_TEXT:
            text(&f, n);
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < f.ndivs; i++)
        drop_fences(f.divs[i]);
    free(f.divs);
    /* in the order of the text */
    int order[K_COUNT], m = 0;
    for (int k = 0; k < K_COUNT; k++)
        if (f.count[k]) {
            int j = m++;
            for (; j > 0 && (f.line[order[j - 1]] > f.line[k] ||
                             (f.line[order[j - 1]] == f.line[k] && f.col[order[j - 1]] > f.col[k]));
                 j--)
                order[j] = order[j - 1];
            order[j] = k;
        }
    for (int j = 0; j < m; j++) {
        int k = order[j];
        if (f.count[k] > 1)
            diag_warning(d, c->diag_name, f.line[k], f.col[k], "%s (and %zu more in this file)", message[k],
                         f.count[k] - 1);
        else
            diag_warning(d, c->diag_name, f.line[k], f.col[k], "%s", message[k]);
    }
}
