/* meta — see meta.h. We load the whole YAML document as a node graph
 * (yamldoc_load, with its limits) rather than walking events: the node
 * graph keeps every node's position for messages. */
#include "model/meta.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/input.h"
#include "model/yamldoc.h"

typedef struct ctx {
    yaml_document_t *doc;
    const char *file;
    arena *a;
    diag *d;
    int bad;
    strmap files; /* chapter file -> its line in book.yaml */
} ctx;

#define LINE(n) ((int)(n)->start_mark.line + 1)
#define COL(n) ((int)(n)->start_mark.column + 1)

static void err(ctx *c, yaml_node_t *n, const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    diag_error(c->d, c->file, n ? LINE(n) : 1, n ? COL(n) : 1, "%s", msg);
    c->bad = 1;
}

static const char *scalar(ctx *c, yaml_node_t *n, const char *key)
{
    if (n->type != YAML_SCALAR_NODE) {
        err(c, n, "'%s' must be a text value", key);
        return NULL;
    }
    const char *v = arena_strndup(c->a, (const char *)n->data.scalar.value,
                                  n->data.scalar.length);
    if (strlen(v) != n->data.scalar.length) {
        err(c, n, "'%s' contains a NUL character", key);
        return NULL;
    }
    /* text in NFC (as the chapters); file names keep their bytes */
    if (strcmp(key, "chapters") && strcmp(key, "file") && strcmp(key, "cover")) {
        size_t len;
        unsigned bad;
        int nul;
        char *t = input_clean_value(v, strlen(v), 1, &len, &bad, &nul);
        if (strcmp(t, v))
            v = arena_strndup(c->a, t, len);
        free(t);
    }
    return v;
}

static const char *nonempty(ctx *c, yaml_node_t *n, const char *key)
{
    const char *v = scalar(c, n, key);
    if (v) {
        const char *p = v;
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p) {
            err(c, n, "'%s' is empty", key);
            return NULL;
        }
    }
    return v;
}

/* The keys of book.yaml. */
typedef enum {
    KEY_NAME, KEY_TITLE, KEY_SUBTITLE, KEY_AUTHOR, KEY_PUBLISHER, KEY_LANG, KEY_DATE,
    KEY_IDENTIFIER, KEY_DESCRIPTION, KEY_COVER, KEY_CHAPTERS, KEY_COUNT
} meta_key;

static const char *const known_keys[KEY_COUNT + 1] = {
    "name", "title", "subtitle", "author", "publisher", "lang", "date",
    "identifier", "description", "cover", "chapters", NULL,
};
static const meta_key required_keys[] = {KEY_NAME, KEY_TITLE, KEY_AUTHOR, KEY_PUBLISHER, KEY_LANG, KEY_DATE};

static void unknown_key(ctx *c, yaml_node_t *k, const char *key, const char *const *known)
{
    const char *best = NULL;
    int bestd = 3;
    for (int i = 0; known[i]; i++) {
        int dd = edit_distance(key, known[i]);
        if (dd < bestd) {
            bestd = dd;
            best = known[i];
        }
    }
    char msg[300];
    if (best)
        snprintf(msg, sizeof msg, "unknown key '%.100s' (did you mean '%s'?)", key, best);
    else
        snprintf(msg, sizeof msg, "unknown key '%.100s'", key);
    err(c, k, "%s", msg);
}

int meta_lang_ok(const char *s)
{
    size_t i = 0, len = 0;
    while (s[i] && s[i] != '-') {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            return 0;
        i++, len++;
    }
    if (len < 2 || len > 3)
        return 0;
    while (s[i] == '-') {
        i++;
        len = 0;
        while (s[i] && s[i] != '-') {
            char ch = s[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
                return 0;
            i++, len++;
        }
        if (len < 1 || len > 8)
            return 0;
    }
    return s[i] == 0;
}

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm: days since 1970-01-01. */
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

int meta_date_ok(const char *s, long long *t)
{
    int y = 0, m = 1, d = 1;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    if (n == 4 && sscanf(s, "%4d", &y) == 1) {
    } else if (n == 7 && s[4] == '-' && sscanf(s, "%4d-%2d", &y, &m) == 2) {
    } else if (n == 10 && s[4] == '-' && s[7] == '-' && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3) {
    } else {
        return 0;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return 0;
    if (t)
        *t = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400LL;
    return 1;
}

static int name_ok(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 100)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return 1;
}

static void chapter_entry(ctx *c, meta *m, yaml_node_t *item)
{
    chapter_spec cs = {0};
    cs.line = LINE(item);
    cs.col = COL(item);
    if (item->type == YAML_SCALAR_NODE) {
        cs.file = nonempty(c, item, "chapters");
    } else if (item->type == YAML_MAPPING_NODE) {
        static const char *const keys[] = {"file", "label", "theme", NULL};
        for (yaml_node_pair_t *p = item->data.mapping.pairs.start;
             p < item->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
            yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
            if (!k || !v || k->type != YAML_SCALAR_NODE) {
                err(c, item, "%s", "a chapter entry's keys must be text");
                continue;
            }
            const char *key = (const char *)k->data.scalar.value;
            if (!strcmp(key, "file")) {
                cs.file = nonempty(c, v, "file");
                cs.line = LINE(v);
                cs.col = COL(v);
            } else if (!strcmp(key, "label")) {
                cs.label = scalar(c, v, "label");
            } else if (!strcmp(key, "theme")) {
                const char *t = scalar(c, v, "theme");
                if (t) {
                    char *end;
                    long th = strtol(t, &end, 10);
                    if (*end || th < 1 || th > 99)
                        err(c, v, "'theme' must be a number from 1 to 99, not '%.50s'", t);
                    else
                        cs.theme = (int)th;
                }
            } else {
                unknown_key(c, k, key, keys);
            }
        }
        if (!cs.file && !c->bad)
            err(c, item, "%s", "a chapter entry needs a 'file'");
    } else {
        err(c, item, "%s", "a chapter must be a file name or a map with 'file'");
    }
    if (!cs.file)
        return;
    int first = (int)(intptr_t)strmap_get(&c->files, cs.file);
    if (first) {
        char msg[400];
        snprintf(msg, sizeof msg, "chapter '%.200s' is listed twice (first on line %d)", cs.file, first);
        err(c, item, "%s", msg);
        return;
    }
    strmap_put(&c->files, cs.file, (void *)(intptr_t)cs.line);
    m->chapters[m->nchapters++] = cs;
}

/* A key with one text value: name, title, subtitle, publisher,
 * identifier, description, cover, lang, date. */
static void text_key(ctx *c, meta *m, meta_key k, yaml_node_t *v)
{
    const char *key = known_keys[k];
    const char *t = nonempty(c, v, key);
    switch (k) {
    case KEY_NAME:
        m->name = t;
        if (m->name && !name_ok(m->name)) {
            err(c, v, "'name' is the output file name: use only letters, digits, '-', '_' and '.', not '%.100s'",
                m->name);
            m->name = NULL;
        }
        break;
    case KEY_TITLE:
        m->title = t;
        m->title_line = LINE(v);
        break;
    case KEY_SUBTITLE:
        m->subtitle = t;
        m->subtitle_line = LINE(v);
        break;
    case KEY_PUBLISHER:
        m->publisher = t;
        m->publisher_line = LINE(v);
        break;
    case KEY_IDENTIFIER:
        m->identifier = t;
        break;
    case KEY_DESCRIPTION:
        m->description = t;
        break;
    case KEY_COVER:
        m->cover = t;
        m->cover_line = LINE(v);
        m->cover_col = COL(v);
        break;
    case KEY_LANG:
        m->lang = t;
        if (m->lang && !meta_lang_ok(m->lang)) {
            err(c, v, "'lang' must be a language tag such as nl, nl-NL or en, not '%.50s'", m->lang);
            m->lang = NULL;
        }
        break;
    case KEY_DATE:
        m->date = t;
        if (m->date && !meta_date_ok(m->date, NULL)) {
            err(c, v, "'date' must be YYYY-MM-DD, YYYY-MM or YYYY, not '%.50s'", m->date);
            m->date = NULL;
        }
        break;
    default:
        break;
    }
}

/* 'author': one name, or a list of names. */
static void author_key(ctx *c, meta *m, yaml_node_t *v)
{
    m->author_line = LINE(v);
    if (v->type != YAML_SEQUENCE_NODE) {
        const char *s = nonempty(c, v, "author");
        if (s) {
            m->authors = arena_alloc(c->a, 2 * sizeof *m->authors);
            m->authors[m->nauthors++] = s;
        }
        return;
    }
    size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    m->authors = arena_alloc(c->a, (cnt + 1) * sizeof *m->authors);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *an = yaml_document_get_node(c->doc, *it);
        const char *s = an ? nonempty(c, an, "author") : NULL;
        if (s)
            m->authors[m->nauthors++] = s;
    }
    if (!cnt)
        err(c, v, "%s", "'author' is an empty list");
}

/* 'chapters': a list of chapter entries, at most META_MAX_CHAPTERS. */
static void chapters_key(ctx *c, meta *m, yaml_node_t *v)
{
    m->has_chapters = 1;
    if (v->type != YAML_SEQUENCE_NODE) {
        err(c, v, "%s", "'chapters' must be a list of chapter files (\"- file.md\" lines)");
        return;
    }
    size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (cnt == 0) {
        err(c, v, "%s", "'chapters' is an empty list");
        return;
    }
    if (cnt > META_MAX_CHAPTERS) {
        yaml_node_t *over = yaml_document_get_node(c->doc, v->data.sequence.items.start[META_MAX_CHAPTERS]);
        diag_error(c->d, c->file, over ? LINE(over) : LINE(v), over ? COL(over) : COL(v),
                   "'chapters' lists %zu files, more than the limit of %d chapters", cnt, META_MAX_CHAPTERS);
        c->bad = 1;
        return;
    }
    m->chapters = arena_alloc(c->a, cnt * sizeof *m->chapters);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(c->doc, *it);
        if (item)
            chapter_entry(c, m, item);
    }
}

/* The keys of the root map, each once. seen[k]: the line of key k, or 0. */
static void root_keys(ctx *c, meta *m, yaml_node_t *root, int seen[KEY_COUNT])
{
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
        if (!k || !v)
            continue;
        if (k->type != YAML_SCALAR_NODE) {
            err(c, k, "%s", "keys must be plain words");
            continue;
        }
        const char *key = (const char *)k->data.scalar.value;
        int idx = -1;
        for (int i = 0; known_keys[i]; i++)
            if (!strcmp(key, known_keys[i]))
                idx = i;
        if (idx < 0) {
            unknown_key(c, k, key, known_keys);
            continue;
        }
        if (seen[idx]) {
            err(c, k, "key '%s' is given twice", key);
            continue;
        }
        seen[idx] = LINE(k);
        if (idx == KEY_AUTHOR)
            author_key(c, m, v);
        else if (idx == KEY_CHAPTERS)
            chapters_key(c, m, v);
        else
            text_key(c, m, (meta_key)idx, v);
    }
}

int meta_parse(const char *text, size_t len, const char *file, meta *m, arena *a, diag *d)
{
    memset(m, 0, sizeof *m);
    ctx c = {.file = file, .a = a, .d = d};
    yaml_document_t doc;
    if (yamldoc_load(text, len, file, &doc, d) != 0)
        return -1;
    c.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        diag_error(d, file, 1, 1, "the file is empty; it needs at least name, title, author, publisher, lang and date");
        yaml_document_delete(&doc);
        return -1;
    }
    if (root->type != YAML_MAPPING_NODE) {
        err(&c, root, "%s", "book.yaml must be a map of keys (name: ..., title: ...)");
    } else {
        int seen[KEY_COUNT] = {0};
        root_keys(&c, m, root, seen);
        for (size_t i = 0; i < sizeof required_keys / sizeof *required_keys; i++)
            if (!seen[required_keys[i]]) {
                diag_error(d, file, 1, 1, "missing required key '%s'", known_keys[required_keys[i]]);
                c.bad = 1;
            }
    }
    strmap_free(&c.files);
    yaml_document_delete(&doc);
    return c.bad ? -1 : 0;
}
