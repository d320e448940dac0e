/* book — loading and annotating the document model (see book.h).
 *
 * Design: cmark's tree *is* the model. We do not copy it into a second
 * tree; we attach `anno` records (arena-allocated) to the nodes that need
 * derived facts. Two passes over each tree, both with cmark's iterator (no
 * recursion, so nesting depth costs no stack): the first assigns heading
 * ids and loads images, the second (after every chapter is known) resolves
 * links, which may point forward into later chapters.
 */
#include "model/book.h"
#include "model/dialect.h"
#include "model/gfm.h"
#include "model/mdlimits.h"


#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "model/image.h"
#include "model/notes.h"
#include "base/path.h"
#include "model/sanitize.h"
#include "model/smart.h"
#include "base/utf8.h"

/* ---- helpers ---- */

void node_plain_text(cmark_node *n, buf *out)
{
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_CODE_BLOCK: {
            const char *s = cmark_node_get_literal(c);
            if (s)
                buf_puts(out, s);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            buf_putc(out, ' ');
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
}

/* The plain text of a node with runs of white space as one space, trimmed;
 * in the book's arena. */
static const char *node_text(book *b, cmark_node *n)
{
    buf t = {0}, clean = {0};
    node_plain_text(n, &t);
    int sp = 0;
    for (size_t i = 0; i < t.len; i++) {
        char ch = t.data[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            sp = 1;
        } else {
            if (sp && clean.len)
                buf_putc(&clean, ' ');
            sp = 0;
            buf_putc(&clean, ch);
        }
    }
    const char *r = arena_strdup(&b->arena, clean.data ? clean.data : "");
    buf_free(&t);
    buf_free(&clean);
    return r;
}

/* ASCII base letter of a Latin-1 / Latin Extended-A letter, or 0. */
static char fold_latin(uint32_t c)
{
    static const char l1[] = /* U+00C0 .. U+00FF */
        "aaaaaaaceeeeiiiidnooooo ouuuuyts"
        "aaaaaaaceeeeiiiidnooooo ouuuuyty";
    if (c >= 0xC0 && c <= 0xFF) {
        char r = l1[c - 0xC0];
        return r == ' ' ? 0 : r;
    }
    static const char ea[] = /* U+0100 .. U+017F, pairs upper/lower */
        "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkklllllll"
        "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
    if (c >= 0x100 && c <= 0x17F)
        return ea[c - 0x100];
    return 0;
}

char *make_slug(const char *text)
{
    buf b = {0};
    size_t n = strlen(text);
    int dash = 0;
    for (size_t i = 0; i < n;) {
        int len;
        uint32_t c = utf8_decode(text + i, n - i, &len);
        i += (size_t)len;
        char a = 0;
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                a = (char)c;
            else if (c >= 'A' && c <= 'Z')
                a = (char)(c - 'A' + 'a');
        } else if (c == 0x133 || c == 0x132) { /* ĳ */
            if (dash && b.len)
                buf_putc(&b, '-');
            dash = 0;
            buf_puts(&b, "ij");
            continue;
        } else {
            a = fold_latin(c);
        }
        if (a) {
            if (dash && b.len)
                buf_putc(&b, '-');
            dash = 0;
            buf_putc(&b, a);
        } else {
            dash = 1;
        }
        if (b.len >= 80)
            break;
    }
    if (!b.len)
        buf_puts(&b, "section");
    return buf_detach(&b, NULL);
}

/* ---- file access (filesystem or memory) ---- */

static char *book_read(book *b, const char *rel, size_t *len, const char **why)
{
    if (b->mem_names) {
        for (int i = 0; i < b->mem_n; i++) {
            if (!strcmp(b->mem_names[i], rel)) {
                *len = b->mem_len[i];
                return xstrndup(b->mem_data[i], b->mem_len[i]);
            }
        }
        *why = "no such file";
        return NULL;
    }
    char w[PATH_WHY];
    char *data = path_read(b->dir_real, b->dir, "book folder", rel, BOOK_MAX_FILE, len, w);
    if (!data)
        *why = arena_strdup(&b->arena, w);
    return data;
}

static int book_exists(book *b, const char *rel)
{
    if (b->mem_names) {
        for (int i = 0; i < b->mem_n; i++)
            if (!strcmp(b->mem_names[i], rel))
                return 1;
        return 0;
    }
    const char *why;
    char *real = path_real_inside(b->dir_real, b->dir, rel, &why);
    free(real);
    return real != NULL;
}

static const char *diag_path(book *b, const char *rel)
{
    if (b->mem_names || !b->dir || !strcmp(b->dir, "."))
        return arena_strdup(&b->arena, rel);
    size_t dl = strlen(b->dir);
    int slash = dl > 0 && b->dir[dl - 1] == '/';
    return arena_printf(&b->arena, "%s%s%s", b->dir, slash ? "" : "/", rel);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Without a 'chapters' key: every *.md of the folder in byte order. */
static void list_chapters(book *b, const char *yaml_name)
{
    const char **names = NULL;
    size_t n = 0, cap = 0;
    if (b->mem_names) {
        for (int i = 0; i < b->mem_n; i++)
            if (ends_with(b->mem_names[i], ".md") && !strchr(b->mem_names[i], '/')) {
                GROW(names, cap, n + 1);
                names[n++] = arena_strdup(&b->arena, b->mem_names[i]);
            }
    } else {
        DIR *d = opendir(b->dir);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (e->d_name[0] == '.' || !ends_with(e->d_name, ".md"))
                    continue;
                if (n > BOOK_MAX_CHAPTERS)
                    break; /* one past the limit is enough to know */
                GROW(names, cap, n + 1);
                names[n++] = arena_strdup(&b->arena, e->d_name);
            }
            closedir(d);
        }
    }
    qsort(names, n, sizeof *names, cmp_str);
    if (n == 0)
        diag_error(b->diag, yaml_name, 1, 1,
                   "no chapters: the folder has no *.md files and book.yaml has no 'chapters' list");
    if (n > BOOK_MAX_CHAPTERS) {
        diag_error(b->diag, *b->dir ? b->dir : yaml_name, 0, 0,
                   "the folder has more than %d chapter files (*.md), the limit of chapters in a book",
                   BOOK_MAX_CHAPTERS);
        free(names);
        return;
    }
    b->meta.chapters = arena_alloc(&b->arena, (n + 1) * sizeof *b->meta.chapters);
    for (size_t i = 0; i < n; i++) {
        b->meta.chapters[i].file = names[i];
        b->meta.chapters[i].line = 1;
        b->meta.chapters[i].col = 1;
    }
    b->meta.nchapters = (int)n;
    free(names);
}

/* The sets of names goodiebag makes unique by numbering them (the value
 * is part of the counters' keys). */
typedef enum {
    NAMES_CHAPTER_FILE = 'c', /* XHTML file names */
    NAMES_IMAGE_FILE = 'm',   /* image file names in the EPUB */
    NAMES_SLUG = 's',         /* heading slugs, unique in a chapter */
    NAMES_ID = 'd',           /* heading ids, unique in the book */
    NAMES_PANDOC = 'p'        /* pandoc's heading identifiers */
} name_set;

/* Where the search for a free numbered name ("base-2", "base-3", ...) of
 * base continues: names are only ever added, so every number below it is
 * taken, and n names of one base cost n tries in all, not n * n / 2.
 * `scope` (a chapter, for names unique in one) tells a set's scopes
 * apart; `first` is the first number tried. */
static int *name_counter(book *b, name_set set, int scope, const char *base, int first)
{
    buf key = {0};
    buf_printf(&key, "%c%d\t%s", (char)set, scope, base);
    int *k = strmap_get(&b->counters, key.data);
    if (!k) {
        k = arena_alloc(&b->arena, sizeof *k);
        *k = first;
        strmap_put(&b->counters, key.data, k);
    }
    buf_free(&key);
    return k;
}

static const char *out_name_for(book *b, const char *src, strset *used)
{
    buf nm = {0};
    buf_puts(&nm, "text/");
    size_t n = strlen(src);
    if (ends_with(src, ".md"))
        n -= 3;
    for (size_t i = 0; i < n && i < 120; i++) {
        char c = src[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        buf_putc(&nm, ok ? c : '-');
    }
    if (nm.len == 5)
        buf_puts(&nm, "chapter");
    const char *base = arena_strdup(&b->arena, nm.data);
    const char *name = arena_printf(&b->arena, "%s.xhtml", base);
    if (!strset_add(used, name))
        for (int *k = name_counter(b, NAMES_CHAPTER_FILE, 0, base, 2); !strset_add(used, name); ++*k)
            name = arena_printf(&b->arena, "%s-%d.xhtml", base, *k);
    buf_free(&nm);
    return name;
}

/* ---- chapter reading ---- */

static int node_line(cmark_node *n);
static int node_col(chapter *ch, cmark_node *n);

/* Character references (&#xFFFF;, &#27;) put back into the tree what
 * input_read keeps out of the text: controls and noncharacters become
 * U+FFFD there too, with one warning per chapter. */
static void clean_tree(book *b, chapter *c)
{
    cmark_iter *it = cmark_iter_new(c->doc);
    cmark_event_type ev;
    cmark_node *first = NULL;
    long first_cp = 0;
    size_t count = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        for (int k = 0; k < 3; k++) {
            const char *v = NULL;
            if (k == 0 && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK ||
                           t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE))
                v = cmark_node_get_literal(n);
            else if (k == 1 && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE))
                v = cmark_node_get_url(n);
            else if (k == 2 && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE))
                v = cmark_node_get_title(n);
            else if (k == 2 && t == CMARK_NODE_CODE_BLOCK)
                v = cmark_node_get_fence_info(n);
            long cp = v ? input_first_bad(v, strlen(v)) : -1;
            if (cp < 0)
                continue;
            size_t len;
            unsigned rep;
            int nul;
            char *clean = input_clean_value(v, strlen(v), k == 0, &len, &rep, &nul);
            if (k == 0)
                cmark_node_set_literal(n, clean);
            else if (k == 1)
                cmark_node_set_url(n, clean);
            else if (t == CMARK_NODE_CODE_BLOCK)
                cmark_node_set_fence_info(n, clean);
            else
                cmark_node_set_title(n, clean);
            free(clean);
            if (cp != '\f' && !count++)
                first = n, first_cp = cp;
        }
    }
    cmark_iter_free(it);
    if (first)
        diag_warning(b->diag, c->diag_name, node_line(first), node_col(c, first),
                     "a character reference gives U+%04lX, which is not text: readers see U+FFFD (a replacement "
                     "mark) in its place%s",
                     first_cp, count > 1 ? " (here and in other places of this chapter)" : "");
}

static void load_chapter(book *b, chapter *c, const chapter_spec *cs, const char *yaml_name)
{
    const char *why = NULL;
    char *norm = path_join_inside("", cs->file, &why);
    if (!norm) {
        diag_error(b->diag, yaml_name, cs->line, cs->col, "chapter '%s': %s", cs->file, why);
        return;
    }
    /* "a.md" and "./a.md" name the same file (meta.c catches the same
     * spelling twice) */
    const chapter *first = strmap_get(&b->chapter_of, norm);
    if (first) {
        diag_error(b->diag, yaml_name, cs->line, cs->col, "chapter '%s' is listed twice (first on line %d, as '%s')",
                   cs->file, b->meta.chapters[first->index].line, b->meta.chapters[first->index].file);
        free(norm);
        return;
    }
    strmap_put(&b->chapter_of, norm, c);
    c->src = arena_strdup(&b->arena, norm);
    free(norm);
    c->diag_name = diag_path(b, c->src);
    size_t len = 0;
    char *text = book_read(b, c->src, &len, &why);
    if (!text) {
        diag_error(b->diag, yaml_name, cs->line, cs->col, "chapter '%s': %s", cs->file, why);
        return;
    }
    int rc = input_read(&c->in, text, len, c->diag_name, INPUT_NFC, b->diag);
    free(text);
    if (rc != 0)
        return;
    c->text = c->in.data;
    c->len = c->in.len;
    if (md_limits_check(&c->in, c->diag_name, b->diag) != 0)
        return;
    char *prot = smart_protect(c->text, c->len);
    c->doc = gfm_parse(prot ? prot : c->text, c->len);
    free(prot);
    dialect_check(c, b->diag); /* before smart_tree turns a grid table's --- into dashes */
    cmark_node *as_typed = smart_tree(c->doc, b->meta.lang, BOOK_MAX_PARAGRAPH);
    smart_restore(c->doc);
    if (as_typed)
        diag_warning(b->diag, c->diag_name, node_line(as_typed), node_col(c, as_typed),
                     "this block's quotes and dashes are left as typed: with typographic ones it would be longer "
                     "than the limit of %d MB",
                     BOOK_MAX_PARAGRAPH >> 20);
    clean_tree(b, c);
    c->lines = c->in.lines;
    if (!cmark_node_first_child(c->doc))
        diag_warning(b->diag, c->diag_name, 1, 1, "the chapter is empty");
}

/* ---- annotation ---- */

static anno *new_anno(book *b, cmark_node *n, anno_kind k)
{
    anno *a = arena_alloc(&b->arena, sizeof *a);
    a->kind = k;
    a->target_chapter = -1;
    cmark_node_set_user_data(n, a);
    return a;
}

static int node_line(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n)) {
        int l = cmark_node_get_start_line(n);
        if (l > 0)
            return l;
    }
    return 1;
}

/* The column of n in the original file, in characters (cmark counts bytes
 * of the text as read). */
static int node_col(chapter *ch, cmark_node *n)
{
    int l = cmark_node_get_start_line(n), c = cmark_node_get_start_column(n);
    if (l <= 0 || c <= 0)
        return 1;
    return input_col(&ch->in, l, c);
}

/* Whether an image belongs to the chapters' images (b->resources) or is
 * kept apart (the cover). */
typedef enum { IMAGE_APART, IMAGE_LISTED } image_use;

static resource *load_image_at(book *b, const char *diag_file, int line, int col, const char *from,
                               const char *url, strset *out_names, image_use use);

/* A path written in file `from` (URL-escaped, relative to that file),
 * normalised relative to the book folder; NULL with *why when it is
 * unusable or leads out of the book. The caller frees the result. */
static char *resolve_path(const char *from, const char *url_path, const char **why)
{
    char *unesc = path_unescape(url_path);
    if (!unesc) {
        *why = "the path contains %00";
        return NULL;
    }
    char *dir = path_dirname(from);
    char *norm = path_join_inside(dir, unesc, why);
    free(dir);
    free(unesc);
    return norm;
}

static resource *load_image(book *b, chapter *c, cmark_node *n, const char *url, strset *out_names)
{
    return load_image_at(b, c->diag_name, node_line(n), node_col(c, n), c->src, url, out_names, IMAGE_LISTED);
}

/* An image file's bytes, checked: *data (the caller frees; an SVG's is
 * its sanitised drawing for the EPUB) of *len bytes, its facts in *info
 * and, for an SVG, what the PDF draws in *draw. Returns NULL, or why the
 * file cannot be used (then nothing is returned). */
static const char *read_image(book *b, const char *norm, const char *diag_file, int line, int col, const char *url,
                              char **data, size_t *len, image_info *info, san_svg *svg)
{
    const char *why = NULL;
    *data = book_read(b, norm, len, &why);
    if (!*data)
        return why;
    const char *err = image_probe(*data, *len, info);
    if (!err && !strcmp(info->media_type, "image/svg+xml")) {
        /* both outputs use the sanitised drawing, never the file */
        err = sanitize_svg(*data, *len, svg, b->diag, diag_file, line, col, url);
        if (!err)
            err = image_svg_size(svg->width, svg->height, svg->viewbox, info);
        if (!err) {
            free(*data);
            *data = svg->epub;
            *len = svg->epub_len;
            svg->epub = NULL;
        }
    }
    if (err) {
        free(svg->epub);
        free(svg->pdf);
        free(*data);
        *data = NULL;
    }
    return err;
}

/* The image's name in the EPUB: images/ + the file's name, ASCII only,
 * unique. */
static const char *image_out_name(book *b, const char *norm, strset *out_names)
{
    const char *base = strrchr(norm, '/') ? strrchr(norm, '/') + 1 : norm;
    buf nm = {0};
    buf_puts(&nm, "images/");
    for (const char *p = base; *p && nm.len < 120; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_' || ch == '.';
        buf_putc(&nm, ok ? ch : '-');
    }
    const char *name = arena_strdup(&b->arena, nm.data);
    if (!strset_add(out_names, name))
        for (int *k = name_counter(b, NAMES_IMAGE_FILE, 0, nm.data, 2); !strset_add(out_names, name); ++*k)
            name = arena_printf(&b->arena, "images/%d-%s", *k, nm.data + 7);
    buf_free(&nm);
    return name;
}

/* Loads an image named in file `from` (relative to the book folder);
 * reports problems at diag_file:line:col and returns NULL. */
static resource *load_image_at(book *b, const char *diag_file, int line, int col, const char *from,
                               const char *url, strset *out_names, image_use use)
{
    const char *why = NULL;
    if (strstr(url, "://") || !strncmp(url, "data:", 5)) {
        diag_error(b->diag, diag_file, line, col, "image '%.200s': only images inside the book folder can be used",
                   url);
        return NULL;
    }
    char *norm = resolve_path(from, url, &why);
    if (!norm) {
        diag_error(b->diag, diag_file, line, col, "image '%.200s': %s", url, why);
        return NULL;
    }
    resource *r = use == IMAGE_LISTED ? strmap_get(&b->resource_of, norm) : NULL;
    if (r) {
        free(norm);
        return r;
    }
    char *data;
    size_t len = 0;
    image_info info;
    san_svg svg = {0};
    const char *err = read_image(b, norm, diag_file, line, col, url, &data, &len, &info, &svg);
    if (err) {
        diag_error(b->diag, diag_file, line, col, "image '%.200s': %s", url, err);
        free(norm);
        return NULL;
    }
    r = arena_alloc(&b->arena, sizeof *r);
    r->src = arena_strdup(&b->arena, norm);
    r->media_type = info.media_type;
    r->use_file = diag_file;
    r->use_line = line;
    r->use_col = col;
    r->width = info.width;
    r->height = info.height;
    r->data = data;
    r->len = len;
    r->draw = svg.pdf;
    r->draw_len = svg.pdf_len;
    r->out_name = image_out_name(b, norm, out_names);
    free(norm);
    if (use == IMAGE_LISTED) {
        /* in order of first use */
        strmap_put(&b->resource_of, r->src, r);
        if (b->last_resource)
            b->last_resource->next = r;
        else
            b->resources = r;
        b->last_resource = r;
    }
    return r;
}

/* Pandoc's heading attributes at the end of a heading: "Title {#id .class}".
 * Removes them from the heading's last text node and returns the id (a new
 * string, or NULL when there is none). */
static char *take_attributes(cmark_node *h)
{
    cmark_node *last = cmark_node_last_child(h);
    if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT)
        return NULL;
    const char *lit = cmark_node_get_literal(last);
    size_t n = lit ? strlen(lit) : 0;
    while (n > 0 && (lit[n - 1] == ' ' || lit[n - 1] == '\t'))
        n--;
    if (n < 3 || lit[n - 1] != '}')
        return NULL;
    size_t open = n - 1;
    while (open > 0 && lit[open] != '{')
        open--;
    if (lit[open] != '{' || (lit[open + 1] != '#' && lit[open + 1] != '.'))
        return NULL;
    for (size_t i = open + 1; i < n - 1; i++)
        if (lit[i] == '{' || lit[i] == '}')
            return NULL;
    char *id = NULL;
    if (lit[open + 1] == '#') {
        size_t e = open + 2;
        while (e < n - 1 && lit[e] != ' ')
            e++;
        if (e > open + 2)
            id = xstrndup(lit + open + 2, e - open - 2);
    } else {
        const char *hash = memchr(lit + open, '#', n - open);
        if (hash && (hash[-1] == ' ')) {
            const char *e = hash + 1;
            while (*e && *e != ' ' && *e != '}')
                e++;
            if (e > hash + 1)
                id = xstrndup(hash + 1, (size_t)(e - hash - 1));
        }
    }
    size_t keep = open;
    while (keep > 0 && (lit[keep - 1] == ' ' || lit[keep - 1] == '\t'))
        keep--;
    char *rest = xstrndup(lit, keep);
    cmark_node_set_literal(last, rest);
    free(rest);
    return id;
}

/* Whose identifiers other_slug makes. */
typedef enum { SLUG_GITHUB, SLUG_PANDOC } slug_style;

/* The identifiers pandoc (auto_identifiers) and GitHub give a heading, so
 * that links written for those tools find it too. */
static char *other_slug(const char *text, slug_style style)
{
    int pandoc = style == SLUG_PANDOC;
    buf b = {0};
    size_t n = strlen(text);
    int seen_letter = 0;
    for (size_t i = 0; i < n;) {
        int len;
        uint32_t c = utf8_decode(text + i, n - i, &len);
        if (c >= 0x2010 && c <= 0x206F) {
            /* punctuation (quotes, dashes: model/smart.c set them): dropped,
             * but GitHub's slugs keep the "--" and "---" that were typed */
            if (!pandoc && (c == 0x2013 || c == 0x2014))
                buf_puts(&b, c == 0x2013 ? "--" : "---");
            i += (size_t)len;
            continue;
        }
        int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c != 0xD7 && c != 0xF7);
        int digit = c >= '0' && c <= '9';
        if (pandoc && !seen_letter && !letter) {
            i += (size_t)len;
            continue;
        }
        if (letter)
            seen_letter = 1;
        if (c >= 'A' && c <= 'Z')
            buf_putc(&b, (char)(c - 'A' + 'a'));
        else if (c >= 0xC0 && c <= 0xDE && c != 0xD7) {
            char enc[4];
            int l = utf8_encode(c + 0x20, enc);
            buf_add(&b, enc, (size_t)l);
        } else if (letter || digit || c == '_' || c == '-' || (pandoc && c == '.'))
            buf_add(&b, text + i, (size_t)len);
        else if (c == ' ')
            buf_putc(&b, '-');
        i += (size_t)len;
    }
    if (!b.len)
        buf_puts(&b, "section");
    return buf_detach(&b, NULL);
}

/* The names links find a heading by, in the order they are tried (the
 * value is part of the anchors' keys). */
typedef enum {
    ANCHOR_SLUG = 's',  /* its slug */
    ANCHOR_ID = 'i',    /* its id */
    ANCHOR_ALIAS = 'a'  /* explicit ids, pandoc's and GitHub's ids, bracketed spans */
} anchor_kind;

/* Registers a name under which links find heading `id` of chapter ci:
 * scoped to the chapter, and book-wide (the first heading wins). */
static void add_anchor(book *b, int ci, anchor_kind kind, const char *name, const char *id)
{
    char key[300];
    snprintf(key, sizeof key, "%c%d\t%s", (char)kind, ci, name);
    strmap_put(&b->anchors, key, (void *)id);
    snprintf(key, sizeof key, "%c\t%s", (char)kind, name);
    strmap_put(&b->anchors, key, (void *)id);
}

/* Looks an anchor name up: a heading's slug first, then its id, then the
 * other names it answers to (explicit ids, pandoc's and GitHub's ids).
 * ci < 0 searches the whole book. */
static const char *lookup_anchor(const book *b, int ci, const char *name)
{
    static const anchor_kind kinds[] = {ANCHOR_SLUG, ANCHOR_ID, ANCHOR_ALIAS};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        char key[300];
        if (ci >= 0)
            snprintf(key, sizeof key, "%c%d\t%s", (char)kinds[k], ci, name);
        else
            snprintf(key, sizeof key, "%c\t%s", (char)kinds[k], name);
        const char *id = strmap_get(&b->anchors, key);
        if (id)
            return id;
    }
    return NULL;
}

/* "{.decorative}" right after an image (pandoc's attribute syntax) marks
 * an image that only decorates: readers skip it (alt=""), it needs no
 * alternative text. Removes the mark from the text; returns 1 if it was
 * there. An empty alt text alone, ![](x.png), is taken for a forgotten
 * one, not for decoration: most often it is. */
static int take_decorative(cmark_node *img)
{
    static const char mark[] = "{.decorative}";
    cmark_node *next = cmark_node_next(img);
    if (!next || cmark_node_get_type(next) != CMARK_NODE_TEXT)
        return 0;
    const char *lit = cmark_node_get_literal(next);
    if (!lit || strncmp(lit, mark, sizeof mark - 1) != 0)
        return 0;
    if (!lit[sizeof mark - 1]) {
        cmark_node_free(next); /* unlinks it; the walk reads the next node later */
    } else {
        char *rest = xstrdup(lit + sizeof mark - 1);
        cmark_node_set_literal(next, rest);
        free(rest);
    }
    return 1;
}

/* The first pass over one chapter: the walk's state. */
typedef struct pass1 {
    book *b;
    chapter *c;
    strset *ids, *out_names; /* book-wide: heading ids, EPUB file names */
    strset slugs;            /* the chapter's heading slugs */
    const char *last_heading_id;
    int prev_level;          /* of the last heading, 0 before the first */
    int depth;               /* of lists and block quotes */
    int too_deep, too_long;  /* reported once a chapter */
} pass1;

/* Counts the nesting of lists and block quotes; reports the first that
 * goes past BOOK_MAX_DEPTH. */
static void check_depth(pass1 *p, cmark_node *n, cmark_event_type ev)
{
    if (ev != CMARK_EVENT_ENTER) {
        p->depth--;
        return;
    }
    if (++p->depth > BOOK_MAX_DEPTH && !p->too_deep) {
        p->too_deep = 1;
        diag_error(p->b->diag, p->c->diag_name, node_line(n), node_col(p->c, n),
                   "lists and block quotes are nested more than %d deep here", BOOK_MAX_DEPTH);
    }
}

/* The typesetter's memory grows with a paragraph's length (about 200
 * bytes a byte): reports the first block of text t past the limit. */
static void check_length(pass1 *p, cmark_node *n, cmark_node_type t)
{
    size_t total = 0;
    cmark_iter *pi = cmark_iter_new(n);
    cmark_event_type pe;
    while ((pe = cmark_iter_next(pi)) != CMARK_EVENT_DONE)
        if (pe == CMARK_EVENT_ENTER) {
            const char *lit = cmark_node_get_literal(cmark_iter_get_node(pi));
            total += lit ? strlen(lit) : 0;
        }
    cmark_iter_free(pi);
    if (total <= BOOK_MAX_PARAGRAPH)
        return;
    p->too_long = 1;
    diag_error(p->b->diag, p->c->diag_name, node_line(n), node_col(p->c, n),
               "this %s is %zu bytes long, more than the limit of %d MB; split it",
               t == CMARK_NODE_HEADING      ? "heading"
               : t == CMARK_NODE_CODE_BLOCK ? "code block"
               : t == CMARK_NODE_HTML_BLOCK ? "HTML block"
                                            : "paragraph",
               total, BOOK_MAX_PARAGRAPH >> 20);
}

/* The heading's slug, unique in the chapter. */
static const char *unique_slug(pass1 *p, const char *text)
{
    book *b = p->b;
    char *slug = make_slug(text);
    const char *s = arena_strdup(&b->arena, slug);
    if (!strset_add(&p->slugs, s))
        for (int *k = name_counter(b, NAMES_SLUG, p->c->index, slug, 2); !strset_add(&p->slugs, s); ++*k)
            s = arena_printf(&b->arena, "%s-%d", slug, *k);
    free(slug);
    return s;
}

/* Is an id written by the author a valid XML name goodiebag keeps? */
static int valid_id(const char *e)
{
    int ok = ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || *e == '_') && strlen(e) < 200;
    for (; *e && ok; e++)
        if (!((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '-' ||
              *e == '_' || *e == '.'))
            ok = 0;
    return ok;
}

/* The heading's id, unique in the book: the author's (explicit, or NULL)
 * when valid, else made of its slug. */
static const char *unique_id(pass1 *p, cmark_node *n, const char *slug, const char *explicit_id)
{
    book *b = p->b;
    chapter *c = p->c;
    const char *idbase = (slug[0] >= '0' && slug[0] <= '9') ? arena_printf(&b->arena, "h-%s", slug) : slug;
    int explicit_ok = explicit_id && valid_id(explicit_id);
    if (explicit_ok)
        idbase = arena_strdup(&b->arena, explicit_id);
    else if (explicit_id)
        diag_warning(b->diag, c->diag_name, node_line(n), node_col(c, n),
                     "heading id '%.100s' is not a valid id (letters, digits, '-', '_', '.'); using '%s'",
                     explicit_id, idbase);
    const char *id = idbase;
    if (!strset_add(p->ids, id))
        for (int *k = name_counter(b, NAMES_ID, 0, idbase, 2); !strset_add(p->ids, id); ++*k)
            id = arena_printf(&b->arena, "%s-%d", idbase, *k);
    strmap_put(&b->id_chapter, id, (void *)(intptr_t)(c->index + 1));
    if (explicit_ok && id != idbase)
        diag_warning(b->diag, c->diag_name, node_line(n), node_col(c, n),
                     "heading id '%s' is used twice; this one becomes '%s'", idbase, id);
    return id;
}

/* The other names links may use for heading id: pandoc's identifier
 * (numbered book-wide, as pandoc numbers them in one document) and
 * GitHub's (per file). */
static void add_aliases(book *b, int ci, const char *text, const char *id)
{
    char *ps = other_slug(text, SLUG_PANDOC);
    const char *pid = ps;
    char *tmp = NULL;
    if (strmap_get(&b->pandoc_ids, pid)) {
        int *k = name_counter(b, NAMES_PANDOC, 0, ps, 1); /* pandoc numbers from 1 */
        for (; strmap_get(&b->pandoc_ids, pid); ++*k) {
            free(tmp);
            tmp = xasprintf("%s-%d", ps, *k);
            pid = tmp;
        }
    }
    strmap_put(&b->pandoc_ids, pid, (void *)id);
    add_anchor(b, ci, ANCHOR_ALIAS, pid, id);
    free(tmp);
    free(ps);
    char *gs = other_slug(text, SLUG_GITHUB);
    add_anchor(b, ci, ANCHOR_ALIAS, gs, id);
    free(gs);
}

static void heading(pass1 *p, cmark_node *n)
{
    book *b = p->b;
    chapter *c = p->c;
    int level = cmark_node_get_heading_level(n);
    if (p->prev_level && level > p->prev_level + 1)
        diag_warning(b->diag, c->diag_name, node_line(n), node_col(c, n),
                     "heading level jumps from %d to %d; readers that navigate by headings expect no gaps",
                     p->prev_level, level);
    p->prev_level = level;
    anno *a = new_anno(b, n, ANNO_HEADING);
    char *explicit_id = take_attributes(n);
    a->text = node_text(b, n);
    a->slug = unique_slug(p, a->text);
    const char *id = unique_id(p, n, a->slug, explicit_id);
    a->id = id;
    add_anchor(b, c->index, ANCHOR_SLUG, a->slug, id);
    add_anchor(b, c->index, ANCHOR_ID, id, id);
    if (explicit_id)
        add_anchor(b, c->index, ANCHOR_ALIAS, explicit_id, id);
    p->last_heading_id = id;
    free(explicit_id);
    add_aliases(b, c->index, a->text, id);
    a->chapter = c->index;
    a->toc = 1;
    if (!c->title_node) {
        c->title_node = n;
        c->title_id = id;
        c->title = c->label && *c->label ? arena_printf(&b->arena, "%s %s", c->label, a->text) : a->text;
    }
}

/* pandoc's bracketed-span anchors "[text]{#id}" in a text node: links to
 * them land on the section they stand in. */
static void span_anchors(pass1 *p, cmark_node *n)
{
    const char *lit = cmark_node_get_literal(n);
    for (const char *q = lit ? strstr(lit, "]{#") : NULL; q; q = strstr(q + 3, "]{#")) {
        const char *e = q + 3;
        while (*e && *e != '}' && *e != ' ')
            e++;
        if (e > q + 3 && e - q < 200) {
            char *nm = xstrndup(q + 3, (size_t)(e - q - 3));
            add_anchor(p->b, p->c->index, ANCHOR_ALIAS, nm, p->last_heading_id);
            free(nm);
        }
    }
}

static void html_block(pass1 *p, cmark_node *n)
{
    book *b = p->b;
    anno *a = new_anno(b, n, ANNO_HTML);
    const char *lit = cmark_node_get_literal(n);
    a->html = lit ? sanitize_block(lit, b->diag, p->c->diag_name, node_line(n)) : NULL;
    if (a->html) {
        GROW(b->html, b->caphtml, b->nhtml + 1);
        b->html[b->nhtml++] = a->html;
    }
}

static void html_inline(pass1 *p, cmark_node *n)
{
    book *b = p->b;
    anno *a = new_anno(b, n, ANNO_HTML);
    const char *lit = cmark_node_get_literal(n);
    a->tag = arena_alloc(&b->arena, sizeof *a->tag);
    sanitize_inline(lit ? lit : "", a->tag, b->diag, p->c->diag_name, node_line(n), node_col(p->c, n));
}

/* Loads the image and judges its alternative text. */
static void image(pass1 *p, cmark_node *n)
{
    book *b = p->b;
    chapter *c = p->c;
    const char *url = cmark_node_get_url(n);
    anno *a = new_anno(b, n, ANNO_IMAGE);
    if (!url || !*url) {
        diag_error(b->diag, c->diag_name, node_line(n), node_col(c, n), "image without a file name");
        return;
    }
    a->res = load_image(b, c, n, url, p->out_names);
    a->decorative = take_decorative(n);
    buf alt = {0};
    node_plain_text(n, &alt);
    int blank = 1;
    for (size_t k = 0; k < alt.len; k++)
        if (alt.data[k] != ' ' && alt.data[k] != '\t')
            blank = 0;
    a->alt_blank = blank;
    if (blank && a->res && !a->decorative)
        diag_warning(b->diag, c->diag_name, node_line(n), node_col(c, n),
                     "image '%.200s' has no alternative text: write ![what it shows](%.200s), or "
                     "![](%.200s){.decorative} if it only decorates",
                     url, url, url);
    buf_free(&alt);
}

/* No heading, or an empty first heading ("#" alone): the title (for
 * <title> and the tables of contents, which must not be empty) is the
 * file name. */
static void fallback_title(book *b, chapter *c)
{
    anno *ta = c->title_node ? node_anno(c->title_node) : NULL;
    if (c->title && !(ta && !ta->text[0]))
        return;
    const char *base = strrchr(c->src, '/') ? strrchr(c->src, '/') + 1 : c->src;
    size_t l = strlen(base);
    if (ends_with(base, ".md"))
        l -= 3;
    c->title = arena_strndup(&b->arena, base, l);
    if (ta)
        diag_warning(b->diag, c->diag_name, node_line(c->title_node), node_col(c, c->title_node),
                     "the chapter's first heading is empty; its file name '%s' is used as its title", c->title);
    else if (cmark_node_first_child(c->doc))
        diag_warning(b->diag, c->diag_name, 1, 1, "the chapter has no heading; its file name '%s' is used as its title",
                     c->title);
}

/* The first pass: checks the limits, gives headings their ids and
 * anchors, sanitises raw HTML and loads images. */
static void annotate_pass1(book *b, chapter *c, strset *ids, strset *out_names)
{
    pass1 p = {.b = b, .c = c, .ids = ids, .out_names = out_names};
    cmark_iter *it = cmark_iter_new(c->doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST)
            check_depth(&p, n, ev);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if ((t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || t == CMARK_NODE_CODE_BLOCK ||
             t == CMARK_NODE_HTML_BLOCK) &&
            !p.too_long)
            check_length(&p, n, t);
        if (t == CMARK_NODE_HEADING)
            heading(&p, n);
        else if (t == CMARK_NODE_TEXT && p.last_heading_id)
            span_anchors(&p, n);
        else if (t == CMARK_NODE_HTML_BLOCK)
            html_block(&p, n);
        else if (t == CMARK_NODE_HTML_INLINE)
            html_inline(&p, n);
        else if (t == CMARK_NODE_IMAGE)
            image(&p, n);
    }
    cmark_iter_free(it);
    strset_free(&p.slugs);
    fallback_title(b, c);
}

static int has_scheme(const char *u, size_t *len)
{
    size_t i = 0;
    if (!((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= 'A' && u[0] <= 'Z')))
        return 0;
    while (u[i] && ((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z') ||
                    (u[i] >= '0' && u[i] <= '9') || u[i] == '+' || u[i] == '-' || u[i] == '.'))
        i++;
    if (u[i] != ':' || i < 2) /* one letter: a drive letter, not a scheme */
        return 0;
    *len = i;
    return 1;
}

/* A link with a scheme (sl bytes long): kept in a->href when it is one of
 * the schemes kept and a valid URL, else dropped with a warning. */
static void external_link(book *b, chapter *c, anno *a, const char *url, size_t sl, int line, int col)
{
    static const char *const ok[] = {"http", "https", "mailto", "ftp", "tel", NULL};
    for (int i = 0; ok[i]; i++) {
        if (strlen(ok[i]) == sl && !strncasecmp(url, ok[i], sl)) {
            char *uri = sanitize_uri(url);
            if (uri)
                a->href = arena_strdup(&b->arena, uri);
            else
                diag_warning(b->diag, c->diag_name, line, col,
                             "link '%.200s' is not a valid URL (its host): shown as plain text", url);
            free(uri);
            return;
        }
    }
    diag_warning(b->diag, c->diag_name, line, col,
                 "link to '%.*s:' URL dropped (only http, https, mailto, ftp and tel links are kept)",
                 (int)(sl > 20 ? 20 : sl), url);
}

/* The chapter a link's path (written in chapter c; "" for c itself)
 * names, or -1 after reporting an error. */
static int link_chapter(book *b, chapter *c, const char *url, const char *path, int line, int col)
{
    if (!*path)
        return c->index;
    const char *why = NULL;
    char *norm = resolve_path(c->src, path, &why);
    if (!norm) {
        diag_error(b->diag, c->diag_name, line, col, "link '%.200s': %s", url, why);
        return -1;
    }
    const chapter *tc = strmap_get(&b->chapter_of, norm);
    if (!tc) {
        if (book_exists(b, norm))
            diag_error(b->diag, c->diag_name, line, col,
                       "link '%.200s': '%s' is not a chapter of this book (add it to 'chapters' in book.yaml)", url,
                       norm);
        else
            diag_error(b->diag, c->diag_name, line, col, "link '%.200s': no such file '%s'", url, norm);
    }
    free(norm);
    return tc ? tc->index : -1;
}

/* The heading a link's fragment names in chapter a->target_chapter, into
 * a->target_id; or an error, and the link is dropped. Slugs win over
 * ids (lookup_anchor): a heading's id ("producten-2", the second
 * 'Producten' of the book) may equal another heading's slug ('Producten
 * 2'). */
static void link_heading(book *b, chapter *c, anno *a, const char *url, const char *frag, int same_file, int line,
                         int col)
{
    int target = a->target_chapter;
    const char *id = lookup_anchor(b, target, frag);
    if (!id && same_file) {
        /* "#anchor" of a heading in another chapter: a book split into
         * chapter files keeps its internal links */
        id = lookup_anchor(b, -1, frag);
        if (id)
            a->target_chapter = (int)(intptr_t)strmap_get(&b->id_chapter, id) - 1;
    }
    if (!id) {
        diag_error(b->diag, c->diag_name, line, col, "link '%.200s': no heading with the anchor '#%.100s' in %s",
                   url, frag, b->ch[target].src);
        a->target_chapter = -1;
        return;
    }
    a->target_id = id;
}

static void resolve_link(book *b, chapter *c, cmark_node *n)
{
    const char *url = cmark_node_get_url(n);
    anno *a = new_anno(b, n, ANNO_LINK);
    a->text = node_text(b, n); /* its description in the tagged PDF */
    int line = node_line(n), col = node_col(c, n);
    if (!url || !*url) {
        diag_warning(b->diag, c->diag_name, line, col, "link without a target: shown as plain text");
        return;
    }
    size_t sl;
    if (has_scheme(url, &sl)) {
        external_link(b, c, a, url, sl, line, col);
        return;
    }
    if (url[0] == '/' && url[1] == '/') {
        diag_warning(b->diag, c->diag_name, line, col,
                     "link '%.200s' has no scheme: write https://...; shown as plain text", url);
        return;
    }
    const char *hash = strchr(url, '#');
    char *path = hash ? xstrndup(url, (size_t)(hash - url)) : xstrdup(url);
    char *frag = hash ? path_unescape(hash + 1) : NULL;
    int target = link_chapter(b, c, url, path, line, col);
    /* a target chapter that failed to load has its error reported */
    if (target >= 0 && b->ch[target].doc) {
        a->target_chapter = target;
        /* "#" alone, or no fragment: the chapter start */
        if (frag && *frag)
            link_heading(b, c, a, url, frag, !*path, line, col);
    }
    free(path);
    free(frag);
}

static void annotate_pass2(book *b, chapter *c)
{
    cmark_iter *it = cmark_iter_new(c->doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_LINK)
            resolve_link(b, c, n);
    }
    cmark_iter_free(it);
}

/* A stable urn:uuid from the metadata: 128 bits of two FNV-1a hashes,
 * marked as an RFC 9562 version 8 (custom) UUID. */
static const char *derive_uuid(book *b)
{
    const meta *m = &b->meta;
    const char *parts[] = {m->title, m->subtitle, m->publisher, m->lang, m->date, m->name};
    unsigned long long h1 = 1469598103934665603ULL, h2 = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        const char *s = parts[i] ? parts[i] : "";
        h1 = hash_bytes(h1, s, strlen(s) + 1);
        h2 = hash_bytes(h2 ^ 0xA5A5A5A5ULL, s, strlen(s) + 1);
    }
    for (int i = 0; i < m->nauthors; i++) {
        h1 = hash_bytes(h1, m->authors[i], strlen(m->authors[i]) + 1);
        h2 = hash_bytes(h2, m->authors[i], strlen(m->authors[i]) + 1);
    }
    unsigned char u[16];
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(h1 >> (56 - 8 * i));
        u[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
    }
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x80);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    return arena_printf(&b->arena,
                        "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                        u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
                        u[12], u[13], u[14], u[15]);
}

/* The title and subtitle get the chapters' typographic punctuation. */
static void smart_meta(book *b)
{
    const char **v[] = {&b->meta.title, &b->meta.subtitle};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        if (*v[i]) {
            char *s = smart_string(*v[i], b->meta.lang);
            *v[i] = arena_strdup(&b->arena, s);
            free(s);
        }
}

/* Reads and parses book.yaml into b->meta. Returns 0, or -1 when the
 * file cannot be read (the problems of its keys are reported, and the
 * chapters still loaded, so that all errors are found at once). */
static int read_meta(book *b)
{
    size_t len = 0;
    const char *why = NULL;
    char *yaml = book_read(b, "book.yaml", &len, &why);
    if (!yaml) {
        if (b->mem_names || strcmp(why, "no such file") != 0)
            diag_error(b->diag, b->yaml_name, 0, 0, "cannot read the book's metadata: %s", why);
        else
            diag_error(b->diag, b->yaml_name, 0, 0,
                       "no book.yaml: a book folder needs a book.yaml with name, title, author, publisher, lang and date");
        return -1;
    }
    input in;
    int rc = input_read(&in, yaml, len, b->yaml_name, INPUT_YAML, b->diag);
    free(yaml);
    if (rc != 0)
        return -1;
    meta_parse(in.data, in.len, b->yaml_name, &b->meta, &b->arena, b->diag);
    input_free(&in);
    smart_meta(b);
    return 0;
}

/* The book's date, and the build time: SOURCE_DATE_EPOCH or that date. */
static void set_epochs(book *b)
{
    if (b->meta.date)
        meta_date_ok(b->meta.date, &b->date_epoch);
    b->build_epoch = b->date_epoch;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (!*end && v >= 0 && v < 253402300800LL)
            b->build_epoch = v;
    }
}

/* The cover named in book.yaml: not one of the chapters' images, kept
 * apart; a PNG or a JPEG. */
static void load_cover(book *b, strset *out_names)
{
    const meta *m = &b->meta;
    b->cover = load_image_at(b, b->yaml_name, m->cover_line, m->cover_col, "book.yaml", m->cover, out_names,
                             IMAGE_APART);
    if (b->cover && !strcmp(b->cover->media_type, "image/svg+xml")) {
        diag_error(b->diag, b->yaml_name, m->cover_line, m->cover_col,
                   "the cover must be a PNG or JPEG image (e-readers do not show SVG covers)");
        free(b->cover->data);
        free(b->cover->draw);
        b->cover = NULL;
    }
}

/* Reads the chapters, then annotates them: the first pass over every
 * chapter before the second, whose links may point forward. */
static void load_chapters(book *b)
{
    b->nch = b->meta.nchapters;
    b->ch = arena_alloc(&b->arena, (size_t)(b->nch + 1) * sizeof *b->ch);
    strset used = {0}, ids = {0}, out_names = {0};
    for (int i = 0; i < b->nch; i++) {
        chapter *c = &b->ch[i];
        c->index = i;
        c->label = b->meta.chapters[i].label;
        c->theme = b->meta.chapters[i].theme;
        load_chapter(b, c, &b->meta.chapters[i], b->yaml_name);
        if (c->src)
            c->out_name = out_name_for(b, c->src, &used);
    }
    /* ids the XHTML writers generate themselves start with '_' or are these */
    strset_add(&ids, "toc");
    strset_add(&ids, "landmarks");
    strset_add(&ids, "page-list");
    if (b->meta.cover)
        load_cover(b, &out_names);
    for (int i = 0; i < b->nch; i++)
        if (b->ch[i].doc)
            annotate_pass1(b, &b->ch[i], &ids, &out_names);
    for (int i = 0; i < b->nch; i++)
        if (b->ch[i].doc) {
            annotate_pass2(b, &b->ch[i]);
            notes_annotate(b, &b->ch[i]);
        }
    strset_free(&used);
    strset_free(&ids);
    strset_free(&out_names);
}

static void load_all(book *b)
{
    b->yaml_name = diag_path(b, "book.yaml");
    if (read_meta(b) != 0)
        return;
    if (!b->meta.has_chapters)
        list_chapters(b, b->yaml_name);
    if (b->meta.nchapters > BOOK_MAX_CHAPTERS) {
        const chapter_spec *cs = &b->meta.chapters[BOOK_MAX_CHAPTERS];
        diag_error(b->diag, b->yaml_name, cs->line, cs->col, "more than %d chapters, the limit of chapters in a book",
                   BOOK_MAX_CHAPTERS);
        return;
    }
    if (b->meta.nchapters == 0 && !b->meta.has_chapters)
        return; /* the folder's chapters could not be listed */
    set_epochs(b);
    b->uuid = b->meta.identifier ? b->meta.identifier : derive_uuid(b);
    load_chapters(b);
}

static book *book_new(diag *d)
{
    gfm_init(); /* before any thread could parse */
    book *b = xcalloc(1, sizeof *b);
    b->diag = d;
    return b;
}

book *book_load(const char *dir, diag *d)
{
    book *b = book_new(d);
    b->dir = arena_strdup(&b->arena, dir);
    b->dir_real = realpath(dir, NULL);
    if (!b->dir_real) {
        diag_error(d, dir, 0, 0, "cannot open the book folder: %s", strerror(errno));
        return b;
    }
    struct stat st;
    if (stat(b->dir_real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(d, dir, 0, 0, "not a folder");
        return b;
    }
    load_all(b);
    return b;
}

book *book_load_mem(const char *const *names, const char *const *data, const size_t *len, int n,
                    diag *d)
{
    book *b = book_new(d);
    b->dir = "";
    b->mem_names = names;
    b->mem_data = data;
    b->mem_len = len;
    b->mem_n = n;
    load_all(b);
    return b;
}

void book_free(book *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->nch; i++) {
        if (b->ch[i].doc)
            cmark_node_free(b->ch[i].doc);
        if (b->ch[i].notes_doc)
            cmark_node_free(b->ch[i].notes_doc);
        input_free(&b->ch[i].in);
    }
    for (resource *r = b->resources; r; r = r->next) {
        free(r->data);
        free(r->draw);
    }
    if (b->cover) {
        free(b->cover->data);
        free(b->cover->draw);
    }
    for (size_t i = 0; i < b->nhtml; i++)
        xmlFreeNode(b->html[i]);
    free(b->html);
    free(b->dir_real);
    strmap_free(&b->anchors);
    strmap_free(&b->pandoc_ids);
    strmap_free(&b->counters);
    strmap_free(&b->chapter_of);
    strmap_free(&b->id_chapter);
    strmap_free(&b->resource_of);
    arena_free(&b->arena);
    free(b);
}
