/* test_model.c — tests of the document model (src/model/book.c and the modules it
 * uses: meta, path, sanitize, xhtml; and l10n's words).
 *
 * Books are built in memory (book_load_mem) or written to a temporary folder
 * (book_load) when the filesystem matters: folders, symbolic links. Every
 * error check looks at the diag entry itself — level, file, line, column —
 * not only at its message. Raw HTML cleaning is checked on the XHTML that
 * xhtml_chapter() builds, serialised and parsed again with libxml2's strict
 * XML parser, then walked. */
#include "harness.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/book.h"
#include "base/diag.h"
#include "base/l10n.h"
#include "model/meta.h"
#include "base/path.h"
#include "model/sanitize.h"
#include "epub/xhtml.h"

/* ---- helpers ---------------------------------------------------------- */

#define YAML_HEAD                                                          \
    "name: t\n"                                                            \
    "title: Testboek\n"                                                    \
    "author: Tester\n"                                                     \
    "publisher: Uitgever\n"                                                \
    "lang: nl\n"                                                           \
    "date: 2024-01-01\n"

#define MAXF 12

/* An in-memory book: names and contents (NUL-terminated unless len given). */
typedef struct mbook {
    const char *names[MAXF];
    const char *data[MAXF];
    size_t len[MAXF];
    int n;
    diag d;
    book *b;
} mbook;

static void mb_add_len(mbook *m, const char *name, const char *data, size_t len)
{
    m->names[m->n] = name;
    m->data[m->n] = data;
    m->len[m->n] = len;
    m->n++;
}

static void mb_add(mbook *m, const char *name, const char *data)
{
    mb_add_len(m, name, data, strlen(data));
}

static book *mb_load(mbook *m)
{
    memset(&m->d, 0, sizeof m->d);
    m->b = book_load_mem(m->names, m->data, m->len, m->n, &m->d);
    return m->b;
}

static void mb_free(mbook *m)
{
    book_free(m->b);
    diag_free(&m->d);
    memset(m, 0, sizeof *m);
}

/* The first diag entry of `level` whose message contains needle, or NULL. */
static const diag_entry *find_diag(const diag *d, diag_level level, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].level == level && strstr(d->v[i].msg, needle))
            return &d->v[i];
    return NULL;
}

static void dump_diag(const diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        printf("#   %s:%d:%d: %s: %s\n", d->v[i].file ? d->v[i].file : "(none)", d->v[i].line,
               d->v[i].col, d->v[i].level == DIAG_ERROR ? "error" : "warning", d->v[i].msg);
}

/* Checks that an error containing `needle` was reported at file:line:col
 * (col 0: any column). */
static void expect_error_at(const diag *d, const char *needle, const char *file, int line, int col,
                            const char *what)
{
    const diag_entry *e = NULL;
    for (size_t i = 0; i < d->n && !e; i++) /* prefer an entry about `file` */
        if (d->v[i].level == DIAG_ERROR && strstr(d->v[i].msg, needle) && d->v[i].file &&
            !strcmp(d->v[i].file, file))
            e = &d->v[i];
    if (!e)
        e = find_diag(d, DIAG_ERROR, needle);
    CHECK(e != NULL, "%s: an error mentioning \"%s\"", what, needle);
    if (!e) {
        dump_diag(d);
        return;
    }
    int ok = e->file && !strcmp(e->file, file) && e->line == line && (col == 0 || e->col == col);
    CHECK(ok, "%s: reported at %s:%d:%d (got %s:%d:%d: %s)", what, file, line, col,
          e->file ? e->file : "(none)", e->line, e->col, e->msg);
}

/* The n-th (0-based) node of type t in chapter ci, in document order. */
static cmark_node *nth_node(const book *b, int ci, cmark_node_type t, int n)
{
    cmark_iter *it = cmark_iter_new(b->ch[ci].doc);
    cmark_event_type ev;
    cmark_node *found = NULL;
    while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(x) == t && n-- == 0)
            found = x;
    }
    cmark_iter_free(it);
    return found;
}

static anno *nth_anno(const book *b, int ci, cmark_node_type t, int n)
{
    if (ci < 0 || ci >= b->nch || !b->ch[ci].doc)
        return NULL;
    cmark_node *x = nth_node(b, ci, t, n);
    return x ? node_anno(x) : NULL;
}

/* A temporary folder with files written into it. */
static char tmproot[256];

static void write_path(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        printf("# cannot write %s: %s\n", path, strerror(errno));
        return;
    }
    fwrite(data, 1, len, f);
    fclose(f);
}

/* Creates tmproot/<name>/ and returns its path (caller frees). */
static char *make_book_dir(const char *name)
{
    char *dir = xasprintf("%s/%s", tmproot, name);
    mkdir(dir, 0755);
    return dir;
}

static void write_in(const char *dir, const char *rel, const char *data)
{
    char *p = xasprintf("%s/%s", dir, rel);
    write_path(p, data, strlen(data));
    free(p);
}

static void rm_rf(const char *path)
{
    char *cmd = xasprintf("rm -rf '%s'", path);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", path);
    free(cmd);
}

/* ---- slugs ------------------------------------------------------------ */

static void slug_is(const char *in, const char *want)
{
    char *s = make_slug(in);
    char what[200];
    snprintf(what, sizeof what, "make_slug(\"%s\")", in);
    CHECK_STR(s, want, what);
    free(s);
}

static void test_slugs(void)
{
    slug_is("Citaten en ideeën", "citaten-en-ideeen");
    slug_is("Producten", "producten");
    slug_is("Integriteit: Hoe (her)stel ik de norm?", "integriteit-hoe-her-stel-ik-de-norm");
    slug_is("De dilemma's van hybride werken", "de-dilemma-s-van-hybride-werken");
    slug_is("  -- Hallo,   wereld!! --  ", "hallo-wereld");
    slug_is("Wendbare strategie op één A4", "wendbare-strategie-op-een-a4");
    slug_is("Café Ångström Ærø Œuvre Łódź", "cafe-angstrom-aro-ouvre-lodz");
    slug_is("", "section");
    slug_is("!!!", "section");
    slug_is("日本語", "section");
    slug_is("\xC4\xB2sselmeer", "ijsselmeer");   /* Ĳ U+0132 */
    slug_is("bl\xC4\xB3 zijn", "blij-zijn");      /* ĳ U+0133 */
    slug_is("IJsland", "ijsland");
    slug_is("3 Integriteit", "3-integriteit");
    /* invalid UTF-8 in the input never ends up in the slug */
    slug_is("a\xFF" "b", "a-b");
    /* long headings give bounded slugs of ASCII letters, digits and '-' */
    char longh[1000];
    for (int i = 0; i < 999; i++)
        longh[i] = (char)('a' + i % 26);
    longh[999] = 0;
    char *s = make_slug(longh);
    int ok = strlen(s) > 0 && strlen(s) <= 100;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            ok = 0;
    CHECK(ok, "make_slug of a 999-letter heading is 1..100 chars of [a-z0-9-] (got %zu)", strlen(s));
    free(s);
}

/* ---- heading ids and internal links ----------------------------------- */

static void test_heading_ids(void)
{
    mbook m = {0};
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - 01-a.md\n  - 02-b.md\n  - 03-x.md\n");
    mb_add(&m, "01-a.md", "# Hoofdstuk A\n\n## Producten\n\nTekst.\n");
    mb_add(&m, "02-b.md",
           "# Hoofdstuk B\n\n## Producten\n\nZie [de producten van X](03-x.md#producten),\n"
           "[deze](#producten), [A](01-a.md) en [X-kop](./03-x.md#hoofdstuk-x).\n");
    mb_add(&m, "03-x.md", "# Hoofdstuk X\n\n## Producten\n\n## Producten\n\n[twee](#producten-2)\n");
    book *b = mb_load(&m);
    CHECK(m.d.errors == 0, "a book with three 'Producten' headings loads without errors (%d)", m.d.errors);
    if (m.d.errors)
        dump_diag(&m.d);
    CHECK(b->nch == 3, "three chapters (got %d)", b->nch);
    if (b->nch != 3 || !b->ch[0].doc || !b->ch[1].doc || !b->ch[2].doc) {
        mb_free(&m);
        return;
    }
    anno *pa = nth_anno(b, 0, CMARK_NODE_HEADING, 1);
    anno *pb = nth_anno(b, 1, CMARK_NODE_HEADING, 1);
    anno *px = nth_anno(b, 2, CMARK_NODE_HEADING, 1);
    anno *px2 = nth_anno(b, 2, CMARK_NODE_HEADING, 2);
    CHECK(pa && pb && px && px2, "every heading has an annotation");
    if (!(pa && pb && px && px2)) {
        mb_free(&m);
        return;
    }
    CHECK(strcmp(pa->id, pb->id) && strcmp(pa->id, px->id) && strcmp(pb->id, px->id) &&
              strcmp(px->id, px2->id) && strcmp(pa->id, px2->id) && strcmp(pb->id, px2->id),
          "the four 'Producten' ids differ (%s, %s, %s, %s)", pa->id, pb->id, px->id, px2->id);
    CHECK_STR(pa->slug, "producten", "slug in chapter 1");
    CHECK_STR(pb->slug, "producten", "slug in chapter 2 (slugs are per chapter)");
    CHECK_STR(px->slug, "producten", "slug of the first 'Producten' in chapter 3");
    CHECK_STR(px2->slug, "producten-2", "a repeated heading in one chapter gets '-2'");
    CHECK_STR(pa->text, "Producten", "heading text");
    CHECK(pa->chapter == 0 && pb->chapter == 1 && px->chapter == 2, "heading chapter indexes");
    CHECK_STR(b->ch[1].title, "Hoofdstuk B", "chapter title is its first heading");
    anno *ta = nth_anno(b, 1, CMARK_NODE_HEADING, 0);
    CHECK(ta && b->ch[1].title_id && !strcmp(b->ch[1].title_id, ta->id), "title_id is the first heading's id");

    /* every id in the book is unique */
    int dup = 0, n = 0;
    const char *ids[64];
    for (int ci = 0; ci < b->nch; ci++)
        for (int k = 0;; k++) {
            anno *h = nth_anno(b, ci, CMARK_NODE_HEADING, k);
            if (!h)
                break;
            for (int j = 0; j < n; j++)
                if (!strcmp(ids[j], h->id))
                    dup = 1;
            if (n < 64)
                ids[n++] = h->id;
        }
    CHECK(!dup && n == 7, "all %d heading ids of the book are unique", n);

    anno *l1 = nth_anno(b, 1, CMARK_NODE_LINK, 0);
    CHECK(l1 && l1->kind == ANNO_LINK, "link 1 is annotated");
    if (l1) {
        CHECK(l1->target_chapter == 2, "'03-x.md#producten' targets chapter index 2 (got %d)", l1->target_chapter);
        CHECK(l1->target_id && !strcmp(l1->target_id, px->id),
              "'03-x.md#producten' targets the heading in chapter 3 (%s, want %s)",
              l1->target_id ? l1->target_id : "(null)", px->id);
        CHECK(l1->href == NULL, "an internal link has no external href");
    }
    anno *l2 = nth_anno(b, 1, CMARK_NODE_LINK, 1);
    CHECK(l2 && l2->target_chapter == 1 && l2->target_id && !strcmp(l2->target_id, pb->id),
          "'#producten' targets the heading of its own chapter");
    anno *l3 = nth_anno(b, 1, CMARK_NODE_LINK, 2);
    CHECK(l3 && l3->target_chapter == 0 && l3->target_id == NULL,
          "'01-a.md' targets the start of chapter 1");
    anno *l4 = nth_anno(b, 1, CMARK_NODE_LINK, 3);
    anno *tx = nth_anno(b, 2, CMARK_NODE_HEADING, 0);
    CHECK(l4 && tx && l4->target_chapter == 2 && l4->target_id && !strcmp(l4->target_id, tx->id),
          "'./03-x.md#hoofdstuk-x' targets chapter 3's title");
    anno *l5 = nth_anno(b, 2, CMARK_NODE_LINK, 0);
    CHECK(l5 && l5->target_chapter == 2 && l5->target_id && !strcmp(l5->target_id, px2->id),
          "'#producten-2' targets the second 'Producten' of its chapter");

    /* the XHTML carries the ids and the resolved hrefs */
    xmlDocPtr doc = xhtml_chapter(b, 1, NULL);
    size_t len;
    char *x = xhtml_serialize(doc, &len);
    xmlFreeDoc(doc);
    char *want = xasprintf("href=\"03-x.xhtml#%s\"", px->id);
    CHECK(strstr(x, want) != NULL, "chapter 2's XHTML links to %s", want);
    free(want);
    want = xasprintf("id=\"%s\"", pb->id);
    CHECK(strstr(x, want) != NULL, "chapter 2's XHTML has the heading %s", want);
    free(want);
    free(x);
    mb_free(&m);
}

/* A link names a slug; a heading whose book-wide id equals another
 * heading's slug must not capture the link. */
static void test_slug_before_id(void)
{
    mbook m = {0};
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - a.md\n  - b.md\n");
    mb_add(&m, "a.md", "# A\n\n## Producten\n");
    mb_add(&m, "b.md", "# B\n\n## Producten\n\n## Producten 2\n\n[naar](#producten-2)\n");
    book *b = mb_load(&m);
    CHECK(m.d.errors == 0, "slug/id book loads");
    anno *p = nth_anno(b, 1, CMARK_NODE_HEADING, 1);   /* id producten-2 (book-wide) */
    anno *p2 = nth_anno(b, 1, CMARK_NODE_HEADING, 2);  /* slug producten-2 */
    anno *l = nth_anno(b, 1, CMARK_NODE_LINK, 0);
    CHECK(p && p2 && l, "annotations present");
    if (p && p2 && l) {
        CHECK_STR(p2->slug, "producten-2", "slug of 'Producten 2'");
        CHECK(l->target_id && !strcmp(l->target_id, p2->id),
              "'#producten-2' goes to the heading 'Producten 2' (%s), not to the second 'Producten' (%s): got %s",
              p2->id, p->id, l->target_id ? l->target_id : "(null)");
    }
    mb_free(&m);
}

/* ---- link errors ------------------------------------------------------ */

static void test_link_errors(void)
{
    mbook m = {0};
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - 01-a.md\n  - sub/02-b.md\n");
    mb_add(&m, "01-a.md",
           "# A\n"
           "\n"
           "Eerst [weg](ontbreekt.md) en\n"
           "dan   [anker](sub/02-b.md#bestaat-niet).\n"
           "\n"
           "- lijst met [notities](notes.txt)\n"
           "\n"
           "[boven](../buiten.md) [js](javascript:alert(1)) [ok](https://example.org)\n");
    mb_add(&m, "sub/02-b.md", "# B\n\n[terug](../01-a.md#a) [zelf](#b) [mis](#nee)\n");
    mb_add(&m, "notes.txt", "geen hoofdstuk\n");
    book *b = mb_load(&m);
    expect_error_at(&m.d, "no such file 'ontbreekt.md'", "01-a.md", 3, 7, "link to a missing file");
    expect_error_at(&m.d, "no heading with the anchor '#bestaat-niet'", "01-a.md", 4, 7,
                    "link to a missing anchor");
    expect_error_at(&m.d, "'notes.txt' is not a chapter", "01-a.md", 6, 13,
                    "link to a file of the book that is not a chapter");
    expect_error_at(&m.d, "link '../buiten.md'", "01-a.md", 8, 1, "link that leaves the book folder");
    expect_error_at(&m.d, "'#nee'", "sub/02-b.md", 3, 34, "missing anchor in the same chapter");
    CHECK(m.d.errors == 5, "exactly 5 link errors (got %d)", m.d.errors);
    if (m.d.errors != 5)
        dump_diag(&m.d);
    CHECK(find_diag(&m.d, DIAG_WARNING, "javascript") != NULL, "a javascript: link is dropped with a warning");
    anno *js = nth_anno(b, 0, CMARK_NODE_LINK, 4);
    CHECK(js && !js->href && js->target_chapter < 0, "the javascript: link has no target");
    anno *ext = nth_anno(b, 0, CMARK_NODE_LINK, 5);
    CHECK(ext && ext->href && !strcmp(ext->href, "https://example.org"), "an https link keeps its href");
    anno *back = nth_anno(b, 1, CMARK_NODE_LINK, 0);
    CHECK(back && back->target_chapter == 0 && back->target_id, "'../01-a.md#a' from sub/ resolves to chapter 1");
    mb_free(&m);
}

/* ---- metadata errors -------------------------------------------------- */

typedef struct yaml_case {
    const char *what;
    const char *yaml;
    const char *needle;
    int line, col; /* col 0: any */
} yaml_case;

static void test_meta_errors(void)
{
    static const yaml_case cases[] = {
        {"missing required key", "name: t\ntitle: T\nauthor: A\nlang: nl\ndate: 2024\n",
         "missing required key 'publisher'", 1, 0},
        {"unknown key with a hint", YAML_HEAD "titel: X\n", "unknown key 'titel' (did you mean 'title'?)", 7, 1},
        {"unknown key, no hint close by", YAML_HEAD "kleurenschema: x\n", "unknown key 'kleurenschema'", 7, 1},
        {"unknown chapter key with a hint", YAML_HEAD "chapters:\n  - file: a.md\n    lable: \"1\"\n",
         "unknown key 'lable' (did you mean 'label'?)", 9, 5},
        {"invalid YAML", YAML_HEAD "chapters:\n  - a.md\n - b.md\n", "invalid YAML", 9, 0},
        {"invalid YAML (unclosed quote)", "name: t\ntitle: \"Open\nauthor: A\n", "invalid YAML", 0, 0},
        {"title is a list", "name: t\ntitle: [a, b]\nauthor: A\npublisher: P\nlang: nl\ndate: 2024\n",
         "'title' must be a text value", 2, 8},
        {"chapters is not a list", YAML_HEAD "chapters: a.md\n", "'chapters' must be a list", 7, 11},
        {"theme is not a number", YAML_HEAD "chapters:\n  - file: a.md\n    theme: rood\n",
         "'theme' must be a number", 9, 12},
        {"author is a map", "name: t\ntitle: T\nauthor:\n  naam: A\npublisher: P\nlang: nl\ndate: 2024\n",
         "'author' must be a text value", 4, 3},
        {"empty title", "name: t\ntitle: \"  \"\nauthor: A\npublisher: P\nlang: nl\ndate: 2024\n",
         "'title' is empty", 2, 8},
        {"key given twice", YAML_HEAD "title: Nog eens\n", "key 'title' is given twice", 7, 1},
        {"chapter listed twice", YAML_HEAD "chapters:\n  - a.md\n  - b.md\n  - a.md\n",
         "chapter 'a.md' is listed twice (first on line 8)", 10, 5},
        {"chapter listed twice, spelled differently", YAML_HEAD "chapters:\n  - a.md\n  - b.md\n  - ./sub/../a.md\n",
         "chapter './sub/../a.md' is listed twice (first on line 8, as 'a.md')", 10, 5},
        {"missing chapter file", YAML_HEAD "chapters:\n  - a.md\n  - weg.md\n", "chapter 'weg.md': no such file", 9, 5},
        {"bad lang", "name: t\ntitle: T\nauthor: A\npublisher: P\nlang: Nederlands\ndate: 2024\n",
         "'lang' must be a language tag", 5, 7},
        {"bad lang (underscore)", "name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl_NL\ndate: 2024\n",
         "'lang' must be a language tag", 5, 7},
        {"bad date (no 30 February)", "name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2024-02-30\n",
         "'date' must be YYYY-MM-DD", 6, 7},
        {"bad date (words)", "name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 1 januari 2024\n",
         "'date' must be YYYY-MM-DD", 6, 7},
        {"bad date (29 February 2023)", "name: t\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2023-02-29\n",
         "'date' must be YYYY-MM-DD", 6, 7},
        {"bad name (slash)", "name: ../boek\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2024\n",
         "'name' is the output file name", 1, 7},
        {"bad name (space)", "name: mijn boek\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2024\n",
         "'name' is the output file name", 1, 7},
        {"not a map", "- a\n- b\n", "book.yaml must be a map", 1, 1},
        {"empty file", "", "the file is empty", 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const yaml_case *c = &cases[i];
        mbook m = {0};
        mb_add(&m, "book.yaml", c->yaml);
        mb_add(&m, "a.md", "# A\n");
        mb_add(&m, "b.md", "# B\n");
        mb_load(&m);
        const diag_entry *e = find_diag(&m.d, DIAG_ERROR, c->needle);
        CHECK(e != NULL, "book.yaml %s: error \"%s\"", c->what, c->needle);
        if (!e) {
            dump_diag(&m.d);
        } else if (c->line > 0) {
            CHECK(e->file && !strcmp(e->file, "book.yaml") && e->line == c->line && (!c->col || e->col == c->col),
                  "book.yaml %s: at book.yaml:%d:%d (got %s:%d:%d)", c->what, c->line, c->col,
                  e->file ? e->file : "(none)", e->line, e->col);
        } else {
            CHECK(e->file && !strcmp(e->file, "book.yaml") && e->line > 0,
                  "book.yaml %s: at a line of book.yaml (got %s:%d:%d)", c->what,
                  e->file ? e->file : "(none)", e->line, e->col);
        }
        mb_free(&m);
    }

    /* well-formed metadata: every field read */
    mbook m = {0};
    mb_add(&m, "book.yaml",
           YAML_HEAD "subtitle: Onder\nidentifier: urn:isbn:9789012345678\n"
                     "chapters:\n  - a.md\n  - file: b.md\n    label: \"2\"\n    theme: 3\n");
    mb_add(&m, "a.md", "# A\n");
    mb_add(&m, "b.md", "# B\n");
    book *b = mb_load(&m);
    CHECK(m.d.errors == 0 && m.d.warnings == 0, "valid book.yaml: no diagnostics");
    CHECK_STR(b->meta.subtitle, "Onder", "subtitle");
    CHECK_STR(b->uuid, "urn:isbn:9789012345678", "an identifier given is used");
    CHECK(b->nch == 2 && b->ch[1].theme == 3 && b->ch[1].label && !strcmp(b->ch[1].label, "2"),
          "chapter label and theme");
    CHECK_STR(b->ch[1].title, "2 B", "a labelled chapter's title starts with its label");
    CHECK(b->date_epoch == 1704067200LL, "date 2024-01-01 is epoch 1704067200 (got %lld)", b->date_epoch);
    mb_free(&m);

    /* an author list */
    mb_add(&m, "book.yaml",
           "name: t\ntitle: T\nauthor:\n  - Een\n  - Twee\npublisher: P\nlang: en-GB\ndate: 2024-06\n");
    mb_add(&m, "a.md", "# A\n");
    b = mb_load(&m);
    CHECK(m.d.errors == 0 && b->meta.nauthors == 2 && !strcmp(b->meta.authors[1], "Twee"),
          "author as a list; lang en-GB; date YYYY-MM");
    CHECK(b->nch == 1, "without 'chapters' every *.md is a chapter");
    CHECK(b->uuid && !strncmp(b->uuid, "urn:uuid:", 9) && strlen(b->uuid) == 45,
          "without an identifier a urn:uuid is derived (%s)", b->uuid ? b->uuid : "(null)");
    char *u1 = xstrdup(b->uuid ? b->uuid : "");
    mb_free(&m);
    mb_add(&m, "book.yaml",
           "name: t\ntitle: T\nauthor:\n  - Een\n  - Twee\npublisher: P\nlang: en-GB\ndate: 2024-06\n");
    mb_add(&m, "a.md", "# A, anders\n");
    b = mb_load(&m);
    CHECK_STR(b->uuid, u1, "the derived uuid is stable (same metadata, same uuid)");
    mb_free(&m);
    free(u1);

    CHECK(meta_lang_ok("nl") && meta_lang_ok("nl-NL") && meta_lang_ok("zh-Hant-TW") && !meta_lang_ok("n") &&
              !meta_lang_ok("nl-") && !meta_lang_ok("") && !meta_lang_ok("nl NL"),
          "meta_lang_ok");
    long long t = 0;
    CHECK(meta_date_ok("2024-02-29", &t) && t == 1709164800LL && meta_date_ok("2024", NULL) &&
              !meta_date_ok("2024-13", NULL) && !meta_date_ok("2024-1-1", NULL) &&
              !meta_date_ok("24-01-01", NULL) && !meta_date_ok("2024-01-01T00:00", NULL) &&
              !meta_date_ok("1900-02-29", NULL),
          "meta_date_ok");
}

/* ---- filesystem: folders, escapes, symlinks --------------------------- */

static void test_filesystem(void)
{
    char *dir = make_book_dir("fs");
    char *outside = xasprintf("%s/buiten.md", tmproot);
    write_path(outside, "# Buiten\n", 9);
    char *outimg = xasprintf("%s/x.png", tmproot);
    write_path(outimg, "not a png", 9);
    char *sub = xasprintf("%s/map.md", dir);
    mkdir(sub, 0755); /* a chapter that is a folder */
    char *deep = xasprintf("%s/sub", dir);
    mkdir(deep, 0755);
    char *lnk = xasprintf("%s/link.md", dir);
    if (symlink(outside, lnk) != 0)
        printf("# symlink: %s\n", strerror(errno));
    char *lnkimg = xasprintf("%s/plaatje.png", dir);
    if (symlink(outimg, lnkimg) != 0)
        printf("# symlink: %s\n", strerror(errno));
    /* a symlink inside the book that stays inside is fine */
    char *inlink = xasprintf("%s/alias.md", dir);
    write_in(dir, "b.md", "# B\n");
    if (symlink("b.md", inlink) != 0)
        printf("# symlink: %s\n", strerror(errno));
    write_in(dir, "book.yaml",
             YAML_HEAD "chapters:\n"
                       "  - a.md\n"           /* line 8 */
                       "  - ../buiten.md\n"   /* line 9 */
                       "  - /etc/passwd\n"    /* line 10 */
                       "  - map.md\n"         /* line 11 */
                       "  - link.md\n"        /* line 12 */
                       "  - sub/c.md\n"       /* line 13 */
                       "  - alias.md\n"       /* line 14 */
                       "  - 'C:/x.md'\n"      /* line 15 */
                       "  - 'sub\\c.md'\n");  /* line 16 */
    write_in(dir, "a.md",
             "# A\n\n![uit](../../x.png)\n\n![link](plaatje.png)\n\n![abs](/etc/hosts)\n\n"
             "![weg](nergens.png)\n\n![web](https://example.org/x.png)\n");
    write_in(dir, "sub/c.md", "# C\n\n![omhoog](../../x.png)\n");
    diag d = {0};
    book *b = book_load(dir, &d);
    char *yaml = xasprintf("%s/book.yaml", dir);
    char *a = xasprintf("%s/a.md", dir);
    char *c = xasprintf("%s/sub/c.md", dir);
    expect_error_at(&d, "chapter '../buiten.md': the path leads outside the book folder", yaml, 9, 5,
                    "chapter ../buiten.md");
    expect_error_at(&d, "chapter '/etc/passwd': absolute paths are not allowed", yaml, 10, 5,
                    "chapter /etc/passwd");
    expect_error_at(&d, "chapter 'map.md': it is a folder", yaml, 11, 5, "a chapter that is a folder");
    expect_error_at(&d, "chapter 'link.md': the path leads outside the book folder (through a symbolic link)",
                    yaml, 12, 5, "a symlink chapter pointing outside");
    expect_error_at(&d, "chapter 'C:/x.md'", yaml, 15, 5, "a drive letter path");
    expect_error_at(&d, "backslashes are not allowed", yaml, 16, 5, "a backslash path");
    expect_error_at(&d, "image '../../x.png': the path leads outside", a, 3, 1, "image ../../x.png");
    expect_error_at(&d, "image 'plaatje.png': the path leads outside the book folder (through a symbolic link)",
                    a, 5, 1, "a symlink image pointing outside");
    expect_error_at(&d, "image '/etc/hosts': absolute paths", a, 7, 1, "image /etc/hosts");
    expect_error_at(&d, "image 'nergens.png': no such file", a, 9, 1, "a missing image");
    expect_error_at(&d, "image 'https://example.org/x.png': only images inside", a, 11, 1, "a remote image");
    expect_error_at(&d, "image '../../x.png'", c, 3, 1, "image ../../x.png from sub/ (one level out)");
    CHECK(d.errors == 12, "exactly 12 errors (got %d)", d.errors);
    if (d.errors != 12)
        dump_diag(&d);
    int alias_ok = 0;
    for (int i = 0; i < b->nch; i++)
        if (b->ch[i].src && !strcmp(b->ch[i].src, "alias.md") && b->ch[i].doc)
            alias_ok = 1;
    CHECK(alias_ok, "a symlink that stays inside the book is a valid chapter");
    CHECK(b->resources == NULL, "no image outside the book was read");
    book_free(b);
    diag_free(&d);
    free(yaml);
    free(a);
    free(c);

    /* a book folder that does not exist, and one without book.yaml */
    char *none = xasprintf("%s/bestaat-niet", tmproot);
    b = book_load(none, &d);
    CHECK(d.errors == 1 && d.v[0].file && !strcmp(d.v[0].file, none), "a missing book folder is one error");
    book_free(b);
    diag_free(&d);
    char *empty = make_book_dir("leeg");
    b = book_load(empty, &d);
    CHECK(diag_has(&d, "no book.yaml"), "a folder without book.yaml: clear error");
    book_free(b);
    diag_free(&d);

    free(none);
    free(empty);
    free(inlink);
    free(lnk);
    free(lnkimg);
    free(deep);
    free(sub);
    free(outside);
    free(outimg);
    free(dir);
}

/* ---- path module ------------------------------------------------------ */

static void join_is(const char *base, const char *rel, const char *want)
{
    const char *why = NULL;
    char *got = path_join_inside(base, rel, &why);
    char what[300];
    snprintf(what, sizeof what, "path_join_inside(\"%s\", \"%s\")", base, rel);
    if (want) {
        CHECK_STR(got, want, what);
    } else {
        CHECK(got == NULL && why != NULL, "%s refused (%s)", what, why ? why : "no reason");
    }
    free(got);
}

static void test_paths(void)
{
    join_is("", "a.md", "a.md");
    join_is("", "./a/./b/../c.md", "a/c.md");
    join_is("sub", "../a.md", "a.md");
    join_is("sub/deep", "../../a.md", "a.md");
    join_is("", "a//b.md", "a/b.md");
    join_is("", "../a.md", NULL);
    join_is("sub", "../../a.md", NULL);
    join_is("", "a/../../a.md", NULL);
    join_is("", "/etc/passwd", NULL);
    join_is("", "C:/x", NULL);
    join_is("", "a\\b", NULL);
    join_is("", "", NULL);
    join_is("", ".", NULL);
    join_is("sub", "..", NULL);
    char *u = path_unescape("a%20b%2Fc");
    CHECK_STR(u, "a b/c", "path_unescape");
    free(u);
    CHECK(path_unescape("a%00b") == NULL, "path_unescape refuses %%00");
    u = path_unescape("100%");
    CHECK_STR(u, "100%", "path_unescape keeps a lone %");
    free(u);
}

/* ---- text encoding ---------------------------------------------------- */

static void test_encoding(void)
{
    mbook m = {0};
    /* byte 0xFF at offset 24: line 4, column 8 */
    static const char bad[] = "# Titel\n\nregel 2\nZeven: \xFF en meer\n";
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - a.md\n");
    mb_add(&m, "a.md", bad);
    mb_load(&m);
    const diag_entry *e = find_diag(&m.d, DIAG_ERROR, "not valid UTF-8");
    CHECK(e != NULL, "a non-UTF-8 chapter is an error");
    if (e) {
        CHECK(strstr(e->msg, "byte offset 24") != NULL, "the message gives the byte offset 24 (%s)", e->msg);
        CHECK(strstr(e->msg, "0xFF") != NULL, "the message names the byte 0xFF");
        CHECK(e->file && !strcmp(e->file, "a.md") && e->line == 4 && e->col == 8,
              "reported at a.md:4:8 (got %s:%d:%d)", e->file ? e->file : "", e->line, e->col);
    }
    mb_free(&m);

    /* a truncated multibyte sequence after accented text: column counts characters */
    static const char trunc[] = "ééé\xC3";
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - a.md\n");
    mb_add(&m, "a.md", trunc);
    mb_load(&m);
    e = find_diag(&m.d, DIAG_ERROR, "not valid UTF-8");
    CHECK(e && strstr(e->msg, "byte offset 6") && e->line == 1 && e->col == 4,
          "truncated UTF-8 at byte offset 6 is a.md:1:4 (got %d:%d %s)", e ? e->line : 0, e ? e->col : 0,
          e ? e->msg : "");
    mb_free(&m);

    /* an overlong encoding and a surrogate are invalid too */
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - a.md\n  - b.md\n");
    mb_add(&m, "a.md", "# A\n\xC0\xAF\n");
    mb_add(&m, "b.md", "# B\n\xED\xA0\x80\n");
    mb_load(&m);
    CHECK(m.d.errors == 2 && diag_has(&m.d, "byte offset 4"), "overlong and surrogate sequences are errors");
    mb_free(&m);

    /* NUL byte */
    static const char nul[] = "# Titel\n\nab\0cd\n";
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - a.md\n");
    mb_add_len(&m, "a.md", nul, sizeof nul - 1);
    mb_load(&m);
    e = find_diag(&m.d, DIAG_ERROR, "NUL byte");
    CHECK(e != NULL, "a NUL byte is an error");
    if (e) {
        CHECK(strstr(e->msg, "byte offset 11") != NULL, "the NUL message gives the byte offset 11 (%s)", e->msg);
        CHECK(e->line == 3 && e->col == 3, "NUL reported at a.md:3:3 (got %d:%d)", e->line, e->col);
    }
    mb_free(&m);

    /* NUL or bad UTF-8 in book.yaml */
    static const char ynul[] = "name: t\0x\n";
    mb_add_len(&m, "book.yaml", ynul, sizeof ynul - 1);
    mb_load(&m);
    CHECK(m.d.errors >= 1 && diag_has(&m.d, "not UTF-8"), "a NUL in book.yaml is an error");
    mb_free(&m);

    /* BOM and CRLF are accepted */
    mb_add(&m, "book.yaml", "\xEF\xBB\xBF" "name: t\r\ntitle: T\r\nauthor: A\r\npublisher: P\r\nlang: nl\r\n"
                            "date: 2024\r\nchapters:\r\n  - a.md\r\n");
    mb_add(&m, "a.md", "\xEF\xBB\xBF# Titel met BOM\r\n\r\nEen regel\r\nen nog een.\r\n\r\n## Tweede kop\r\n\r\n"
                       "```\r\ncode\r\n  regel\r\n```\r\n\r\nHard  \r\nafgebroken.\r\n");
    book *b = mb_load(&m);
    CHECK(m.d.errors == 0 && m.d.warnings == 0, "BOM and CRLF: no diagnostics (%d errors)", m.d.errors);
    if (m.d.errors)
        dump_diag(&m.d);
    if (b->nch == 1 && b->ch[0].doc) {
        CHECK_STR(b->ch[0].title, "Titel met BOM", "the BOM is not part of the title");
        anno *h2 = nth_anno(b, 0, CMARK_NODE_HEADING, 1);
        CHECK(h2 && !strcmp(h2->text, "Tweede kop") && !strcmp(h2->slug, "tweede-kop"),
              "CRLF: heading text and slug without \\r");
        CHECK(nth_node(b, 0, CMARK_NODE_PARAGRAPH, 0) != NULL, "CRLF: the paragraph is parsed");
        xmlDocPtr doc = xhtml_chapter(b, 0, NULL);
        size_t len;
        char *x = xhtml_serialize(doc, &len);
        xmlFreeDoc(doc);
        CHECK(!strstr(x, "\r") && !strstr(x, "&#13;") && !strstr(x, "\xEF\xBB\xBF"),
              "the XHTML has no CR and no BOM");
        free(x);
    }
    mb_free(&m);
}

/* ---- raw HTML cleaning ------------------------------------------------ */

static const char *const phrasing[] = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn",
                                       "em", "i", "ins", "kbd", "mark", "q", "s", "samp", "small",
                                       "span", "strong", "sub", "sup", "time", "u", "var", "h1",
                                       "h2", "h3", "h4", "h5", "h6", "p", "dt", "summary", NULL};
static const char *const blocks[] = {"div", "p", "ul", "ol", "li", "dl", "dd", "dt", "blockquote",
                                     "section", "aside", "figure", "figcaption", "table", "pre",
                                     "hr", "h1", "h2", "h3", "h4", "h5", "h6", "address", "article",
                                     "header", "footer", "details", "nav", NULL};

static int in_list(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (!strcmp(*l, s))
            return 1;
    return 0;
}

typedef struct html_facts {
    int elements;
    int script, handler, js_href, bad_nesting, no_ns;
    char first_bad[200];
    int em_tekst;      /* <em>tekst</em> inside a <p> */
    int sub, sup, kbd;
    int root_lang, root_xml_lang;
    char title[200];
    buf text;
} html_facts;

static int url_is_js(const char *v)
{
    /* browsers ignore leading spaces/controls and tabs/newlines inside */
    char s[32];
    size_t k = 0;
    for (const char *p = v; *p && k + 1 < sizeof s; p++)
        if ((unsigned char)*p > 0x20)
            s[k++] = *p;
    s[k] = 0;
    return !strncasecmp(s, "javascript:", 11) || !strncasecmp(s, "vbscript:", 9) ||
           !strncasecmp(s, "data:", 5);
}

static int has_ancestor(xmlNodePtr n, const char *const *names)
{
    for (xmlNodePtr p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
        if (in_list(names, (const char *)p->name))
            return 1;
    return 0;
}

static xmlNodePtr first_el(xmlNodePtr n)
{
    for (; n && n->type != XML_ELEMENT_NODE; n = n->next)
        ;
    return n;
}

static xmlNodePtr next_el(xmlNodePtr n)
{
    return n ? first_el(n->next) : NULL;
}

static int el_is(xmlNodePtr n, const char *name)
{
    return n && !strcmp((const char *)n->name, name);
}

static void bad_model(html_facts *f, xmlNodePtr n, const char *why)
{
    f->bad_nesting++;
    if (!f->first_bad[0])
        snprintf(f->first_bad, sizeof f->first_bad, "<%s> %s (line %d)", n->name, why, (int)xmlGetLineNo(n));
}

/* The content-model rules of HTML that EPUBCheck enforces and that raw HTML
 * can break, beyond "no block in phrasing" and "only li in lists". */
static void check_content_model(xmlNodePtr n, html_facts *f)
{
    const char *name = (const char *)n->name;
    static const char *const dfn[] = {"dfn", NULL}, *const addr[] = {"address", NULL},
                             *const hf[] = {"header", "footer", "address", NULL},
                             *const aa[] = {"a", NULL}, *const cap[] = {"caption", NULL};
    if (!strcmp(name, "dfn") && has_ancestor(n, dfn))
        bad_model(f, n, "inside <dfn>");
    if (!strcmp(name, "a") && has_ancestor(n, aa))
        bad_model(f, n, "inside <a>");
    if (!strcmp(name, "address") && has_ancestor(n, addr))
        bad_model(f, n, "inside <address>");
    if ((!strcmp(name, "header") || !strcmp(name, "footer")) && has_ancestor(n, hf))
        bad_model(f, n, "inside <header>, <footer> or <address>");
    if (!strcmp(name, "table") && has_ancestor(n, cap))
        bad_model(f, n, "inside <caption>");
    if (!strcmp(name, "bdo")) {
        xmlChar *d = xmlGetProp(n, BAD_CAST "dir");
        if (!d || (strcmp((const char *)d, "ltr") && strcmp((const char *)d, "rtl")))
            bad_model(f, n, "without dir=ltr|rtl");
        xmlFree(d);
    }
    if (!strcmp(name, "details") && !el_is(first_el(n->children), "summary"))
        bad_model(f, n, "without a <summary> first");
    if (!strcmp(name, "summary") && (!el_is(n->parent, "details") || first_el(n->parent->children) != n))
        bad_model(f, n, "not first in <details>");
    if (!strcmp(name, "figcaption") &&
        (!el_is(n->parent, "figure") || (first_el(n->parent->children) != n && next_el(n))))
        bad_model(f, n, "not first or last in <figure>");
    if (!strcmp(name, "dl")) {
        xmlNodePtr c = first_el(n->children), last = c;
        for (xmlNodePtr k = c; k; k = next_el(k))
            last = k;
        if (!el_is(c, "dt") || !el_is(last, "dd"))
            bad_model(f, n, "not made of dt+ dd+ groups");
    }
    if (!strcmp(name, "table")) {
        /* caption? thead? (tbody* | tr*) tfoot? */
        int stage = 0, tbody = 0, tr = 0;
        for (xmlNodePtr c = first_el(n->children); c; c = next_el(c)) {
            int st = el_is(c, "caption") ? 1 : el_is(c, "thead") ? 2
                   : (el_is(c, "tbody") || el_is(c, "tr")) ? 3 : el_is(c, "tfoot") ? 4 : 9;
            tbody |= el_is(c, "tbody");
            tr |= el_is(c, "tr");
            if (st == 9 || st < stage || (st == stage && st != 3))
                bad_model(f, c, "out of place in <table>");
            stage = st;
        }
        if (tbody && tr)
            bad_model(f, n, "mixes <tbody> and <tr>");
    }
}

static void walk_html(xmlNodePtr n, html_facts *f, int phr_depth, const char *phr_name)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                buf_puts(&f->text, (const char *)n->content);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        f->elements++;
        if (!n->ns || strcmp((const char *)n->ns->href, "http://www.w3.org/1999/xhtml"))
            f->no_ns++;
        if (!strcasecmp(name, "script") || !strcasecmp(name, "style") || !strcasecmp(name, "iframe") ||
            !strcasecmp(name, "object") || !strcasecmp(name, "embed") || !strcasecmp(name, "svg"))
            f->script++;
        if (!strcmp(name, "title") && n->children && n->children->content)
            snprintf(f->title, sizeof f->title, "%s", (const char *)n->children->content);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
            if (!strncasecmp((const char *)a->name, "on", 2))
                f->handler++;
            if ((!strcmp((const char *)a->name, "href") || !strcmp((const char *)a->name, "src")) && v &&
                url_is_js((const char *)v))
                f->js_href++;
            if (v)
                xmlFree(v);
        }
        if (phr_depth && in_list(blocks, name)) {
            f->bad_nesting++;
            if (!f->first_bad[0])
                snprintf(f->first_bad, sizeof f->first_bad, "<%s> inside <%s> (line %d)", name, phr_name,
                         (int)xmlGetLineNo(n));
        }
        /* ul/ol may only hold li */
        if ((!strcmp(name, "ul") || !strcmp(name, "ol")))
            for (xmlNodePtr c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "li")) {
                    f->bad_nesting++;
                    if (!f->first_bad[0])
                        snprintf(f->first_bad, sizeof f->first_bad, "<%s> in <%s>", c->name, name);
                }
        check_content_model(n, f);
        if (!strcmp(name, "em") && n->parent && !strcmp((const char *)n->parent->name, "p") && n->children &&
            n->children->content && !strcmp((const char *)n->children->content, "tekst"))
            f->em_tekst++;
        if (!strcmp(name, "sub"))
            f->sub++;
        if (!strcmp(name, "sup"))
            f->sup++;
        if (!strcmp(name, "kbd"))
            f->kbd++;
        int ph = in_list(phrasing, name);
        walk_html(n->children, f, phr_depth + ph, ph ? name : phr_name);
    }
}

/* Serialises chapter ci, parses it back strictly and collects facts. Returns
 * 0 if the output is well-formed XML. */
static int chapter_facts(const book *b, int ci, html_facts *f)
{
    memset(f, 0, sizeof *f);
    xmlDocPtr doc = xhtml_chapter(b, ci, NULL);
    size_t len;
    char *x = xhtml_serialize(doc, &len);
    xmlFreeDoc(doc);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr back = xmlCtxtReadMemory(ctxt, x, (int)len, "chapter.xhtml", "UTF-8",
                                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int wf = back && ctxt->wellFormed && ctxt->nsWellFormed;
    xmlFreeParserCtxt(ctxt);
    free(x);
    if (!back)
        return -1;
    xmlNodePtr root = xmlDocGetRootElement(back);
    if (root) {
        xmlChar *l = xmlGetProp(root, BAD_CAST "lang");
        xmlChar *xl = xmlGetNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE);
        f->root_lang = l && !strcmp((const char *)l, b->meta.lang);
        f->root_xml_lang = xl && !strcmp((const char *)xl, b->meta.lang);
        xmlFree(l);
        xmlFree(xl);
        walk_html(root, f, 0, "");
    }
    xmlFreeDoc(back);
    return wf ? 0 : -1;
}

static void test_raw_html(void)
{
    mbook m = {0};
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - h.md\n");
    mb_add(&m, "h.md",
           "# Ruwe HTML\n"
           "\n"
           "<script>alert(1)</script>\n"
           "\n"
           "<p onclick=\"x()\">klik</p>\n"
           "\n"
           "<div><p>Veilige <em>tekst</em></p></div>\n"
           "\n"
           "Een <a href=\"javascript:alert(1)\">link</a>, <a href=\" JaVaScRiPt:alert(2)\">twee</a> en\n"
           "<a href=\"https://example.org\" onmouseover=\"alert(3)\">goed</a>.\n"
           "\n"
           "Water is H<sub>2</sub>O, 20 m<sup>2</sup>, <kbd>Ctrl</kbd>+<kbd>S</kbd>.\n"
           "\n"
           "Open <em>maar niet <strong>gesloten\n"
           "\n"
           "Verkeerd <em>genest <strong>door</em> elkaar</strong> en </i>los.\n"
           "\n"
           "<div><span>in span <p>een alinea</p> <div>een blok</div> <ul><li>lijst</li></ul></span></div>\n"
           "\n"
           "Inline <span><div><p>blok in span</p></div></span> tekst.\n"
           "\n"
           "<img src=x onerror=\"alert(4)\">\n"
           "\n"
           "<div style=\"color:red\" onmouseover=\"alert(5)\" ONCLICK=\"alert(6)\">z</div>\n"
           "\n"
           "<iframe src=\"javascript:alert(7)\"></iframe>\n"
           "\n"
           "<div><a href=\"jav&#x09;ascript:alert(8)\">entity</a> <a href=\"data:text/html,x\">data</a></div>\n"
           "\n"
           "<script>\n"
           "alert(9)\n"
           "</script>\n"
           "\n"
           "Inline <script>alert(10)</script> tekst <style>p{}</style> ook.\n"
           "\n"
           "<svg onload=\"alert(11)\"><circle/></svg>\n"
           "\n"
           "<ul><p>los in lijst</p><li>goed</li>tekst</ul>\n"
           "\n"
           "<table><tr><td><div>cel</div></td></tr><p>fout</p></table>\n"
           "\n"
           "<p>een <a href=\"https://a.example\">link <a href=\"https://b.example\">in link</a></a></p>\n"
           "\n"
           "- item met <em>open\n"
           "- tweede\n"
           "\n"
           "> citaat met <strong>open\n"
           "\n"
           "[Markdown-link met <em>open](https://example.org) en verder.\n");
    book *b = mb_load(&m);
    CHECK(m.d.errors == 0, "raw HTML is never an error (%d)", m.d.errors);
    if (m.d.errors)
        dump_diag(&m.d);
    CHECK(find_diag(&m.d, DIAG_WARNING, "script") != NULL, "a warning about <script>");
    CHECK(find_diag(&m.d, DIAG_WARNING, "event handler") != NULL, "a warning about event handlers");
    CHECK(find_diag(&m.d, DIAG_WARNING, "javascript:") != NULL, "a warning about javascript: links");
    if (b->nch != 1 || !b->ch[0].doc) {
        mb_free(&m);
        return;
    }
    html_facts f;
    int wf = chapter_facts(b, 0, &f);
    CHECK(wf == 0, "the chapter XHTML is well-formed XML (libxml2 strict parser)");
    CHECK(f.script == 0, "no <script>, <style>, <iframe> or <svg> element (%d)", f.script);
    CHECK(f.handler == 0, "no attribute starting with 'on' (%d)", f.handler);
    CHECK(f.js_href == 0, "no href/src with javascript:, vbscript: or data: (%d)", f.js_href);
    CHECK(!strstr(f.text.data ? f.text.data : "", "alert("), "no script text left in the output");
    CHECK(f.em_tekst == 1, "the safe <em>tekst</em> inside the HTML block's <p> survives (%d)", f.em_tekst);
    CHECK(f.sub == 1 && f.sup == 1 && f.kbd == 2, "inline <sub>, <sup> and two <kbd> survive (%d, %d, %d)",
          f.sub, f.sup, f.kbd);
    CHECK(f.bad_nesting == 0, "no block inside a phrasing element, only li in lists (%d; first: %s)",
          f.bad_nesting, f.first_bad);
    CHECK(f.no_ns == 0, "every element is in the XHTML namespace (%d not)", f.no_ns);
    CHECK(f.root_lang && f.root_xml_lang, "the root has lang and xml:lang");
    CHECK(!strcmp(f.title, "Ruwe HTML"), "the <title> is the chapter heading (\"%s\")", f.title);
    const char *t = f.text.data ? f.text.data : "";
    CHECK(strstr(t, "klik") && strstr(t, "link") && strstr(t, "goed") && strstr(t, "gesloten") &&
              strstr(t, "een alinea") && strstr(t, "blok in span") && strstr(t, "entity") &&
              strstr(t, "los in lijst") && strstr(t, "cel") && strstr(t, "in link") &&
              strstr(t, "verder"),
          "the text of removed tags is kept");
    CHECK(strstr(t, "Veilige") != NULL, "the text of the safe block is kept");
    buf_free(&f.text);
    mb_free(&m);

    /* HTML whose content model is broken in every way a validator notices:
     * the output must follow the rules and keep the text */
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - t.md\n");
    mb_add(&m, "t.md",
           "# Model\n\n"
           "<details><summary>Samenvatting</summary>uitklap</details>\n\n"
           "<details>zonder summary</details>\n\n"
           "<figure><figcaption>Bijschrift</figcaption><p>inhoud</p></figure>\n\n"
           "<figure><p>inhoud</p><figcaption>onder</figcaption><p>meer</p></figure>\n\n"
           "<table><tr><td>cel1</td></tr><caption>laat</caption></table>\n\n"
           "<table><tbody><tr><td>cel2</td></tr></tbody><tr><td>cel3</td></tr></table>\n\n"
           "<table><tfoot><tr><td>voet</td></tr></tfoot><tbody><tr><td>cel4</td></tr></tbody>"
           "<thead><tr><th>kop</th></tr></thead><thead><tr><th>kop2</th></tr></thead></table>\n\n"
           "<table><caption>c1</caption><caption>c2</caption><tr><td>cel5</td></tr></table>\n\n"
           "<dl><dd>eerst dd</dd><dt>dan dt</dt></dl>\n\n"
           "<dl>losse tekst<dt>t</dt><dd>d</dd></dl>\n\n"
           "<dl><dt>alleen dt</dt></dl>\n\n"
           "<dl><dt>goed</dt><dd>paar</dd></dl>\n\n"
           "<p><bdo>zonder dir</bdo> <bdo dir=\"auto\">auto</bdo> <bdo dir=\"rtl\">rtl</bdo></p>\n\n"
           "<p><dfn>a <dfn>b</dfn></dfn></p>\n\n"
           "<address><address>dubbel adres</address></address>\n\n"
           "<header><footer>voet in kop</footer></header>\n\n"
           "<table><caption><table><tr><td>tabel in caption</td></tr></table></caption><tr><td>x</td></tr></table>\n\n"
           "<table><tr><th><section>sectie in th</section></th></tr></table>\n\n"
           "<summary>losse summary</summary>\n\n"
           "<div><figcaption>los bijschrift</figcaption></div>\n");
    b = mb_load(&m);
    if (b->nch == 1 && b->ch[0].doc) {
        wf = chapter_facts(b, 0, &f);
        const char *tx = f.text.data ? f.text.data : "";
        CHECK(wf == 0, "content-model torture: well-formed");
        CHECK(f.bad_nesting == 0, "content-model torture: details/summary, figure/figcaption, table parts, dl "
              "groups, bdo dir, dfn/address/header/footer nesting all valid (%d; first: %s)",
              f.bad_nesting, f.first_bad);
        static const char *const words[] = {
            "Samenvatting", "uitklap", "zonder summary", "Bijschrift", "onder", "meer", "cel1", "laat",
            "cel2", "cel3", "voet", "cel4", "kop", "kop2", "c1", "cel5", "eerst dd", "dan dt",
            "losse tekst", "alleen dt", "paar", "zonder dir", "auto", "rtl", "dubbel adres",
            "voet in kop", "sectie in th", "losse summary", "los bijschrift", NULL};
        const char *lost = NULL;
        for (int i = 0; words[i]; i++)
            if (!strstr(tx, words[i]) && !lost)
                lost = words[i];
        CHECK(!lost, "content-model torture: the text is kept (lost: %s)", lost ? lost : "nothing");
        buf_free(&f.text);
        xmlDocPtr doc = xhtml_chapter(b, 0, NULL);
        size_t len;
        char *x = xhtml_serialize(doc, &len);
        xmlFreeDoc(doc);
        CHECK(strstr(x, "<details><summary>Samenvatting</summary>uitklap</details>") != NULL,
              "a valid <details> with <summary> is kept as is");
        CHECK(strstr(x, "<dl><dt>goed</dt><dd>paar</dd></dl>") != NULL, "a valid <dl> is kept as is");
        CHECK(strstr(x, "<figure><figcaption>Bijschrift</figcaption>") != NULL,
              "a <figcaption> that opens its <figure> is kept");
        CHECK(strstr(x, "<bdo dir=\"rtl\">rtl</bdo>") != NULL, "<bdo dir=rtl> is kept");
        free(x);
    }
    mb_free(&m);

    /* an inline <script> or <style> that is never closed drops the rest of
     * its paragraph, not the rest of the chapter */
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - s.md\n");
    mb_add(&m, "s.md", "# S\n\nEen <script>alert(1) zonder eind.\n\nVolgende alinea.\n\n"
                       "Stijl <style>p{} zonder eind\n\n## Kop erna\n\nLaatste alinea.\n");
    b = mb_load(&m);
    if (b->nch == 1 && b->ch[0].doc) {
        wf = chapter_facts(b, 0, &f);
        const char *tx = f.text.data ? f.text.data : "";
        CHECK(wf == 0 && !strstr(tx, "alert") && !strstr(tx, "p{}"), "an unclosed inline <script>: its text is dropped");
        CHECK(strstr(tx, "Volgende alinea.") && strstr(tx, "Kop erna") && strstr(tx, "Laatste alinea."),
              "an unclosed inline <script>/<style>: the following paragraphs are kept");
        buf_free(&f.text);
    }
    mb_free(&m);

    /* sanitize_block directly: javascript: links and handlers in depth */
    diag d = {0};
    xmlNodePtr div = sanitize_block("<div><div><div><a href=\"javascript:x\" onclick=\"y\">a</a></div></div></div>",
                                    &d, "f.md", 3);
    CHECK(div != NULL, "sanitize_block keeps the text of a nested link");
    if (div) {
        xmlBufferPtr xb = xmlBufferCreate();
        xmlNodeDump(xb, NULL, div, 0, 0);
        const char *s = (const char *)xmlBufferContent(xb);
        CHECK(!strstr(s, "javascript") && !strstr(s, "onclick") && strstr(s, ">a<"),
              "sanitize_block: %s", s);
        xmlBufferFree(xb);
        xmlFreeNode(div);
    }
    const diag_entry *w = find_diag(&d, DIAG_WARNING, "javascript");
    CHECK(w && w->file && !strcmp(w->file, "f.md") && w->line == 3, "the warning is at f.md:3");
    CHECK(sanitize_block("<script>x</script><!-- c -->", &d, "f.md", 1) == NULL,
          "a block with nothing visible left is NULL");
    diag_free(&d);
    CHECK(sanitize_url_ok("https://x") && sanitize_url_ok("mailto:a@b") && !sanitize_url_ok("javascript:x") &&
              !sanitize_url_ok("JAVASCRIPT:x") && !sanitize_url_ok("data:x") && !sanitize_url_ok("#"),
          "sanitize_url_ok");

    /* deep nesting of raw HTML: bounded, still well-formed. HTML blocks:
     * 100 levels keep their text (the sanitiser flattens past 48); past
     * libxml2's HTML parser depth limit (256) the rest of the block is
     * lost, but the output stays well-formed. Inline tags and Markdown
     * emphasis nest without limit in the source; the output must stay
     * parseable by XML parsers with default limits (depth 256). */
    static const int levels[] = {100, 3000};
    for (int li = 0; li < 2; li++) {
        int lv = levels[li];
        buf deep = {0};
        buf_puts(&deep, "# Diep\n\n<div>");
        for (int i = 0; i < lv; i++)
            buf_puts(&deep, "<span><em>");
        buf_puts(&deep, "kern");
        buf_puts(&deep, "</div>\n\nEn inline: ");
        for (int i = 0; i < lv; i++)
            buf_puts(&deep, "<em>");
        buf_puts(&deep, "diep\n\nMarkdown: ");
        for (int i = 0; i < lv; i++)
            buf_puts(&deep, i % 2 ? "*a " : "_b ");
        buf_puts(&deep, "zeediep");
        for (int i = lv; i-- > 0;)
            buf_puts(&deep, i % 2 ? " a*" : " b_");
        buf_puts(&deep, "\n");
        mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - d.md\n");
        mb_add(&m, "d.md", deep.data);
        b = mb_load(&m);
        if (b->nch == 1 && b->ch[0].doc) {
            wf = chapter_facts(b, 0, &f);
            const char *tx = f.text.data ? f.text.data : "";
            CHECK(wf == 0, "%d nested raw HTML / emphasis levels: well-formed, parseable with default limits", lv);
            CHECK(strstr(tx, "diep") && strstr(tx, "zeediep"), "%d nested inline levels: text kept", lv);
            if (lv <= 100)
                CHECK(strstr(tx, "kern") != NULL, "%d nested raw HTML block levels: text kept", lv);
            buf_free(&f.text);
        } else {
            CHECK(0, "the deep chapter loads");
        }
        mb_free(&m);
        buf_free(&deep);
    }
}

/* ---- whitespace: the serialised XHTML adds none where it shows --------- */

static xmlNodePtr find_el(xmlNodePtr n, const char *name, int nth)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)n->name, name) && nth-- == 0)
            return n;
        xmlNodePtr r = find_el(n->children, name, nth);
        if (r)
            return r;
    }
    return NULL;
}

static void content_is(xmlDocPtr doc, const char *el, int nth, const char *want, const char *what)
{
    xmlNodePtr n = find_el(xmlDocGetRootElement(doc), el, nth);
    xmlChar *c = n ? xmlNodeGetContent(n) : NULL;
    buf esc = {0};
    for (const char *p = c ? (const char *)c : "(none)"; *p; p++)
        buf_puts(&esc, *p == '\n' ? "\\n" : (char[2]){*p, 0});
    CHECK(c && !strcmp((const char *)c, want), "%s (got \"%s\")", what, esc.data ? esc.data : "");
    buf_free(&esc);
    xmlFree(c);
}

static void test_whitespace(void)
{
    mbook m = {0};
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - w.md\n");
    mb_add(&m, "w.md",
           "# Wit\n\n**vet***cursief*\n\n```\nregel 1\n  regel 2\n```\n\n- **a**`b`\n\n"
           "[**x**](https://e.org)*y*\n\n    ingesprongen\n");
    book *b = mb_load(&m);
    CHECK(m.d.errors == 0, "whitespace book loads");
    if (b->nch == 1 && b->ch[0].doc) {
        xmlDocPtr doc = xhtml_chapter(b, 0, NULL);
        size_t len;
        char *x = xhtml_serialize(doc, &len);
        xmlFreeDoc(doc);
        xmlDocPtr back = xmlReadMemory(x, (int)len, "w.xhtml", "UTF-8", XML_PARSE_NONET);
        CHECK(back != NULL, "whitespace chapter parses");
        if (back) {
            content_is(back, "p", 0, "vetcursief", "adjacent <strong><em>: no space added between them");
            content_is(back, "pre", 0, "regel 1\n  regel 2\n", "a code block's text is exactly its source");
            content_is(back, "li", 0, "ab", "a tight list item: no space added");
            content_is(back, "a", 0, "x", "a link's text: no space added around <strong>");
            content_is(back, "p", 1, "xy", "link then emphasis: no space added");
            content_is(back, "pre", 1, "ingesprongen\n", "an indented code block's text is exactly its source");
            xmlFreeDoc(back);
        }
        free(x);
    }
    mb_free(&m);
}

/* ---- every chapter of the test book: well-formed, titled -------------- */

static void test_commonmark_book(void)
{
    diag d = {0};
    book *b = book_load("tests/books/commonmark", &d);
    CHECK(d.errors == 0, "tests/books/commonmark loads without errors (%d)", d.errors);
    for (int i = 0; i < b->nch; i++) {
        if (!b->ch[i].doc)
            continue;
        html_facts f;
        int wf = chapter_facts(b, i, &f);
        CHECK(wf == 0 && f.script == 0 && f.handler == 0 && f.js_href == 0 && f.bad_nesting == 0,
              "%s: well-formed and clean (%s)", b->ch[i].src, f.first_bad);
        CHECK(!strcmp(f.title, b->ch[i].title), "%s: <title> \"%s\" is the heading \"%s\"", b->ch[i].src,
              f.title, b->ch[i].title);
        buf_free(&f.text);
    }
    book_free(b);
    diag_free(&d);
}

/* ---- limits ----------------------------------------------------------- */

static void test_limits(void)
{
    mbook m = {0};
    buf deep = {0};
    buf_puts(&deep, "# Diep\n\n");
    for (int i = 0; i < 100; i++)
        buf_puts(&deep, "> ");
    buf_puts(&deep, "citaat\n");
    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - d.md\n");
    mb_add(&m, "d.md", deep.data);
    mb_load(&m);
    expect_error_at(&m.d, "nested more than", "d.md", 3, 0, "block quotes nested 100 deep");
    CHECK(m.d.errors == 1, "one error for deep nesting, not one per level (%d)", m.d.errors);
    mb_free(&m);
    buf_free(&deep);

    mb_add(&m, "book.yaml", YAML_HEAD "chapters:\n  - e.md\n  - f.md\n");
    mb_add(&m, "e.md", "");
    mb_add(&m, "f.md", "Tekst zonder kop.\n");
    book *b = mb_load(&m);
    CHECK(m.d.errors == 0 && find_diag(&m.d, DIAG_WARNING, "the chapter is empty"), "an empty chapter is a warning");
    CHECK(find_diag(&m.d, DIAG_WARNING, "has no heading") && b->nch == 2 && !strcmp(b->ch[1].title, "f"),
          "a chapter without heading: warning, its file name is its title");
    mb_free(&m);
}

/* The one list of inline elements, and the words of each language. */
static void test_inline_and_words(void)
{
    CHECK(sanitize_is_inline("em") && sanitize_is_inline("bdo") && sanitize_is_inline("br") &&
              sanitize_is_inline("wbr") && sanitize_is_inline("img") && sanitize_is_inline("a"),
          "sanitize_is_inline: phrasing elements, br, wbr and img");
    CHECK(!sanitize_is_inline("hr") && !sanitize_is_inline("p") && !sanitize_is_inline("div") &&
              !sanitize_is_inline("script") && !sanitize_is_inline("x-unknown"),
          "sanitize_is_inline: not hr, blocks, dropped or unknown elements");
    html_tag t;
    diag d = {0};
    sanitize_inline("<bdo dir=\"rtl\">", &t, &d, "f.md", 1, 1);
    CHECK(!t.name[0], "an inline <bdo> is dropped (inline tags keep no dir)");
    sanitize_inline("<kbd>", &t, &d, "f.md", 1, 1);
    CHECK_STR(t.name, "kbd", "an inline <kbd> is kept");
    diag_free(&d);
    CHECK_STR(l10n_month("nl", 1), "januari", "l10n_month nl 1");
    CHECK_STR(l10n_month("nl-BE", 12), "december", "l10n_month nl-BE 12");
    CHECK_STR(l10n_month("en", 3), "March", "l10n_month en 3");
    CHECK_STR(l10n_month("de", 5), "May", "l10n_month: other languages in English");
    CHECK(!l10n_month("nl", 0) && !l10n_month("en", 13), "l10n_month: no month 0 or 13");
    CHECK_STR(l10n("nl", L_PDF_EDITION), "PDF-editie", "l10n nl PDF edition");
    CHECK_STR(l10n("en-GB", L_PDF_EDITION), "PDF edition", "l10n en-GB PDF edition");
}

int main(void)
{
    xmlInitParser();
    snprintf(tmproot, sizeof tmproot, "%s/gb-model-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmproot)) {
        printf("not ok - mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    test_slugs();
    test_heading_ids();
    test_slug_before_id();
    test_link_errors();
    test_meta_errors();
    test_filesystem();
    test_paths();
    test_encoding();
    test_raw_html();
    test_whitespace();
    test_commonmark_book();
    test_limits();
    test_inline_and_words();
    rm_rf(tmproot);
    xmlCleanupParser();
    HARNESS_EXIT();
}
