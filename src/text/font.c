/* font — see font.h.
 *
 * Two views of one file: FreeType (for cairo, which embeds and subsets the
 * font in the PDF) and a HarfBuzz font built from the same bytes with
 * HarfBuzz's own OpenType functions. Rejected: hb_ft_font_create, whose
 * FT_Face is not safe to use from several threads.
 */
#include "text/font.h"

#include <cairo-ft.h>
#include <hb-ot.h>
#include <pthread.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/util.h"

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

/* What shaping learnt about a font's glyphs: per glyph 0 (not yet met),
 * GLYPH_OK or GLYPH_DAMAGED, and the first damaged glyph met in this build
 * (id + 1, 0 for none). Relaxed atomics: two threads that meet a new glyph
 * at once both check it and store the same answer. */
enum { GLYPH_OK = 1, GLYPH_DAMAGED = 2 };

struct font_health {
    unsigned nglyphs;
    atomic_uchar *state;
    atomic_uint first_gid1;
    atomic_uint first_cp;
};

/* What a cairo font face keeps alive: cairo holds faces in its caches after
 * we drop them and finds them again by the FT_Face's address, so the face,
 * its library and its bytes must live until cairo lets go of the face (a
 * face freed earlier could be found again by a later build's new face at the
 * same address, with the old face's metrics). */
/* The FreeType library, counted: the fontset holds one reference and every
 * face that cairo may still hold one more; the last one done frees it. */
typedef struct ft_lib_ref {
    FT_Library lib;
    int refs; /* guarded by ft_lock */
} ft_lib_ref;

typedef struct face_owner {
    ft_lib_ref *lib;
    FT_Face face;
    hb_blob_t *blob;
} face_owner;

/* cairo may let a face go on any thread that draws: FreeType's library
 * (its list of faces) and the count are guarded by this lock. */
static pthread_mutex_t ft_lock = PTHREAD_MUTEX_INITIALIZER;

/* Drops one reference to r; call with ft_lock held. */
static void lib_unref_locked(ft_lib_ref *r)
{
    if (--r->refs == 0) {
        FT_Done_FreeType(r->lib);
        free(r);
    }
}

static void face_owner_free(void *p)
{
    face_owner *o = p;
    pthread_mutex_lock(&ft_lock);
    FT_Done_Face(o->face);
    lib_unref_locked(o->lib);
    pthread_mutex_unlock(&ft_lock);
    hb_blob_destroy(o->blob);
    free(o);
}

static const cairo_user_data_key_t face_owner_key;

/* Returns a cairo font face for face that owns face, a reference to lib and
 * one to blob. */
static cairo_font_face_t *cairo_face_owning(ft_lib_ref *lib, FT_Face face, hb_blob_t *blob)
{
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(face, 0);
    face_owner *o = xmalloc(sizeof *o);
    *o = (face_owner){lib, face, hb_blob_reference(blob)};
    pthread_mutex_lock(&ft_lock);
    lib->refs++;
    pthread_mutex_unlock(&ft_lock);
    if (cairo_font_face_set_user_data(cf, &face_owner_key, o, face_owner_free) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "goodiebag: out of memory\n");
        exit(3);
    }
    return cf;
}

int fonts_load(fontset *fs, const style *s, diag *d)
{
    memset(fs, 0, sizeof *fs);
    FT_Library lib;
    if (FT_Init_FreeType(&lib)) {
        diag_error(d, NULL, 0, 0, "cannot initialise FreeType");
        return -1;
    }
    ft_lib_ref *lr = xmalloc(sizeof *lr);
    *lr = (ft_lib_ref){lib, 1}; /* the fontset's reference */
    fs->ft_lib = lr;
    for (int r = 0; r < FONT_COUNT; r++) {
        gb_font *f = &fs->f[r];
        /* the same file for two roles: share the bytes, load the faces
         * twice (cheap) */
        f->blob = hb_blob_reference(s->font_blob[r]);
        unsigned len = 0;
        const char *data = hb_blob_get_data(f->blob, &len);
        FT_Face face;
        pthread_mutex_lock(&ft_lock);
        int failed = !len || FT_New_Memory_Face(lib, (const FT_Byte *)data, (FT_Long)len, 0, &face);
        pthread_mutex_unlock(&ft_lock);
        if (failed) {
            diag_error(d, s->file, s->font_line[r], s->font_col[r], "the font '%s' for '%s' cannot be loaded",
                       s->font_file[r], style_font_key(r));
            return -1;
        }
        f->ft_face = face;
        f->upem = face->units_per_EM ? face->units_per_EM : 1000;
        f->ascender = face->ascender / f->upem;
        f->descender = face->descender / f->upem;
        TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
        f->cap_height = os2 && os2->version >= 2 && os2->sCapHeight ? os2->sCapHeight / f->upem : 0.7;
        f->x_height = os2 && os2->version >= 2 && os2->sxHeight ? os2->sxHeight / f->upem : 0.45;
        hb_face_t *hf = hb_face_create(f->blob, 0);
        f->hb = hb_font_create(hf);
        hb_font_set_scale(f->hb, (int)f->upem, (int)f->upem);
        f->has_onum = feature_any_script(hf, HB_TAG('o', 'n', 'u', 'm'));
        f->has_pnum = feature_any_script(hf, HB_TAG('p', 'n', 'u', 'm'));
        f->has_tnum = feature_any_script(hf, HB_TAG('t', 'n', 'u', 'm'));
        f->has_lnum = feature_any_script(hf, HB_TAG('l', 'n', 'u', 'm'));
        f->health = xcalloc(1, sizeof *f->health);
        f->health->nglyphs = hb_face_get_glyph_count(hf);
        f->health->state = xcalloc(f->health->nglyphs + 1, sizeof *f->health->state);
        hb_face_destroy(hf);
        hb_font_make_immutable(f->hb);
        f->cairo = cairo_face_owning(lr, face, f->blob);
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
        if (f->health) {
            free(f->health->state);
            free(f->health);
        }
    }
    /* A face that became a cairo face is freed with it (face_owner); the
     * library goes when its last face does. */
    pthread_mutex_lock(&ft_lock);
    for (int r = 0; r < FONT_COUNT; r++)
        if (fs->f[r].ft_face && !fs->f[r].cairo)
            FT_Done_Face((FT_Face)fs->f[r].ft_face);
    if (fs->ft_lib)
        lib_unref_locked(fs->ft_lib);
    pthread_mutex_unlock(&ft_lock);
    for (int r = 0; r < FONT_COUNT; r++)
        hb_blob_destroy(fs->f[r].blob); /* after the faces made from it */
    memset(fs, 0, sizeof *fs);
}

void fonts_damage_reset(const fontset *fs)
{
    for (int r = 0; r < FONT_COUNT; r++)
        if (fs->f[r].health)
            atomic_store_explicit(&fs->f[r].health->first_gid1, 0, memory_order_relaxed);
}

int font_damaged(const gb_font *f, unsigned *gid, uint32_t *cp)
{
    if (!f->health)
        return 0;
    unsigned g1 = atomic_load_explicit(&f->health->first_gid1, memory_order_relaxed);
    if (!g1)
        return 0;
    *gid = g1 - 1;
    *cp = atomic_load_explicit(&f->health->first_cp, memory_order_relaxed);
    return 1;
}

/* Is glyph g readable? Checked once per glyph (HarfBuzz reads its outline,
 * about 3 us), then remembered. */
static int glyph_ok(const gb_font *f, hb_codepoint_t g, const char *text, size_t len, uint32_t cluster)
{
    font_health *h = f->health;
    if (!h)
        return 1;
    if (g >= h->nglyphs)
        return g == 0; /* out of range: never drawn */
    unsigned char st = atomic_load_explicit(&h->state[g], memory_order_relaxed);
    if (!st) {
        hb_glyph_extents_t ext;
        st = hb_font_get_glyph_extents(f->hb, g, &ext) ? GLYPH_OK : GLYPH_DAMAGED;
        atomic_store_explicit(&h->state[g], st, memory_order_relaxed);
    }
    if (st == GLYPH_OK)
        return 1;
    unsigned none = 0;
    int l;
    uint32_t cp = cluster < len ? utf8_decode(text + cluster, len - cluster, &l) : 0;
    if (atomic_compare_exchange_strong_explicit(&h->first_gid1, &none, g + 1, memory_order_relaxed,
                                                memory_order_relaxed))
        atomic_store_explicit(&h->first_cp, cp, memory_order_relaxed);
    return 0;
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
        out->gid[i] = glyph_ok(f, info[i].codepoint, text, len, info[i].cluster) ? info[i].codepoint : 0;
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
