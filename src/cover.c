/* cover — see cover.h.
 *
 * Design: a restrained government look. A vertical band in the accent
 * colour at the left (a ribbon, without any logo), the title large in the
 * heading face, the subtitle, then the book's themes as three coloured
 * discs (the "fruit" of the goodiebag) with their labels, and the
 * publisher at the foot. Everything is proportional to the page width, so
 * the same drawing serves A4, A5 and the 2:3 e-book cover.
 */
#include "cover.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

/* Draws text in one line at (x, baseline); returns its width. When
 * max_w > 0, breaks at spaces into several lines of at most max_w, moving
 * *baseline down by lh per extra line. */
static double draw_text(cairo_t *cr, const fontset *fs, int font, double size, rgb c, const char *text, double x,
                        double *baseline, double max_w, double lh, const char *lang)
{
    const gb_font *f = &fs->f[font];
    size_t len = strlen(text);
    size_t start = 0;
    double widest = 0;
    while (start < len) {
        /* the longest prefix of whole words that fits */
        size_t end = len;
        if (max_w > 0) {
            shaped probe;
            shape(f, size, text + start, len - start, "kern,liga", lang, &probe);
            double wsum = probe.width;
            shaped_free(&probe);
            if (wsum > max_w) {
                size_t best = 0;
                for (size_t k = start + 1; k < len; k++) {
                    if (text[k] != ' ')
                        continue;
                    shaped t;
                    shape(f, size, text + start, k - start, "kern,liga", lang, &t);
                    double tw = t.width;
                    shaped_free(&t);
                    if (tw <= max_w)
                        best = k;
                    else
                        break;
                }
                if (best)
                    end = best;
            }
        }
        shaped sh;
        shape(f, size, text + start, end - start, "kern,liga", lang, &sh);
        cairo_glyph_t *g = xmalloc((size_t)(sh.n + 1) * sizeof *g);
        cairo_text_cluster_t *cl = xmalloc((size_t)(sh.n + 1) * sizeof *cl);
        int ncl = 0;
        double gx = x;
        for (int i = 0; i < sh.n; i++) {
            g[i].index = sh.gid[i];
            g[i].x = gx + sh.dx[i];
            g[i].y = *baseline - sh.dy[i];
            gx += sh.adv[i];
            if (i == 0 || sh.cluster[i] != sh.cluster[i - 1]) {
                size_t next = end - start;
                for (int k = i + 1; k < sh.n; k++)
                    if (sh.cluster[k] != sh.cluster[i]) {
                        next = sh.cluster[k];
                        break;
                    }
                cl[ncl].num_bytes = (int)(next - sh.cluster[i]);
                cl[ncl].num_glyphs = 1;
                ncl++;
            } else {
                cl[ncl - 1].num_glyphs++;
            }
        }
        cairo_set_font_face(cr, f->cairo);
        cairo_set_font_size(cr, size);
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        if (sh.n)
            cairo_show_text_glyphs(cr, text + start, (int)(end - start), g, sh.n, cl, ncl, 0);
        if (sh.width > widest)
            widest = sh.width;
        free(g);
        free(cl);
        shaped_free(&sh);
        start = end;
        while (start < len && text[start] == ' ')
            start++;
        if (start < len)
            *baseline += lh;
    }
    return widest;
}

static rgb mix(rgb a, rgb b, double t)
{
    rgb r = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
    return r;
}

void cover_draw(cairo_t *cr, double w, double h, const book *b, const style *s, const fontset *fs)
{
    const meta *m = &b->meta;
    const char *lang = m->lang;
    rgb white = {1, 1, 1};
    double u = w / 100.0; /* one unit: a hundredth of the width */
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    /* the ribbon */
    cairo_set_source_rgb(cr, s->accent.r, s->accent.g, s->accent.b);
    cairo_rectangle(cr, 0, 0, 9 * u, h);
    cairo_fill(cr);
    /* a light band behind the title */
    rgb pale = mix(s->accent, white, 0.92);
    cairo_set_source_rgb(cr, pale.r, pale.g, pale.b);
    cairo_rectangle(cr, 9 * u, 0, w - 9 * u, h * 0.46);
    cairo_fill(cr);

    double x = 17 * u, tw = w - 17 * u - 9 * u;
    double y = h * 0.2;
    draw_text(cr, fs, FONT_HEADING, 9.5 * u, s->accent, m->title, x, &y, tw, 10.5 * u, lang);
    if (m->subtitle) {
        y += 8.5 * u;
        draw_text(cr, fs, FONT_HEADING_REGULAR, 4.4 * u, s->text, m->subtitle, x, &y, tw, 5.6 * u, lang);
    }
    /* a rule in the accent colour */
    cairo_set_source_rgb(cr, s->accent.r, s->accent.g, s->accent.b);
    cairo_rectangle(cr, x, h * 0.46 - 0.6 * u, 14 * u, 1.2 * u);
    cairo_fill(cr);

    /* the themes: chapters with a theme, as coloured discs with labels */
    double ty = h * 0.56;
    int shown = 0;
    for (int i = 0; i < b->nch && shown < 9; i++) {
        const chapter *c = &b->ch[i];
        if (c->theme <= 0 || c->theme > s->ntheme || !c->doc)
            continue;
        rgb col = s->theme[c->theme - 1];
        double r = 4.2 * u;
        cairo_set_source_rgb(cr, col.r, col.g, col.b);
        cairo_arc(cr, x + r, ty, r, 0, 2 * M_PI);
        cairo_fill(cr);
        if (c->label && *c->label) {
            double lb = ty + 1.6 * u;
            const gb_font *f = &fs->f[FONT_HEADING];
            shaped sh;
            shape(f, 4.4 * u, c->label, strlen(c->label), "kern", lang, &sh);
            double lw = sh.width;
            shaped_free(&sh);
            draw_text(cr, fs, FONT_HEADING, 4.4 * u, white, c->label, x + r - lw / 2, &lb, 0, 0, lang);
        }
        /* the chapter's own title, without its label */
        const char *title = c->title;
        if (c->label && *c->label && !strncmp(title, c->label, strlen(c->label)) && title[strlen(c->label)] == ' ')
            title += strlen(c->label) + 1;
        double lbase = ty + 1.4 * u;
        draw_text(cr, fs, FONT_HEADING_REGULAR, 3.6 * u, s->text, title, x + 2 * r + 4 * u, &lbase,
                  tw - 2 * r - 4 * u, 4.4 * u, lang);
        ty = lbase + 11 * u;
        shown++;
    }
    /* the author at the foot, the publisher under it */
    double fy = h - (m->publisher ? 16 : 9) * u;
    for (int i = 0; i < m->nauthors; i++) {
        draw_text(cr, fs, FONT_HEADING, 3.4 * u, s->accent, m->authors[i], x, &fy, tw, 4.2 * u, lang);
        fy += 4.2 * u;
    }
    if (m->publisher) {
        fy += 0.8 * u;
        draw_text(cr, fs, FONT_HEADING_REGULAR, 1.9 * u, s->muted, m->publisher, x, &fy, tw, 2.6 * u, lang);
    }
    cairo_restore(cr);
}

/* A PNG writer tuned for flat artwork. Most rows of a cover repeat the
 * row above: with filter "Up" they are all zeros, and they are written
 * here as fixed-Huffman deflate blocks of runs (a few bytes per row, no
 * per-byte work); the other rows get filter "Sub" and zlib's run-length
 * strategy, flushed to a byte boundary (Z_FULL_FLUSH: no references back
 * across the hand-made blocks) wherever a run of repeated rows begins.
 * The zlib wrapper and its Adler-32 are written here too (adler32_combine
 * for the repeated rows). About five times faster than zlib over every
 * byte, and as small. */
static void be32(buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    buf_add(b, c, 4);
}

static void chunk(buf *b, const char *type, const unsigned char *data, size_t len)
{
    be32(b, (uint32_t)len);
    size_t at = b->len;
    buf_add(b, type, 4);
    if (len)
        buf_add(b, data, len);
    uLong crc = crc32(0L, (const Bytef *)b->data + at, (uInt)(len + 4));
    be32(b, (uint32_t)crc);
}

/* deflate's bit order: values least significant bit first, Huffman codes
 * most significant bit first */
typedef struct bitw {
    buf *b;
    uint32_t acc;
    int n;
} bitw;

static void put_bits(bitw *w, uint32_t v, int n)
{
    w->acc |= v << w->n;
    w->n += n;
    while (w->n >= 8) {
        buf_putc(w->b, (char)(w->acc & 0xFF));
        w->acc >>= 8;
        w->n -= 8;
    }
}

static void put_code(bitw *w, uint32_t code, int len)
{
    uint32_t r = 0;
    for (int i = 0; i < len; i++)
        r |= ((code >> i) & 1u) << (len - 1 - i);
    put_bits(w, r, len);
}

/* a literal/length symbol in the fixed code (RFC 1951, 3.2.6) */
static void fixed_sym(bitw *w, int v)
{
    if (v < 144)
        put_code(w, (uint32_t)(0x30 + v), 8);
    else if (v < 256)
        put_code(w, (uint32_t)(0x190 + v - 144), 9);
    else if (v < 280)
        put_code(w, (uint32_t)(v - 256), 7);
    else
        put_code(w, (uint32_t)(0xC0 + v - 280), 8);
}

/* a copy of the previous byte, len (3..258) times: length, distance 1 */
static void fixed_rep(bitw *w, int len)
{
    static const int base[] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                               31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static const int extra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    int i = 28;
    while (base[i] > len)
        i--;
    fixed_sym(w, 257 + i);
    if (extra[i])
        put_bits(w, (uint32_t)(len - base[i]), extra[i]);
    put_code(w, 0, 5); /* distance code 0: 1 */
}

/* k rows of filter byte 2 ("Up") and rowlen - 1 zeros, as one fixed block,
 * then an empty stored block to end on a byte boundary. */
static void zero_rows(buf *out, size_t rowlen, int k)
{
    bitw w = {out, 0, 0};
    put_bits(&w, 0, 1); /* not the last block */
    put_bits(&w, 1, 2); /* fixed Huffman codes */
    for (int r = 0; r < k; r++) {
        fixed_sym(&w, 2);
        fixed_sym(&w, 0);
        size_t left = rowlen - 2;
        while (left >= 3) {
            size_t l = left > 258 ? 258 : left;
            if (left - l == 1 || left - l == 2)
                l = left - 3;
            fixed_rep(&w, (int)l);
            left -= l;
        }
        while (left--)
            fixed_sym(&w, 0);
    }
    fixed_sym(&w, 256);  /* end of block */
    put_bits(&w, 0, 3);  /* stored block, not the last */
    if (w.n)
        put_bits(&w, 0, 8 - w.n);
    buf_add(out, "\x00\x00\xFF\xFF", 4);
}

/* Runs deflate with `flush` until it has nothing more to write. */
static int drain(z_stream *z, int flush, buf *out)
{
    unsigned char tmp[65536];
    int rc;
    do {
        z->next_out = tmp;
        z->avail_out = sizeof tmp;
        rc = deflate(z, flush);
        if (rc == Z_STREAM_ERROR)
            return -1;
        buf_add(out, tmp, sizeof tmp - z->avail_out);
    } while (z->avail_out == 0);
    return 0;
}

static char *encode_png(const unsigned char *px, int w, int h, int stride, size_t *len)
{
    size_t rowlen = (size_t)w * 3 + 1;
    unsigned char *row = xmalloc(rowlen);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_RLE) != Z_OK) {
        free(row);
        return NULL;
    }
    buf zs = {0};
    buf_add(&zs, "\x78\x01", 2); /* zlib header: deflate, 32 kB window */
    /* the Adler-32 of a repeated row */
    row[0] = 2;
    memset(row + 1, 0, rowlen - 1);
    uLong zero_adler = adler32(1L, row, (uInt)rowlen);
    uLong adler = adler32(0L, Z_NULL, 0);
    int bad = 0;
    for (int y = 0; y < h && !bad;) {
        int k = 0;
        while (y + k < h && y + k > 0 &&
               !memcmp(px + (size_t)(y + k) * (size_t)stride, px + (size_t)(y + k - 1) * (size_t)stride,
                       (size_t)w * 4))
            k++;
        if (k > 0) {
            if (drain(&z, Z_FULL_FLUSH, &zs) != 0)
                bad = 1;
            zero_rows(&zs, rowlen, k);
            for (int i = 0; i < k; i++)
                adler = adler32_combine(adler, zero_adler, (z_off_t)rowlen);
            y += k;
            continue;
        }
        const uint32_t *src = (const uint32_t *)(px + (size_t)y * (size_t)stride);
        row[0] = 1; /* Sub */
        unsigned char pr = 0, pg = 0, pb = 0;
        for (int x = 0; x < w; x++) {
            uint32_t v = src[x];
            unsigned char r = (unsigned char)(v >> 16), g = (unsigned char)(v >> 8), bl = (unsigned char)v;
            row[1 + 3 * x] = (unsigned char)(r - pr);
            row[2 + 3 * x] = (unsigned char)(g - pg);
            row[3 + 3 * x] = (unsigned char)(bl - pb);
            pr = r, pg = g, pb = bl;
        }
        adler = adler32(adler, row, (uInt)rowlen);
        z.next_in = row;
        z.avail_in = (uInt)rowlen;
        if (drain(&z, Z_NO_FLUSH, &zs) != 0)
            bad = 1;
        y++;
    }
    if (!bad && drain(&z, Z_FINISH, &zs) != 0)
        bad = 1;
    deflateEnd(&z);
    free(row);
    if (bad) {
        buf_free(&zs);
        return NULL;
    }
    be32(&zs, (uint32_t)adler);
    buf b = {0};
    buf_add(&b, "\x89PNG\r\n\x1a\n", 8);
    unsigned char ihdr[13] = {0};
    ihdr[0] = (unsigned char)(w >> 24), ihdr[1] = (unsigned char)(w >> 16), ihdr[2] = (unsigned char)(w >> 8),
    ihdr[3] = (unsigned char)w;
    ihdr[4] = (unsigned char)(h >> 24), ihdr[5] = (unsigned char)(h >> 16), ihdr[6] = (unsigned char)(h >> 8),
    ihdr[7] = (unsigned char)h;
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* truecolour */
    chunk(&b, "IHDR", ihdr, 13);
    chunk(&b, "IDAT", (const unsigned char *)zs.data, zs.len);
    chunk(&b, "IEND", NULL, 0);
    buf_free(&zs);
    return buf_detach(&b, len);
}

char *cover_png(const book *b, const style *s, const fontset *fs, int width, int height, size_t *len)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(img);
    cover_draw(cr, width, height, b, s, fs);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    char *out = NULL;
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS)
        out = encode_png(cairo_image_surface_get_data(img), width, height, cairo_image_surface_get_stride(img), len);
    cairo_surface_destroy(img);
    return out;
}
