/* style — see style.h. The schema is a table (key, type, field): adding a
 * property is one line. The style sheet substitution is a single pass over
 * the template. */
#include "model/style.h"

#include <errno.h>
#include <math.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <hb-ot.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/input.h"
#include "base/path.h"
#include "model/yamldoc.h"

typedef enum { T_FONT, T_COLOR, T_LENGTH, T_NUMBER, T_PT, T_PAPER } vtype;

typedef struct prop {
    const char *key; /* section-key */
    vtype type;
    size_t off;      /* offset in struct style */
    int index;       /* font role or theme index */
} prop;

#define F(field) offsetof(style, field)
static const prop props[] = {
    {"fonts-body", T_FONT, 0, FONT_BODY},
    {"fonts-body-italic", T_FONT, 0, FONT_BODY_ITALIC},
    {"fonts-body-bold", T_FONT, 0, FONT_BODY_BOLD},
    {"fonts-body-bold-italic", T_FONT, 0, FONT_BODY_BOLD_ITALIC},
    {"fonts-heading", T_FONT, 0, FONT_HEADING},
    {"fonts-heading-regular", T_FONT, 0, FONT_HEADING_REGULAR},
    {"fonts-heading-italic", T_FONT, 0, FONT_HEADING_ITALIC},
    {"fonts-mono", T_FONT, 0, FONT_MONO},
    {"colors-text", T_COLOR, F(text), 0},
    {"colors-muted", T_COLOR, F(muted), 0},
    {"colors-accent", T_COLOR, F(accent), 0},
    {"colors-link", T_COLOR, F(link), 0},
    {"colors-rule", T_COLOR, F(rule), 0},
    {"colors-code-background", T_COLOR, F(code_bg), 0},
    {"colors-theme-1", T_COLOR, F(theme[0]), 1},
    {"colors-theme-2", T_COLOR, F(theme[1]), 2},
    {"colors-theme-3", T_COLOR, F(theme[2]), 3},
    {"colors-theme-4", T_COLOR, F(theme[3]), 4},
    {"colors-theme-5", T_COLOR, F(theme[4]), 5},
    {"colors-theme-6", T_COLOR, F(theme[5]), 6},
    {"colors-theme-7", T_COLOR, F(theme[6]), 7},
    {"colors-theme-8", T_COLOR, F(theme[7]), 8},
    {"colors-theme-9", T_COLOR, F(theme[8]), 9},
    {"text-size", T_PT, F(size), 0},
    {"text-leading", T_NUMBER, F(leading), 0},
    {"text-paragraph-indent", T_LENGTH, F(par_indent), 0},
    {"text-paragraph-space", T_LENGTH, F(par_space), 0},
    {"text-list-indent", T_LENGTH, F(list_indent), 0},
    {"text-quote-indent", T_LENGTH, F(quote_indent), 0},
    {"text-code-size", T_LENGTH, F(code_size), 0},
    {"headings-h1-size", T_LENGTH, F(h_size[0]), 0},
    {"headings-h2-size", T_LENGTH, F(h_size[1]), 0},
    {"headings-h3-size", T_LENGTH, F(h_size[2]), 0},
    {"headings-h4-size", T_LENGTH, F(h_size[3]), 0},
    {"headings-space-before", T_LENGTH, F(h_before), 0},
    {"headings-space-after", T_LENGTH, F(h_after), 0},
    {"footnote-size", T_LENGTH, F(note_size), 0},
    {"footnote-rule", T_LENGTH, F(note_rule), 0},
    {"page-paper", T_PAPER, F(paper), 0},
    {"page-margin-top", T_LENGTH, F(margin_top), 0},
    {"page-margin-bottom", T_LENGTH, F(margin_bottom), 0},
    {"page-margin-inner", T_LENGTH, F(margin_inner), 0},
    {"page-margin-outer", T_LENGTH, F(margin_outer), 0},
    {"table-size", T_LENGTH, F(table_size), 0},
    {"table-padding", T_LENGTH, F(table_pad), 0},
    {"table-rule", T_LENGTH, F(table_rule), 0},
};
#undef F
#define NPROPS (sizeof props / sizeof *props)

_Static_assert(NPROPS <= sizeof ((style *)0)->prop_line / sizeof(int), "style.prop_line holds every property");

static int prop_at(const char *key)
{
    for (size_t i = 0; i < NPROPS; i++)
        if (!strcmp(props[i].key, key))
            return (int)i;
    return 0;
}

/* Reports a problem at the first of the keys (NULL-terminated) that is set
 * in style.yaml, else at the first key's default. */
static void check_error(const style *s, diag *d, const char *const *keys, const char *fmt, double a, double b)
{
    int at = prop_at(keys[0]);
    for (int i = 0; keys[i]; i++)
        if (s->prop_line[prop_at(keys[i])]) {
            at = prop_at(keys[i]);
            break;
        }
    char msg[300];
    snprintf(msg, sizeof msg, fmt, a, b);
    diag_error(d, s->file, s->prop_line[at], s->prop_col[at], "'%s': %s", props[at].key, msg);
}

int style_check(const style *s, diag *d)
{
    int bad = 0;
    double em = s->size, lh = s->size * s->leading;
    double tw = s->page_w - style_pt(s->margin_inner, em) - style_pt(s->margin_outer, em);
    double th = s->page_h - style_pt(s->margin_top, em) - style_pt(s->margin_bottom, em);
    if (tw < 12 * em) {
        const char *const k[] = {"page-margin-inner", "page-margin-outer", "text-size", NULL};
        const char *const k2[] = {"page-margin-outer", "page-margin-inner", "text-size", NULL};
        const char *const ks[] = {"text-size", NULL};
        check_error(s, d, tw >= s->page_w / 2 ? ks : style_pt(s->margin_outer, em) > style_pt(s->margin_inner, em) ? k2 : k,
                    "the margins leave a text width of %.0f pt on this paper; it must be at least 12 em (%.0f pt)",
                    tw, 12 * em);
        bad = 1;
    }
    if (th < 8 * lh) {
        const char *const k[] = {"page-margin-top", "page-margin-bottom", "text-size", NULL};
        const char *const k2[] = {"page-margin-bottom", "page-margin-top", "text-size", NULL};
        const char *const ks[] = {"text-size", "text-leading", NULL};
        check_error(s, d, th >= s->page_h / 2 ? ks : style_pt(s->margin_bottom, em) > style_pt(s->margin_top, em) ? k2 : k,
                    "the margins leave a text height of %.0f pt on this paper; it must hold 8 lines (%.0f pt)",
                    th, 8 * lh);
        bad = 1;
    }
    if (bad)
        return -1;
    static const char *const hk[5] = {"headings-h1-size", "headings-h2-size", "headings-h3-size",
                                      "headings-h4-size", "text-code-size"};
    for (int i = 0; i < 5; i++) {
        double sz = style_pt(i < 4 ? s->h_size[i] : s->code_size, em);
        if (sz < 1 || sz * s->leading > th / 3 || sz > tw / 4) {
            const char *const k[] = {hk[i], NULL};
            check_error(s, d, k, "a size of %.1f pt does not fit the text area: at most %.1f pt on this paper",
                        sz, fmin(th / 3 / s->leading, tw / 4));
            bad = 1;
        }
    }
    if (style_pt(s->par_indent, em) > tw / 2) {
        const char *const k[] = {"text-paragraph-indent", NULL};
        check_error(s, d, k, "%.0f pt is more than half the text width (%.0f pt)", style_pt(s->par_indent, em), tw / 2);
        bad = 1;
    }
    static const char *const sk[3] = {"headings-space-before", "headings-space-after", "text-paragraph-space"};
    const length *sl[3] = {&s->h_before, &s->h_after, &s->par_space};
    for (int i = 0; i < 3; i++)
        if (style_pt(*sl[i], em) > th / 2) {
            const char *const k[] = {sk[i], NULL};
            check_error(s, d, k, "%.0f pt is more than half the text height (%.0f pt)", style_pt(*sl[i], em), th / 2);
            bad = 1;
        }
    return bad ? -1 : 0;
}

double style_pt(length l, double size)
{
    return l.em ? l.v * size : l.v;
}

int style_set_paper(style *s, const char *paper)
{
    if (!strcmp(paper, "a4")) {
        s->page_w = 595.276, s->page_h = 841.89;
    } else if (!strcmp(paper, "a5")) {
        s->page_w = 419.528, s->page_h = 595.276;
    } else {
        return -1;
    }
    s->paper = paper;
    return 0;
}

static int parse_length(const char *v, length *out, int allow_em)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || errno || x != x || x < 0 || x > 10000)
        return -1;
    out->em = 0;
    if (!strcmp(end, "pt"))
        out->v = x;
    else if (!strcmp(end, "mm"))
        out->v = x * 72.0 / 25.4;
    else if (!strcmp(end, "cm"))
        out->v = x * 72.0 / 2.54;
    else if (!strcmp(end, "in"))
        out->v = x * 72.0;
    else if (!strcmp(end, "em") && allow_em)
        out->v = x, out->em = 1;
    else if (x == 0 && !*end)
        out->v = 0;
    else
        return -1;
    return 0;
}

static int parse_color(const char *v, rgb *c)
{
    if (v[0] != '#' || strlen(v) != 7)
        return -1;
    unsigned x[3];
    for (int i = 0; i < 3; i++) {
        char hex[3] = {v[1 + 2 * i], v[2 + 2 * i], 0};
        char *end;
        x[i] = (unsigned)strtoul(hex, &end, 16);
        if (*end)
            return -1;
    }
    c->r = x[0] / 255.0, c->g = x[1] / 255.0, c->b = x[2] / 255.0;
    return 0;
}

static const char *const font_keys[FONT_COUNT] = {
    "fonts: body", "fonts: body-italic", "fonts: body-bold", "fonts: body-bold-italic",
    "fonts: heading", "fonts: heading-regular", "fonts: heading-italic", "fonts: mono"};

const char *style_font_key(int role)
{
    return role >= 0 && role < FONT_COUNT ? font_keys[role] : "fonts";
}

/* Checks the bytes of a font file as both FreeType and HarfBuzz will use
 * them, and reads its family name (into arena a). Returns NULL with *why
 * when the font cannot serve. Only .notdef and a few common letters have
 * their glyph data read here (every glyph would cost 20 ms a font); the
 * glyphs a book uses are checked as they are shaped (font.c). */
static const char *font_check(FT_Library lib, hb_blob_t *blob, arena *a, const char **why)
{
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    FT_Face face;
    if (!len || FT_New_Memory_Face(lib, (const FT_Byte *)data, (FT_Long)len, 0, &face)) {
        *why = "FreeType cannot open it (a truncated or corrupt file, or not a font)";
        return NULL;
    }
    const char *fam = NULL;
    hb_face_t *hf = hb_face_create(blob, 0);
    hb_font_t *hb = hb_font_create(hf);
    if (!face->family_name || !(face->face_flags & FT_FACE_FLAG_SCALABLE)) {
        *why = "it is not a scalable font (an outline font: OpenType, TrueType)";
    } else if (FT_Select_Charmap(face, FT_ENCODING_UNICODE) != 0) {
        *why = "it has no Unicode character map (cmap table)";
    } else if (hb_face_get_glyph_count(hf) == 0) {
        *why = "HarfBuzz finds no glyphs in it";
    } else {
        *why = NULL;
        static const char probe[] = "\0aeoHT0";
        for (size_t i = 0; i < sizeof probe - 1 && !*why; i++) {
            hb_codepoint_t g = 0;
            if (i > 0 && !hb_font_get_nominal_glyph(hb, (hb_codepoint_t)probe[i], &g))
                continue;
            hb_glyph_extents_t ext;
            if (!hb_font_get_glyph_extents(hb, g, &ext) ||
                FT_Load_Glyph(face, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0)
                *why = "the data of its glyphs cannot be read";
        }
        if (!*why)
            fam = arena_strdup(a, face->family_name);
    }
    hb_font_destroy(hb);
    hb_face_destroy(hf);
    FT_Done_Face(face);
    return fam;
}

typedef struct walkctx {
    style *s;
    const char *file, *fonts_dir;
    const char *fonts_real; /* the fonts folder's real path, NULL if missing */
    FT_Library ft;
    arena *a;
    diag *d;
    int bad;
    int seen_line[NPROPS]; /* line where each prop was set, 0 if not yet */
    /* the CSS variables: each property set, and its value as written */
    const char **names, **values;
    int nv;
} walkctx;

/* The sections of style.yaml: the part of each key before its first '-'. */
static const char *const sections[] = {"fonts", "colors", "text", "headings", "footnote", "page", "table"};
#define NSECTIONS (sizeof sections / sizeof *sections)

/* Reports an unknown name with the closest known one as a suggestion. */
static void unknown_name(walkctx *w, int line, int col, const char *what, const char *name,
                         const char *const *known, size_t nknown, size_t stride)
{
    const char *best = NULL;
    int bestd = 4;
    for (size_t i = 0; i < nknown; i++) {
        const char *k = *(const char *const *)((const char *)known + i * stride);
        int dd = edit_distance(name, k);
        if (dd < bestd)
            bestd = dd, best = k;
    }
    if (best)
        diag_error(w->d, w->file, line, col, "unknown style %s '%s' (did you mean '%s'?)", what, name, best);
    else
        diag_error(w->d, w->file, line, col, "unknown style %s '%s'", what, name);
    w->bad = 1;
}

static int known_section(const char *sec)
{
    for (size_t i = 0; i < NSECTIONS; i++)
        if (!strcmp(sections[i], sec))
            return 1;
    return 0;
}

/* Sets font role r to file val of the fonts folder, read and checked
 * (once for roles that share a file). Returns NULL, or why val cannot be
 * a font's name; problems with the file are reported here. */
static const char *set_font(walkctx *w, int r, const char *val, int line, int col)
{
    style *s = w->s;
    if (strchr(val, '/') || !*val || val[0] == '.')
        return "a font is a file name in the fonts folder (no '/')";
    s->font_line[r] = line;
    s->font_col[r] = col;
    for (int q = 0; q < FONT_COUNT; q++) {
        if (q != r && s->font_blob[q] && !strcmp(s->font_file[q], val)) {
            /* another role's file: read and checked once */
            s->font_file[r] = s->font_file[q];
            s->font_path[r] = s->font_path[q];
            s->font_family[r] = s->font_family[q];
            s->font_blob[r] = hb_blob_reference(s->font_blob[q]);
            return NULL;
        }
    }
    char whyr[PATH_WHY];
    size_t flen = 0;
    char *data = path_read(w->fonts_real, w->fonts_dir, "fonts folder", val, FONT_MAX_FILE, &flen, whyr);
    if (!data) {
        if (!strcmp(whyr, "no such file"))
            diag_error(w->d, w->file, line, col, "font file '%s' not found in %s", val, w->fonts_dir);
        else
            diag_error(w->d, w->file, line, col, "the font '%s' for '%s' cannot be read: %s", val, style_font_key(r),
                       whyr);
        w->bad = 1;
        return NULL;
    }
    hb_blob_t *blob = hb_blob_create(data, (unsigned)flen, HB_MEMORY_MODE_READONLY, data, free);
    const char *why = NULL;
    const char *fam = font_check(w->ft, blob, w->a, &why);
    if (!fam) {
        hb_blob_destroy(blob);
        diag_error(w->d, w->file, line, col, "the font '%s' for '%s' is damaged: %s", val, style_font_key(r), why);
        w->bad = 1;
        return NULL;
    }
    s->font_file[r] = val;
    s->font_path[r] = arena_printf(w->a, "%s/%s", w->fonts_dir, val);
    s->font_family[r] = fam;
    s->font_blob[r] = blob;
    return NULL;
}

/* Sets property p (not a font) from val. Returns NULL, or why val is not
 * a value of its type. */
static const char *set_plain(walkctx *w, const prop *p, const char *val)
{
    char *base = (char *)w->s;
    switch (p->type) {
    case T_COLOR:
        if (parse_color(val, (rgb *)(base + p->off)) != 0)
            return "a colour is written #RRGGBB (in quotes in YAML: \"#01689B\")";
        if (p->index > w->s->ntheme)
            w->s->ntheme = p->index;
        return NULL;
    case T_LENGTH:
        if (parse_length(val, (length *)(base + p->off), 1) != 0)
            return val[0] == '-' ? "a length is not negative"
                                 : "a length needs a unit: pt, mm, cm, in or em (e.g. 1.2em, 25mm)";
        return NULL;
    case T_PT: {
        length l;
        if (parse_length(val, &l, 0) != 0 || l.v < 4 || l.v > 72)
            return "the text size is a length in pt between 4pt and 72pt (e.g. 10.5pt)";
        memcpy(base + p->off, &l.v, sizeof l.v);
        return NULL;
    }
    case T_NUMBER: {
        char *end;
        double x = strtod(val, &end);
        if (end == val || *end || x < 0.8 || x > 4)
            return "a plain number between 0.8 and 4 (e.g. 1.4)";
        memcpy(base + p->off, &x, sizeof x);
        return NULL;
    }
    case T_PAPER:
        if (style_set_paper(w->s, !strcmp(val, "a4") ? "a4" : !strcmp(val, "a5") ? "a5" : val) != 0)
            return "the paper is a4 or a5";
        return NULL;
    case T_FONT:
        break;
    }
    return NULL;
}

/* The property named key, once: NULL after reporting an unknown key or
 * one set twice. Records where it is set. */
static const prop *claim_prop(walkctx *w, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    int line = (int)v->start_mark.line + 1, col = (int)v->start_mark.column + 1;
    int kline = (int)k->start_mark.line + 1, kcol = (int)k->start_mark.column + 1;
    const prop *p = NULL;
    for (size_t i = 0; i < NPROPS; i++)
        if (!strcmp(props[i].key, key))
            p = &props[i];
    if (!p) {
        unknown_name(w, kline, kcol, "property", key, &props[0].key, NPROPS, sizeof *props);
        return NULL;
    }
    size_t pi = (size_t)(p - props);
    if (w->seen_line[pi]) {
        diag_error(w->d, w->file, kline, kcol, "'%s' is set twice (first at line %d)", key, w->seen_line[pi]);
        w->bad = 1;
        return NULL;
    }
    w->seen_line[pi] = kline;
    if (pi < sizeof w->s->prop_line / sizeof *w->s->prop_line) {
        w->s->prop_line[pi] = line;
        w->s->prop_col[pi] = col;
    }
    return p;
}

/* Sets property `key` (section-key) from value node v; k is the key's node
 * (for the position of errors about the key itself). */
static void set_value(walkctx *w, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    int line = (int)v->start_mark.line + 1, col = (int)v->start_mark.column + 1;
    const prop *p = claim_prop(w, key, k, v);
    if (!p)
        return;
    if (v->type != YAML_SCALAR_NODE) {
        diag_error(w->d, w->file, line, col, "'%s' must be a single value", key);
        w->bad = 1;
        return;
    }
    const char *val = arena_strndup(w->a, (const char *)v->data.scalar.value, v->data.scalar.length);
    if (!*val) {
        diag_error(w->d, w->file, line, col, "'%s' has no value%s", key,
                   p->type == T_COLOR ? " (in YAML '#' starts a comment: write a colour in quotes, \"#01689B\")" : "");
        w->bad = 1;
        return;
    }
    const char *why = p->type == T_FONT ? set_font(w, p->index, val, line, col) : set_plain(w, p, val);
    if (why) {
        diag_error(w->d, w->file, line, col, "'%s: %s': %s", key, val, why);
        w->bad = 1;
    }
}

static void defaults(style *s)
{
    memset(s, 0, sizeof *s);
    s->size = 10.5;
    s->leading = 1.4;
    s->par_indent = (length){1.2, 1};
    s->list_indent = (length){1.6, 1};
    s->quote_indent = (length){1.6, 1};
    s->code_size = (length){0.88, 1};
    s->h_size[0] = (length){2, 1};
    s->h_size[1] = (length){1.4, 1};
    s->h_size[2] = (length){1.15, 1};
    s->h_size[3] = (length){1, 1};
    s->h_before = (length){1.4, 1};
    s->h_after = (length){0.5, 1};
    s->note_size = (length){0.82, 1};
    s->note_rule = (length){6, 1};
    s->table_size = (length){0.92, 1};
    s->table_pad = (length){0.35, 1};
    s->table_rule = (length){0.5, 0};
    s->margin_top = s->margin_bottom = s->margin_inner = s->margin_outer = (length){25 * 72 / 25.4, 0};
    style_set_paper(s, "a4");
}

/* Replaces var(--name) in the template with the values as written in
 * style.yaml (font families get their family name, quoted). */
static int fill_css(style *s, const char *tmpl, size_t len, const char *file,
                    const char **names, const char **values, int n, arena *a, diag *d)
{
    buf out = {0};
    int bad = 0, line = 1;
    size_t i = 0, line_start = 0;
    while (i < len) {
        if (tmpl[i] == '\n' || (tmpl[i] == '\r' && (i + 1 >= len || tmpl[i + 1] != '\n')))
            line++, line_start = i + 1; /* LF, CRLF or CR alone */
        if (i + 6 < len && !memcmp(tmpl + i, "var(--", 6)) {
            size_t j = i + 6;
            while (j < len && tmpl[j] != ')' && j - i < 80)
                j++;
            if (j >= len || tmpl[j] != ')') {
                diag_error(d, file, line, (int)(i - line_start) + 1, "unterminated var(");
                bad = 1;
                break;
            }
            size_t nl = j - (i + 6);
            const char *val = NULL;
            for (int k = 0; k < n; k++)
                if (strlen(names[k]) == nl && !memcmp(names[k], tmpl + i + 6, nl))
                    val = values[k];
            if (!val) {
                diag_error(d, file, line, (int)(i - line_start) + 1, "var(--%.*s) names no property of style.yaml",
                           (int)nl, tmpl + i + 6);
                bad = 1;
                val = "";
            }
            buf_puts(&out, val);
            i = j + 1;
            continue;
        }
        buf_putc(&out, tmpl[i]);
        i++;
    }
    size_t olen;
    char *css = buf_detach(&out, &olen);
    s->css = arena_strndup(a, css, olen);
    s->css_len = olen;
    free(css);
    return bad ? -1 : 0;
}

void style_free(style *s)
{
    for (int r = 0; r < FONT_COUNT; r++) {
        hb_blob_destroy(s->font_blob[r]); /* NULL-safe */
        s->font_blob[r] = NULL;
    }
}

/* The properties of section sec (map v); each one set without a problem
 * becomes a CSS variable. */
static void walk_section(walkctx *w, yaml_document_t *doc, const char *sec, yaml_node_t *v)
{
    for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
        yaml_node_t *k2 = yaml_document_get_node(doc, q->key);
        yaml_node_t *v2 = yaml_document_get_node(doc, q->value);
        if (!k2 || !v2 || k2->type != YAML_SCALAR_NODE)
            continue;
        const char *key = arena_printf(w->a, "%s-%s", sec, (const char *)k2->data.scalar.value);
        int before = w->bad;
        set_value(w, key, k2, v2);
        if (!w->bad && !before && v2->type == YAML_SCALAR_NODE && w->nv < (int)NPROPS) {
            w->names[w->nv] = key;
            w->values[w->nv] = arena_strndup(w->a, (const char *)v2->data.scalar.value, v2->data.scalar.length);
            w->nv++;
        }
    }
}

/* The sections of style.yaml's root map. */
static void walk_root(walkctx *w, yaml_document_t *doc)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        diag_error(w->d, w->file, 1, 1, "style.yaml must be a map of sections (fonts:, colors:, text:, ...)");
        w->bad = 1;
        return;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        const char *sec = (const char *)k->data.scalar.value;
        int line = (int)k->start_mark.line + 1, col = (int)k->start_mark.column + 1;
        if (!known_section(sec)) {
            unknown_name(w, line, col, "section", sec, sections, NSECTIONS, sizeof *sections);
            continue;
        }
        if (v->type != YAML_MAPPING_NODE) {
            diag_error(w->d, w->file, line, col, "'%s' must be a section of 'key: value' lines", sec);
            w->bad = 1;
            continue;
        }
        walk_section(w, doc, sec, v);
    }
}

/* Reads style.yaml of folder dir (real path dir_real) and sets the
 * properties it holds. Returns 0, or -1 when the file cannot be read or
 * parsed (w->bad tells of wrong properties). */
static int read_properties(walkctx *w, const char *dir, const char *dir_real)
{
    size_t len;
    char why[PATH_WHY];
    char *text = path_read(dir_real, dir, "style folder", "style.yaml", STYLE_MAX_FILE, &len, why);
    if (!text) {
        diag_error(w->d, w->file, 0, 0, "cannot read the style: %s", why);
        return -1;
    }
    char *fonts_real = realpath(w->fonts_dir, NULL);
    w->fonts_real = fonts_real;
    if (FT_Init_FreeType(&w->ft)) {
        diag_error(w->d, NULL, 0, 0, "cannot initialise FreeType");
        free(text);
        free(fonts_real);
        return -1;
    }
    input in;
    int rd = input_read(&in, text, len, w->file, INPUT_YAML, w->d);
    free(text);
    yaml_document_t doc;
    int rc = -1;
    if (rd == 0 && yamldoc_load(in.data, in.len, w->file, &doc, w->d) == 0) {
        walk_root(w, &doc);
        yaml_document_delete(&doc);
        rc = 0;
    }
    input_free(&in);
    FT_Done_FreeType(w->ft);
    free(fonts_real);
    w->fonts_real = NULL;
    return rc;
}

/* The font families as CSS variables. */
static void family_vars(walkctx *w)
{
    static const char *const famvars[FONT_COUNT] = {
        "fonts-body-family", NULL, NULL, NULL, "fonts-heading-family", NULL, NULL, "fonts-mono-family"};
    for (int r = 0; r < FONT_COUNT; r++) {
        if (!famvars[r])
            continue;
        w->names[w->nv] = famvars[r];
        w->values[w->nv] = arena_printf(w->a, "\"%s\"", w->s->font_family[r]);
        w->nv++;
    }
}

/* Reads the style sheet template epub.css and fills in the variables. */
static int load_css(style *s, const char *dir, const char *dir_real, arena *a, diag *d)
{
    const char *cssfile = arena_printf(a, "%s/epub.css", dir);
    size_t len;
    char why[PATH_WHY];
    char *tmpl = path_read(dir_real, dir, "style folder", "epub.css", STYLE_MAX_FILE, &len, why);
    if (!tmpl) {
        diag_error(d, cssfile, 0, 0, "cannot read the style sheet: %s", why);
        return -1;
    }
    int rc = fill_css(s, tmpl, len, cssfile, s->var_names, s->var_values, s->nvars, a, d);
    free(tmpl);
    return rc;
}

int style_load(style *s, const char *dir, const char *fonts_dir, arena *a, diag *d)
{
    defaults(s);
    const char *file = arena_printf(a, "%s/style.yaml", dir);
    s->file = file;
    char *dir_real = realpath(dir, NULL);
    if (!dir_real) {
        diag_error(d, dir, 0, 0, "cannot read the style folder: %s", strerror(errno));
        return -1;
    }
    walkctx w = {.s = s, .file = file, .fonts_dir = fonts_dir, .a = a, .d = d};
    w.names = arena_alloc(a, (NPROPS + FONT_COUNT) * sizeof *w.names);
    w.values = arena_alloc(a, (NPROPS + FONT_COUNT) * sizeof *w.values);
    if (read_properties(&w, dir, dir_real) != 0) {
        free(dir_real);
        return -1;
    }
    /* every font role is required (the first missing one is reported) */
    for (int r = 0; r < FONT_COUNT && !w.bad; r++)
        if (!s->font_path[r]) {
            diag_error(d, file, 1, 1, "missing font '%s:'", style_font_key(r));
            w.bad = 1;
        }
    int rc = -1;
    if (!w.bad) {
        family_vars(&w);
        s->var_names = w.names;
        s->var_values = w.values;
        s->nvars = w.nv;
        rc = load_css(s, dir, dir_real, a, d);
    }
    free(dir_real);
    return rc;
}
