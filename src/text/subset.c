/* subset — see subset.h. */
#include "text/subset.h"

#include <hb-subset.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/util.h"

struct cpset {
    hb_set_t *set;
};

cpset *cpset_new(void)
{
    cpset *s = xmalloc(sizeof *s);
    s->set = hb_set_create();
    /* printable ASCII and common punctuation, so that text a reader adds
     * (search, notes) still shows in the embedded fonts */
    hb_set_add_range(s->set, 0x20, 0x7E);
    static const uint32_t extra[] = {0xA0, 0xAB, 0xBB, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
                                     0x201E, 0x2026, 0x2022, 0x20AC};
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        hb_set_add(s->set, extra[i]);
    return s;
}

void cpset_add_utf8(cpset *s, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            i++;
            continue; /* ASCII is already in */
        }
        int l;
        uint32_t cp = utf8_decode(text + i, len - i, &l);
        if (cp != 0xFFFD || l == 3)
            hb_set_add(s->set, cp);
        i += (size_t)l;
    }
}

void cpset_free(cpset *s)
{
    if (!s)
        return;
    hb_set_destroy(s->set);
    free(s);
}

void cpset_union(cpset *dst, const cpset *src)
{
    hb_set_union(dst->set, src->set);
}

int cpset_covers(const cpset *big, const cpset *small)
{
    return hb_set_is_subset(small->set, big->set) ? 1 : 0;
}

char *font_subset(hb_blob_t *blob, const cpset *s, size_t *len)
{
    if (!blob)
        return NULL;
    hb_face_t *face = hb_face_create(blob, 0);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    char *out = NULL;
    if (in) {
        hb_set_union(hb_subset_input_unicode_set(in), s->set);
        /* the layout features text needs, plus the figure styles the
         * style sheet asks for; not the font's many stylistic sets, whose
         * glyph closure would keep most of the font */
        hb_set_t *feats = hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
        hb_set_clear(feats);
        static const char tags[][5] = {"kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk",
                                       "onum", "pnum", "tnum", "lnum"};
        for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
            hb_set_add(feats, HB_TAG(tags[i][0], tags[i][1], tags[i][2], tags[i][3]));
        hb_face_t *sub = hb_subset_or_fail(face, in);
        if (sub) {
            hb_blob_t *sb = hb_face_reference_blob(sub);
            unsigned int n;
            const char *data = hb_blob_get_data(sb, &n);
            if (data && n > 0) {
                out = xmalloc(n);
                memcpy(out, data, n);
                *len = n;
            }
            hb_blob_destroy(sb);
            hb_face_destroy(sub);
        }
        hb_subset_input_destroy(in);
    }
    hb_face_destroy(face);
    return out;
}
