/* image — see image.h. */
#include "model/image.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <jpeglib.h>

#include "base/util.h"

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static const char *check_dims(long w, long h, image_info *info)
{
    if (w <= 0 || h <= 0)
        return "the image declares a width or height of 0";
    if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || (unsigned long long)w * (unsigned long long)h > IMAGE_MAX_PIXELS)
        return "the image's declared size is absurd (over 30000 pixels a side or 100 megapixels)";
    info->width = (int)w;
    info->height = (int)h;
    return NULL;
}

/* PNG: bytes per row (without the filter byte) for `w` pixels of `bits`. */
static size_t png_rowbytes(unsigned w, unsigned bits)
{
    return ((size_t)w * bits + 7) / 8;
}

/* Walks the decompressed image data of a PNG: every row starts with a
 * filter type 0..4. Rows are given as (length, count) runs, one per
 * interlace pass. */
typedef struct pngrows {
    size_t rowlen[7], nrows[7]; /* bytes per row including the filter byte */
    int npass, pass;
    size_t row, pos;            /* current row of the pass, byte in the row */
    int done;
} pngrows;

static void rows_skip_empty(pngrows *r)
{
    while (r->pass < r->npass && (r->row >= r->nrows[r->pass] || r->rowlen[r->pass] <= 1)) {
        r->pass++;
        r->row = 0;
    }
    if (r->pass >= r->npass)
        r->done = 1;
}

/* Consumes len bytes; returns -1 on a bad filter type. Bytes past the
 * image's end are ignored (libpng accepts them too). */
static int rows_feed(pngrows *r, const unsigned char *b, size_t len)
{
    size_t i = 0;
    while (i < len && !r->done) {
        if (r->pos == 0 && b[i] > 4)
            return -1;
        size_t take = r->rowlen[r->pass] - r->pos;
        if (take > len - i)
            take = len - i;
        i += take;
        r->pos += take;
        if (r->pos == r->rowlen[r->pass]) {
            r->pos = 0;
            r->row++;
            rows_skip_empty(r);
        }
    }
    return 0;
}

/* What IHDR says of a PNG. */
typedef struct pnghdr {
    unsigned w, h;
    unsigned ctype;     /* colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA */
    unsigned bits;      /* per pixel */
    unsigned interlace; /* 0 none, 1 Adam7 */
} pnghdr;

/* Reads and checks the IHDR chunk; fills info's media type and size. */
static const char *png_header(const unsigned char *p, size_t n, pnghdr *hd, image_info *info)
{
    if (n < 33 || memcmp(p + 12, "IHDR", 4) != 0 || be32(p + 8) != 13)
        return "the PNG file is truncated or corrupt (no IHDR header)";
    unsigned w = be32(p + 16), h = be32(p + 20);
    if (w > 0x7FFFFFFF || h > 0x7FFFFFFF)
        return "the image's declared size is absurd";
    info->media_type = "image/png";
    const char *e = check_dims((long)w, (long)h, info);
    if (e)
        return e;
    unsigned depth = p[24], ctype = p[25], interlace = p[28];
    static const unsigned char channels[7] = {1, 0, 3, 1, 2, 0, 4};
    int depth_ok = ctype == 0   ? (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)
                   : ctype == 3 ? (depth == 1 || depth == 2 || depth == 4 || depth == 8)
                   : (ctype == 2 || ctype == 4 || ctype == 6) ? (depth == 8 || depth == 16)
                                                              : 0;
    if (!depth_ok || p[26] != 0 || p[27] != 0 || interlace > 1)
        return "the PNG file is corrupt (invalid colour type, bit depth or compression in its header)";
    *hd = (pnghdr){w, h, ctype, channels[ctype] * depth, interlace};
    return NULL;
}

/* The rows of the image data: one pass, or Adam7's seven. */
static void png_passes(pngrows *rows, const pnghdr *hd)
{
    memset(rows, 0, sizeof *rows);
    if (!hd->interlace) {
        rows->npass = 1;
        rows->rowlen[0] = 1 + png_rowbytes(hd->w, hd->bits);
        rows->nrows[0] = hd->h;
    } else {
        static const unsigned x0[7] = {0, 4, 0, 2, 0, 1, 0}, y0[7] = {0, 0, 4, 0, 2, 0, 1};
        static const unsigned dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
        rows->npass = 7;
        for (int k = 0; k < 7; k++) {
            unsigned pw = hd->w > x0[k] ? (hd->w - x0[k] + dx[k] - 1) / dx[k] : 0;
            unsigned ph = hd->h > y0[k] ? (hd->h - y0[k] + dy[k] - 1) / dy[k] : 0;
            rows->rowlen[k] = pw ? 1 + png_rowbytes(pw, hd->bits) : 0;
            rows->nrows[k] = pw ? ph : 0;
        }
    }
    rows_skip_empty(rows);
}

/* The walk over a PNG's chunks. */
typedef struct pngcheck {
    const pnghdr *hd;
    z_stream z;
    pngrows rows;
    int plte, idat, idat_ended, zend, iend;
} pngcheck;

/* Inflates one IDAT chunk's bytes and checks the rows they hold. */
static const char *png_inflate(pngcheck *c, const unsigned char *data, unsigned len)
{
    unsigned char out[16384];
    c->z.next_in = (Bytef *)data;
    c->z.avail_in = len;
    while (c->z.avail_in && !c->zend) {
        c->z.next_out = out;
        c->z.avail_out = sizeof out;
        int rc = inflate(&c->z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return "the PNG file is corrupt: its image data cannot be decompressed";
        if (rows_feed(&c->rows, out, sizeof out - c->z.avail_out) != 0)
            return "the PNG file is corrupt: its image data is damaged (bad row filter)";
        if (rc == Z_STREAM_END)
            c->zend = 1;
        else if (rc == Z_BUF_ERROR && c->z.avail_out)
            break;
    }
    return NULL;
}

/* One chunk of the given type whose CRC is checked. */
static const char *png_chunk(pngcheck *c, const unsigned char *type, const unsigned char *data, unsigned len,
                             int critical)
{
    if (!memcmp(type, "IDAT", 4)) {
        if (c->idat_ended)
            return "the PNG file is corrupt (its image data is not in one piece)";
        if (c->hd->ctype == 3 && !c->plte)
            return "the PNG file is corrupt (a palette image without a palette)";
        c->idat = 1;
        return png_inflate(c, data, len);
    }
    if (c->idat)
        c->idat_ended = 1;
    if (!memcmp(type, "PLTE", 4))
        c->plte = 1;
    else if (!memcmp(type, "IEND", 4))
        c->iend = 1;
    else if (critical && memcmp(type, "IHDR", 4))
        return "the PNG file is corrupt or uses an unknown critical chunk";
    return NULL;
}

/* The chunks: lengths inside the file, CRCs of the critical chunks, a
 * palette for colour type 3, and the image data (IDAT), inflated here and
 * checked row by row, so that corrupt data is an error at the image's
 * source position for both outputs. */
static const char *png_chunks(const unsigned char *p, size_t n, pngcheck *c)
{
    size_t i = 8;
    while (!c->iend) {
        if (i + 12 > n)
            return "the PNG file is truncated (a chunk is cut off)";
        unsigned len = be32(p + i);
        const unsigned char *type = p + i + 4, *data = p + i + 8;
        if (len > 0x7FFFFFFF || len > n - i - 12)
            return "the PNG file is truncated or corrupt (a chunk runs past the end of the file)";
        int critical = !(type[0] & 0x20);
        if (critical && (uLong)be32(data + len) != crc32(crc32(0L, Z_NULL, 0), type, len + 4))
            return "the PNG file is corrupt (a checksum does not match)";
        const char *err = png_chunk(c, type, data, len, critical);
        if (err)
            return err;
        i += 12 + (size_t)len;
    }
    return NULL;
}

static const char *probe_png(const unsigned char *p, size_t n, image_info *info)
{
    pnghdr hd;
    const char *err = png_header(p, n, &hd, info);
    if (err)
        return err;
    pngcheck c;
    memset(&c, 0, sizeof c);
    c.hd = &hd;
    png_passes(&c.rows, &hd);
    if (inflateInit(&c.z) != Z_OK)
        return "cannot check the PNG data (out of memory)";
    err = png_chunks(p, n, &c);
    inflateEnd(&c.z);
    if (err)
        return err;
    if (!c.idat)
        return "the PNG file has no image data";
    if (!c.rows.done)
        return "the PNG file is corrupt or truncated: its image data ends before the last row";
    return NULL;
}

/* JPEG: walks the markers from SOI to EOI, through the entropy-coded data
 * of each scan, so that a file cut off anywhere is found; data after EOI
 * (some cameras append their own) is ignored. Only the codings that PDF
 * readers (DCTDecode) and e-readers decode are accepted: baseline or
 * progressive Huffman, 8 bits, 1, 3 or 4 components. */
static const char *probe_jpeg(const unsigned char *p, size_t n, image_info *info)
{
    size_t i = 2;
    int sof = 0;
    long w = 0, h = 0;
    for (;;) {
        if (i + 2 > n)
            return "the JPEG file is truncated (no end-of-image marker)";
        if (p[i] != 0xFF)
            return "the JPEG file is corrupt (bad marker)";
        unsigned char m = p[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0xD9)
            break;
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            i += 2;
            continue;
        }
        if (m == 0xD8 || m == 0x00)
            return "the JPEG file is corrupt (bad marker)";
        if (i + 4 > n)
            return "the JPEG file is truncated";
        size_t seglen = (size_t)p[i + 2] << 8 | p[i + 3];
        if (seglen < 2)
            return "the JPEG file is corrupt (bad segment length)";
        if (seglen > n - i - 2)
            return "the JPEG file is truncated (a segment is cut off)";
        const unsigned char *seg = p + i + 4;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (sof)
                return "the JPEG file is corrupt (two frame headers)";
            if (m != 0xC0 && m != 0xC1 && m != 0xC2)
                return "this JPEG coding (lossless, hierarchical or arithmetic) is not supported by PDF and "
                       "e-readers: save it as a baseline or progressive JPEG";
            if (seglen < 8)
                return "the JPEG file is corrupt (short frame header)";
            unsigned nc = seg[5];
            if (seg[0] != 8)
                return "only 8-bit JPEG images are supported: save it as an ordinary (8-bit) JPEG";
            if (nc != 1 && nc != 3 && nc != 4)
                return "the JPEG file is corrupt or unsupported (1, 3 or 4 colour components expected)";
            if (seglen < 8 + 3 * (size_t)nc)
                return "the JPEG file is corrupt (short frame header)";
            h = (long)seg[1] << 8 | seg[2];
            w = (long)seg[3] << 8 | seg[4];
            sof = 1;
        }
        i += 2 + seglen;
        if (m == 0xDA) {
            if (!sof)
                return "the JPEG file is corrupt (a scan before the frame header)";
            /* entropy-coded data up to the next marker (FF00 is a coded
             * FF byte, FFD0-FFD7 are restart markers inside the scan) */
            for (;;) {
                const unsigned char *ff = memchr(p + i, 0xFF, n - i);
                if (!ff || (size_t)(ff - p) + 1 >= n)
                    return "the JPEG file is truncated (its image data is cut off)";
                size_t j = (size_t)(ff - p);
                unsigned char c = p[j + 1];
                if (c == 0x00 || (c >= 0xD0 && c <= 0xD7) || c == 0xFF) {
                    i = j + (c == 0xFF ? 1 : 2);
                    continue;
                }
                i = j;
                break;
            }
        }
    }
    if (!sof)
        return "the JPEG file is corrupt (no frame header)";
    info->media_type = "image/jpeg";
    return check_dims(w, h, info);
}

static double svg_length(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0 && v < 1e9)) /* also NaN, infinity */
        return 0;
    if (!strncmp(end, "mm", 2))
        v *= 96.0 / 25.4;
    else if (!strncmp(end, "cm", 2))
        v *= 96.0 / 2.54;
    else if (!strncmp(end, "in", 2))
        v *= 96.0;
    else if (!strncmp(end, "pt", 2))
        v *= 96.0 / 72.0;
    else if (*end == '%')
        return 0;
    return v;
}

/* An SVG is XML: recognised by its first character ('<', after a byte
 * order mark and white space); sanitize_svg reads it and finds its root,
 * image_svg_size its size. */
static const char *probe_svg(const char *s, size_t n, image_info *info)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i < n && s[i] == '<')
        info->media_type = "image/svg+xml";
    return NULL;
}

const char *image_svg_size(const char *width, const char *height, const char *viewbox, image_info *info)
{
    double w = 0, h = 0;
    if (*width)
        w = svg_length(width);
    if (*height)
        h = svg_length(height);
    if ((w <= 0 || h <= 0) && *viewbox) {
        char v[128];
        snprintf(v, sizeof v, "%s", viewbox);
        double vw, vh;
        char *p = v;
        for (char *q = v; *q; q++)
            if (*q == ',')
                *q = ' ';
        (void)strtod(p, &p);
        (void)strtod(p, &p);
        vw = strtod(p, &p);
        vh = strtod(p, &p);
        if (vw > 0 && vh > 0 && vw < 1e9 && vh < 1e9) {
            if (w > 0)
                h = w * vh / vw;
            else if (h > 0)
                w = h * vw / vh;
            else
                w = vw, h = vh;
        }
    }
    info->media_type = "image/svg+xml";
    if (!(w > 0 && h > 0))
        return "the SVG has no usable size: give it width and height or a viewBox";
    /* A drawing's size only gives its proportions and natural width (it is
     * never rasterised at that size): a large user space (viewBox="0 0 51500
     * 51500", common in exports) is scaled down, not refused. */
    double big = w > h ? w : h;
    if (big > 10000) {
        w = w * 10000 / big;
        h = h * 10000 / big;
    }
    return check_dims((long)(w + 0.5) ? (long)(w + 0.5) : 1, (long)(h + 0.5) ? (long)(h + 0.5) : 1, info);
}

const char *image_probe(const char *data, size_t len, image_info *info)
{
    const unsigned char *p = (const unsigned char *)data;
    memset(info, 0, sizeof *info);
    if (len == 0)
        return "the file is empty";
    if (len >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
        return probe_png(p, len, info);
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return probe_jpeg(p, len, info);
    if (len >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
        return "GIF images are not supported: use PNG, JPEG or SVG";
    if (len >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
        return "WebP images are not supported: use PNG, JPEG or SVG";
    const char *e = probe_svg(data, len, info);
    if (e || info->media_type)
        return e;
    return "not a PNG, JPEG or SVG image";
}

int image_jpeg_components(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t i = 2;
    while (i + 4 <= len && p[i] == 0xFF) {
        unsigned char m = p[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        size_t seglen = (size_t)p[i + 2] << 8 | p[i + 3];
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
            return i + 9 < len ? p[i + 9] : 0;
        if (m == 0xDA || m == 0xD9 || seglen < 2)
            return 0;
        i += 2 + seglen;
    }
    return 0;
}

/* libjpeg reports errors by calling error_exit, which must not return:
 * it jumps back to the decoder with the message kept. */
typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char msg[JMSG_LENGTH_MAX];
} jerr;

static void jerr_exit(j_common_ptr ci)
{
    jerr *e = (jerr *)ci->err;
    e->mgr.format_message(ci, e->msg);
    longjmp(e->jump, 1);
}

static void jerr_quiet(j_common_ptr ci, int level)
{
    (void)ci, (void)level; /* warnings (corrupt data repaired) are not printed */
}

uint32_t *image_jpeg_decode_rgb(const char *data, size_t len, int *width, int *height, const char **why)
{
    static __thread char msg[JMSG_LENGTH_MAX + 40];
    struct jpeg_decompress_struct ci;
    jerr e;
    uint32_t *volatile px = NULL;
    unsigned char *volatile row = NULL;
    memset(&ci, 0, sizeof ci);
    ci.err = jpeg_std_error(&e.mgr);
    e.mgr.error_exit = jerr_exit;
    e.mgr.emit_message = jerr_quiet;
    if (setjmp(e.jump)) {
        snprintf(msg, sizeof msg, "its JPEG data is corrupt (%s)", e.msg);
        *why = msg;
        jpeg_destroy_decompress(&ci);
        free(px);
        free(row);
        return NULL;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, (const unsigned char *)data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    int cmyk = ci.num_components == 4;
    ci.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    /* Adobe's CMYK (Photoshop) stores 255 - ink */
    int inverted = cmyk && ci.saw_Adobe_marker;
    jpeg_start_decompress(&ci);
    unsigned w = ci.output_width, h = ci.output_height, nc = (unsigned)ci.output_components;
    if (w == 0 || h == 0 || (size_t)w * h > IMAGE_MAX_PIXELS) {
        *why = "its size is absurd";
        jpeg_destroy_decompress(&ci);
        return NULL;
    }
    px = xmalloc((size_t)w * h * sizeof *px);
    row = xmalloc((size_t)w * nc);
    while (ci.output_scanline < h) {
        JSAMPROW rp = row;
        unsigned y = ci.output_scanline;
        jpeg_read_scanlines(&ci, &rp, 1);
        uint32_t *o = px + (size_t)y * w;
        for (unsigned x = 0; x < w; x++) {
            const unsigned char *s = row + (size_t)x * nc;
            unsigned r, g, b;
            if (cmyk) {
                unsigned c = s[0], m = s[1], yy = s[2], k = s[3];
                if (!inverted)
                    c = 255 - c, m = 255 - m, yy = 255 - yy, k = 255 - k;
                /* now 255 - ink: the light that each ink lets through */
                r = (c * k + 127) / 255;
                g = (m * k + 127) / 255;
                b = (yy * k + 127) / 255;
            } else {
                r = s[0], g = s[1], b = s[2];
            }
            o[x] = (uint32_t)(r << 16 | g << 8 | b);
        }
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    free(row);
    *width = (int)w;
    *height = (int)h;
    return px;
}
