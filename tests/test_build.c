/* test_build — the pieces of the build pipeline that are not visible in
 * one output file alone: the PNG writer (every image decodes to exactly
 * its pixels), the EPUB's fonts subset ahead of the layout (a character
 * that only the parsed text has still gets its glyph), and builds that
 * give the same bytes whatever the thread count. */
#include <hb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>

#include "model/book.h"
#include "build.h"
#include "harness.h"
#include "draw/pngenc.h"
#include "model/style.h"
#include "base/util.h"

/* ---- PNG ---- */

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decodes our PNG (RGB 8-bit, filters 0-4) and compares with the pixels. */
static int png_matches(const char *png, size_t len, const uint32_t *px, int w, int h, char *why, size_t whylen)
{
    const unsigned char *p = (const unsigned char *)png;
    if (len < 8 || memcmp(p, "\x89PNG\r\n\x1a\n", 8)) {
        snprintf(why, whylen, "no PNG signature");
        return 0;
    }
    buf idat = {0};
    size_t i = 8;
    int pw = 0, ph = 0;
    while (i + 12 <= len) {
        uint32_t n = rd32(p + i);
        if (i + 12 + n > len) {
            snprintf(why, whylen, "chunk past the end");
            buf_free(&idat);
            return 0;
        }
        if (crc32(0, p + i + 4, n + 4) != rd32(p + i + 8 + n)) {
            snprintf(why, whylen, "bad chunk CRC");
            buf_free(&idat);
            return 0;
        }
        if (!memcmp(p + i + 4, "IHDR", 4)) {
            pw = (int)rd32(p + i + 8);
            ph = (int)rd32(p + i + 12);
        } else if (!memcmp(p + i + 4, "IDAT", 4)) {
            buf_add(&idat, p + i + 8, n);
        }
        i += 12 + n;
    }
    if (pw != w || ph != h) {
        snprintf(why, whylen, "size %dx%d", pw, ph);
        buf_free(&idat);
        return 0;
    }
    size_t rowlen = (size_t)w * 3 + 1;
    uLongf rawlen = (uLongf)(rowlen * (size_t)h);
    unsigned char *raw = malloc(rawlen + 1);
    uLongf got = rawlen + 1;
    int zr = uncompress(raw, &got, (const Bytef *)idat.data, (uLong)idat.len);
    buf_free(&idat);
    if (zr != Z_OK || got != rawlen) {
        snprintf(why, whylen, "zlib %d, %lu bytes of %lu", zr, (unsigned long)got, (unsigned long)rawlen);
        free(raw);
        return 0;
    }
    unsigned char *prev = calloc(rowlen, 1), *cur = malloc(rowlen);
    int ok = 1;
    for (int y = 0; y < h && ok; y++) {
        const unsigned char *r = raw + (size_t)y * rowlen;
        for (size_t k = 1; k < rowlen; k++) {
            unsigned a = k > 3 ? cur[k - 3] : 0, b = prev[k], c = k > 3 ? prev[k - 3] : 0, v = r[k];
            switch (r[0]) {
            case 0: break;
            case 1: v += a; break;
            case 2: v += b; break;
            case 3: v += (a + b) / 2; break;
            default: {
                int pa = abs((int)b - (int)c), pb = abs((int)a - (int)c), pc = abs((int)a + (int)b - 2 * (int)c);
                v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
            }
            cur[k] = (unsigned char)v;
        }
        for (int x = 0; x < w && ok; x++) {
            uint32_t want = px[(size_t)y * (size_t)w + (size_t)x] & 0xFFFFFFu;
            uint32_t have = (uint32_t)cur[1 + 3 * x] << 16 | (uint32_t)cur[2 + 3 * x] << 8 | cur[3 + 3 * x];
            if (want != have) {
                snprintf(why, whylen, "pixel %d,%d is %06X, want %06X", x, y, have, want);
                ok = 0;
            }
        }
        memcpy(prev, cur, rowlen);
    }
    free(prev);
    free(cur);
    free(raw);
    return ok;
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_png(void)
{
    /* sizes around the run lengths of the hand-made blocks (258, 3..)
     * and images of only repeated rows, only distinct rows, and mixes */
    static const int sizes[][2] = {{1, 1}, {1, 7}, {2, 5}, {3, 4}, {86, 3}, {87, 9}, {172, 4}, {600, 40}, {1600, 60}};
    uint32_t seed = 12345;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        int w = sizes[si][0], h = sizes[si][1];
        for (int pattern = 0; pattern < 4; pattern++) {
            uint32_t *px = malloc((size_t)w * (size_t)h * 4);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    uint32_t v;
                    if (pattern == 0)
                        v = 0x01689B; /* flat */
                    else if (pattern == 1)
                        v = rnd(&seed) & 0xFFFFFF; /* noise */
                    else if (pattern == 2)
                        v = (y / 3) % 2 ? 0xFFFFFF : (uint32_t)(x * 7) & 0xFF; /* bands of repeated rows */
                    else
                        v = y % 5 == 0 ? rnd(&seed) & 0xFFFFFF : 0xF4F8FB; /* runs between text rows */
                    /* cairo leaves the top byte undefined in RGB24 */
                    px[(size_t)y * (size_t)w + (size_t)x] = v | (rnd(&seed) & 0xFF000000u);
                }
            /* repeated rows must repeat exactly, top byte included, for the
             * writer to see them: copy whole rows for the patterns above */
            for (int y = 1; y < h; y++) {
                int same = pattern == 0 || (pattern == 2 && y % 3) || (pattern == 3 && y % 5);
                if (same)
                    memcpy(px + (size_t)y * (size_t)w, px + (size_t)(y - 1) * (size_t)w, (size_t)w * 4);
            }
            size_t len = 0;
            char *png = png_encode_rgb24((const unsigned char *)px, w, h, w * 4, &len);
            char why[128] = "";
            CHECK(png && png_matches(png, len, px, w, h, why, sizeof why), "PNG %dx%d pattern %d decodes to its pixels %s",
                  w, h, pattern, why);
            free(png);
            free(px);
        }
    }
}

/* ---- the EPUB's fonts ---- */

/* Does the EPUB's font file `name` have a glyph for cp? */
static int epub_font_has(const char *epub, size_t len, const char *name, uint32_t cp)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(epub, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    int has = -1;
    if (za) {
        zip_stat_t st;
        zip_file_t *f = NULL;
        if (zip_stat(za, name, 0, &st) == 0 && (f = zip_fopen(za, name, 0))) {
            char *data = malloc(st.size);
            if (zip_fread(f, data, st.size) == (zip_int64_t)st.size) {
                hb_blob_t *blob = hb_blob_create(data, (unsigned)st.size, HB_MEMORY_MODE_READONLY, NULL, NULL);
                hb_face_t *face = hb_face_create(blob, 0);
                hb_font_t *font = hb_font_create(face);
                hb_codepoint_t g;
                has = hb_font_get_nominal_glyph(font, cp, &g) ? 1 : 0;
                hb_font_destroy(font);
                hb_face_destroy(face);
                hb_blob_destroy(blob);
            }
            free(data);
            zip_fclose(f);
        }
        zip_close(za);
    } else if (src) {
        zip_source_free(src);
    }
    zip_error_fini(&ze);
    return has;
}

static int build_book(const char *const *names, const char *const *data, int n, build_out *out, int threads)
{
    size_t lens[8];
    for (int i = 0; i < n; i++)
        lens[i] = strlen(data[i]);
    diag d = {0};
    book *b = book_load_mem(names, data, lens, (size_t)n, &d);
    style s = {0};
    arena a = {0};
    int rc = -1;
    char nt[8];
    snprintf(nt, sizeof nt, "%d", threads);
    setenv("GOODIEBAG_THREADS", nt, 1);
    if (b && d.errors == 0 && style_load(&s, "styles", "fonts", &a, &d) == 0) {
        build_opts o = {.epub = 1, .pdf = 1, .cover_w = 160, .cover_h = 240};
        rc = build_run(b, &s, &o, out, &d);
    }
    if (rc != 0)
        for (size_t i = 0; i < d.n; i++)
            printf("# %s\n", d.v[i].msg);
    unsetenv("GOODIEBAG_THREADS");
    book_free(b);
    style_free(&s);
    arena_free(&a);
    diag_free(&d);
    return rc;
}

static void test_fonts_ahead(void)
{
    /* é, ï and ŵ appear only as entities: the fonts subset from the
     * sources lack them, the EPUB must subset again */
    const char *names[] = {"book.yaml", "01.md"};
    const char *data[] = {"name: t\ntitle: Fonts\nauthor: A\npublisher: P\nlang: nl\ndate: 2021-01-01\nchapters: [01.md]\n",
                          "# Caf&eacute;\n\nNa&iuml;ef en &#x175;, *cursief &eacute;*.\n"};
    build_out out;
    int rc = build_book(names, data, 2, &out, 2);
    CHECK(rc == 0, "a book with characters written only as entities builds");
    if (rc == 0) {
        CHECK(epub_font_has(out.epub, out.epub_len, "EPUB/fonts/LinLibertine_R.otf", 0xE9) == 1,
              "the EPUB's body font has é (written only as &eacute;)");
        CHECK(epub_font_has(out.epub, out.epub_len, "EPUB/fonts/LinLibertine_R.otf", 0xEF) == 1,
              "the EPUB's body font has ï (written only as &iuml;)");
        CHECK(epub_font_has(out.epub, out.epub_len, "EPUB/fonts/LinLibertine_RI.otf", 0xE9) == 1,
              "the EPUB's italic font has é");
        CHECK(epub_font_has(out.epub, out.epub_len, "EPUB/fonts/LinLibertine_R.otf", 0x4E2D) == 0,
              "and still no glyph the book does not use (中)");
        build_out again;
        int rc2 = build_book(names, data, 2, &again, 1);
        CHECK(rc2 == 0 && again.epub_len == out.epub_len && !memcmp(again.epub, out.epub, out.epub_len) &&
                  again.pdf_len == out.pdf_len && !memcmp(again.pdf, out.pdf, out.pdf_len),
              "the same bytes with one thread and with two");
        if (rc2 == 0)
            build_out_free(&again);
        build_out_free(&out);
    }
}

int main(void)
{
    test_png();
    test_fonts_ahead();
    HARNESS_EXIT();
}
