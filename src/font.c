/* font — see font.h.
 *
 * Two views of one file: FreeType (for cairo, which embeds and subsets the
 * font in the PDF) and a HarfBuzz font built from the same bytes with
 * HarfBuzz's own OpenType functions. Rejected: hb_ft_font_create, whose
 * FT_Face is not safe to use from several threads.
 */
#include "font.h"

#include <cairo-ft.h>
#include <hb-ot.h>
#include <pthread.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int feature_any_script(hb_face_t *face, hb_tag_t feat)
{
    unsigned int n = hb_ot_layout_table_get_feature_tags(face, HB_OT_TAG_GSUB, 0, NULL, NULL);
    hb_tag_t tags[256];
    unsigned int cnt = n < 256 ? n : 256;
    hb_ot_layout_table_get_feature_tags(face, HB_OT_TAG_GSUB, 0, &cnt, tags);
    for (unsigned i = 0; i < cnt; i++)
        if (tags[i] == feat)
            return 1;
    return 0;
}

/* cairo keeps font faces (and the FT_Face under them) in its caches after
 * cairo_font_face_destroy, and finds a cached face again by the FT_Face's
 * address: freeing the FT_Face ourselves left a dangling face that the
 * next build's FT_Face, allocated at the same address, ran into (other
 * glyph advances: watch mode and a second build in one process wrote other
 * bytes). So each FT_Face is freed when cairo frees its font face, and the
 * FT_Library when the last of its faces and the fontset are gone. */
typedef struct ft_lib_ref {
    FT_Library lib;
    int refs;
} ft_lib_ref;

static pthread_mutex_t ft_ref_lock = PTHREAD_MUTEX_INITIALIZER;
static const cairo_user_data_key_t ft_face_key;

static void lib_unref(ft_lib_ref *r)
{
    pthread_mutex_lock(&ft_ref_lock);
    int last = --r->refs == 0;
    pthread_mutex_unlock(&ft_ref_lock);
    if (last) {
        FT_Done_FreeType(r->lib);
        free(r);
    }
}

typedef struct face_ref {
    FT_Face face;
    ft_lib_ref *lib;
} face_ref;

static void face_done(void *p)
{
    face_ref *fr = p;
    pthread_mutex_lock(&ft_ref_lock);
    FT_Done_Face(fr->face);
    pthread_mutex_unlock(&ft_ref_lock);
    lib_unref(fr->lib);
    free(fr);
}

int fonts_load(fontset *fs, const style *s, diag *d)
{
    memset(fs, 0, sizeof *fs);
    FT_Library lib;
    if (FT_Init_FreeType(&lib)) {
        diag_error(d, NULL, 0, 0, "cannot initialise FreeType");
        return -1;
    }
    ft_lib_ref *lr = xcalloc(1, sizeof *lr);
    lr->lib = lib;
    lr->refs = 1; /* the fontset's */
    fs->ft_lib = lr;
    for (int r = 0; r < FONT_COUNT; r++) {
        gb_font *f = &fs->f[r];
        /* the same file for two roles: share nothing, load twice (cheap) */
        FT_Face face;
        if (FT_New_Face(lib, s->font_path[r], 0, &face)) {
            diag_error(d, s->font_path[r], 0, 0, "cannot load the font (missing or corrupt file)");
            return -1;
        }
        f->ft_face = face;
        f->upem = face->units_per_EM ? face->units_per_EM : 1000;
        f->ascender = face->ascender / f->upem;
        f->descender = face->descender / f->upem;
        TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
        f->cap_height = os2 && os2->version >= 2 && os2->sCapHeight ? os2->sCapHeight / f->upem : 0.7;
        f->x_height = os2 && os2->version >= 2 && os2->sxHeight ? os2->sxHeight / f->upem : 0.45;
        hb_blob_t *blob = hb_blob_create_from_file(s->font_path[r]);
        hb_face_t *hf = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
        f->hb = hb_font_create(hf);
        hb_font_set_scale(f->hb, (int)f->upem, (int)f->upem);
        f->has_onum = feature_any_script(hf, HB_TAG('o', 'n', 'u', 'm'));
        f->has_pnum = feature_any_script(hf, HB_TAG('p', 'n', 'u', 'm'));
        f->has_tnum = feature_any_script(hf, HB_TAG('t', 'n', 'u', 'm'));
        f->has_lnum = feature_any_script(hf, HB_TAG('l', 'n', 'u', 'm'));
        hb_face_destroy(hf);
        hb_font_make_immutable(f->hb);
        f->cairo = cairo_ft_font_face_create_for_ft_face(face, 0);
        face_ref *fr = xmalloc(sizeof *fr);
        fr->face = face;
        fr->lib = lr;
        pthread_mutex_lock(&ft_ref_lock);
        lr->refs++;
        pthread_mutex_unlock(&ft_ref_lock);
        if (cairo_font_face_set_user_data(f->cairo, &ft_face_key, fr, face_done) != CAIRO_STATUS_SUCCESS) {
            face_done(fr); /* no cairo face to wait for */
            f->ft_face = NULL;
        }
    }
    return 0;
}

void fonts_free(fontset *fs)
{
    for (int r = 0; r < FONT_COUNT; r++) {
        gb_font *f = &fs->f[r];
        if (f->cairo)
            cairo_font_face_destroy(f->cairo);
        if (f->hb)
            hb_font_destroy(f->hb);
    }
    /* each FT_Face goes when cairo lets its font face go (face_done) */
    if (fs->ft_lib)
        lib_unref(fs->ft_lib);
    memset(fs, 0, sizeof *fs);
}

int font_has(const gb_font *f, uint32_t cp)
{
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(f->hb, cp, &g);
}

double font_advance(const gb_font *f, double size, uint32_t cp)
{
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(f->hb, cp, &g))
        return 0;
    return hb_font_get_glyph_h_advance(f->hb, g) * size / f->upem;
}

void shape(const gb_font *f, double size, const char *text, size_t len, const char *features,
           const char *lang, shaped *out)
{
    memset(out, 0, sizeof *out);
    hb_buffer_t *hb = hb_buffer_create();
    hb_buffer_add_utf8(hb, text, (int)len, 0, (int)len);
    hb_buffer_set_direction(hb, HB_DIRECTION_LTR);
    hb_buffer_set_script(hb, HB_SCRIPT_LATIN);
    hb_buffer_set_language(hb, hb_language_from_string(lang ? lang : "en", -1));
    hb_buffer_set_cluster_level(hb, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_feature_t feats[8];
    unsigned nf = 0;
    if (features) {
        const char *p = features;
        while (*p && nf < 8) {
            const char *e = strchr(p, ',');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (hb_feature_from_string(p, (int)l, &feats[nf]))
                nf++;
            p += l + (e ? 1 : 0);
        }
    }
    hb_shape(f->hb, hb, feats, nf);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(hb, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(hb, &n);
    out->n = (int)n;
    out->gid = xmalloc((n + 1) * sizeof *out->gid);
    out->adv = xmalloc((n + 1) * sizeof *out->adv);
    out->dx = xmalloc((n + 1) * sizeof *out->dx);
    out->dy = xmalloc((n + 1) * sizeof *out->dy);
    out->cluster = xmalloc((n + 1) * sizeof *out->cluster);
    double k = size / f->upem, w = 0;
    for (unsigned i = 0; i < n; i++) {
        out->gid[i] = info[i].codepoint;
        out->cluster[i] = info[i].cluster;
        out->adv[i] = pos[i].x_advance * k;
        out->dx[i] = pos[i].x_offset * k;
        out->dy[i] = pos[i].y_offset * k;
        w += out->adv[i];
    }
    out->width = w;
    hb_buffer_destroy(hb);
}

void shaped_free(shaped *s)
{
    free(s->gid);
    free(s->adv);
    free(s->dx);
    free(s->dy);
    free(s->cluster);
    memset(s, 0, sizeof *s);
}

/* ---- shape cache ---- */

typedef struct centry {
    char *key;     /* font id, size, features, text: see make_key */
    size_t klen;
    shaped sh;
} centry;

struct shape_cache {
    centry *v;
    size_t n, cap; /* open addressing, cap a power of two */
};

shape_cache *shape_cache_new(void)
{
    shape_cache *c = xcalloc(1, sizeof *c);
    c->cap = 1024;
    c->v = xcalloc(c->cap, sizeof *c->v);
    return c;
}

static size_t cache_slot(const centry *v, size_t cap, const char *key, size_t klen, unsigned long long h)
{
    size_t i = (size_t)h & (cap - 1);
    while (v[i].key && !(v[i].klen == klen && !memcmp(v[i].key, key, klen)))
        i = (i + 1) & (cap - 1);
    return i;
}

const shaped *shape_cached(shape_cache *c, const gb_font *f, int font_id, double size, const char *text,
                           size_t len, const char *features, const char *lang)
{
    /* key: font id, size bits, feature string pointer, text */
    char stackkey[256];
    size_t klen = sizeof font_id + sizeof size + sizeof features + len;
    char *key = klen <= sizeof stackkey ? stackkey : xmalloc(klen);
    memcpy(key, &font_id, sizeof font_id);
    memcpy(key + sizeof font_id, &size, sizeof size);
    memcpy(key + sizeof font_id + sizeof size, &features, sizeof features);
    memcpy(key + sizeof font_id + sizeof size + sizeof features, text, len);
    unsigned long long h = hash_bytes(1469598103934665603ULL, key, klen);
    size_t i = cache_slot(c->v, c->cap, key, klen, h);
    if (c->v[i].key) {
        if (key != stackkey)
            free(key);
        return &c->v[i].sh;
    }
    if ((c->n + 1) * 2 > c->cap) {
        size_t cap = c->cap * 2;
        centry *nv = xcalloc(cap, sizeof *nv);
        for (size_t k = 0; k < c->cap; k++)
            if (c->v[k].key) {
                unsigned long long hk = hash_bytes(1469598103934665603ULL, c->v[k].key, c->v[k].klen);
                nv[cache_slot(nv, cap, c->v[k].key, c->v[k].klen, hk)] = c->v[k];
            }
        free(c->v);
        c->v = nv;
        c->cap = cap;
        i = cache_slot(c->v, c->cap, key, klen, h);
    }
    centry *e = &c->v[i];
    e->key = key != stackkey ? key : xstrndup(key, klen);
    e->klen = klen;
    shape(f, size, text, len, features, lang, &e->sh);
    c->n++;
    return &e->sh;
}

void shape_cache_free(shape_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->cap; i++)
        if (c->v[i].key) {
            free(c->v[i].key);
            shaped_free(&c->v[i].sh);
        }
    free(c->v);
    free(c);
}
