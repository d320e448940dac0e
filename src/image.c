/* image — see image.h. */
#include "image.h"

#include <stdlib.h>
#include <string.h>

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

static const char *probe_png(const unsigned char *p, size_t n, image_info *info)
{
    if (n < 33 || memcmp(p + 12, "IHDR", 4) != 0)
        return "the PNG file is truncated or corrupt (no IHDR header)";
    unsigned w = be32(p + 16), h = be32(p + 20);
    if (w > 0x7FFFFFFF || h > 0x7FFFFFFF)
        return "the image's declared size is absurd";
    /* An IEND chunk must close a complete PNG. */
    if (n < 45 || memcmp(p + n - 8, "IEND", 4) != 0)
        return "the PNG file is truncated (no IEND chunk at its end)";
    info->media_type = "image/png";
    return check_dims((long)w, (long)h, info);
}

static const char *probe_jpeg(const unsigned char *p, size_t n, image_info *info)
{
    size_t i = 2;
    while (i + 4 <= n) {
        if (p[i] != 0xFF)
            return "the JPEG file is corrupt (bad marker)";
        unsigned char m = p[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            i += 2;
            continue;
        }
        unsigned seglen = (unsigned)p[i + 2] << 8 | p[i + 3];
        if (seglen < 2)
            return "the JPEG file is corrupt (bad segment length)";
        if ((m >= 0xC0 && m <= 0xCF) && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (i + 9 > n)
                break;
            unsigned h = (unsigned)p[i + 5] << 8 | p[i + 6];
            unsigned w = (unsigned)p[i + 7] << 8 | p[i + 8];
            /* The data must end with an EOI marker somewhere after. */
            int eoi = 0;
            for (size_t k = n; k >= 2 && k > n - 64 && k > i; k--)
                if (p[k - 2] == 0xFF && p[k - 1] == 0xD9) {
                    eoi = 1;
                    break;
                }
            if (!eoi)
                return "the JPEG file is truncated (no end-of-image marker)";
            info->media_type = "image/jpeg";
            return check_dims((long)w, (long)h, info);
        }
        i += 2 + seglen;
    }
    return "the JPEG file is truncated or corrupt (no frame header)";
}

static double svg_length(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v <= 0)
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

static const char *attr_in(const char *tag, const char *tag_end, const char *name, char *out, size_t outsz)
{
    size_t nl = strlen(name);
    for (const char *p = tag; p + nl + 2 < tag_end; p++) {
        if ((p == tag || p[-1] == ' ' || p[-1] == '\n' || p[-1] == '\t' || p[-1] == '\r') &&
            !strncmp(p, name, nl) && p[nl] == '=' && (p[nl + 1] == '"' || p[nl + 1] == '\'')) {
            char q = p[nl + 1];
            const char *v = p + nl + 2, *e = v;
            while (e < tag_end && *e != q)
                e++;
            size_t l = (size_t)(e - v);
            if (l >= outsz)
                l = outsz - 1;
            memcpy(out, v, l);
            out[l] = 0;
            return out;
        }
    }
    return NULL;
}

static const char *probe_svg(const char *s, size_t n, image_info *info)
{
    size_t look = n < 4096 ? n : 4096;
    const char *tag = NULL;
    for (size_t i = 0; i + 4 <= look; i++)
        if (!memcmp(s + i, "<svg", 4) && (i + 4 == n || s[i + 4] == ' ' || s[i + 4] == '>' ||
                                           s[i + 4] == '\n' || s[i + 4] == '\t' || s[i + 4] == '\r')) {
            tag = s + i;
            break;
        }
    if (!tag)
        return NULL;
    const char *end = memchr(tag, '>', n - (size_t)(tag - s));
    if (!end)
        return "the SVG file is truncated (its <svg> tag is not closed)";
    if (!memmem(tag, n - (size_t)(tag - s), "</svg>", 6) && !(end > tag && end[-1] == '/'))
        return "the SVG file is truncated (no </svg>)";
    char v[128];
    double w = 0, h = 0;
    if (attr_in(tag, end, "width", v, sizeof v))
        w = svg_length(v);
    if (attr_in(tag, end, "height", v, sizeof v))
        h = svg_length(v);
    if ((w <= 0 || h <= 0) && attr_in(tag, end, "viewBox", v, sizeof v)) {
        double x, y, vw, vh;
        char *p = v;
        for (char *q = v; *q; q++)
            if (*q == ',')
                *q = ' ';
        x = strtod(p, &p);
        y = strtod(p, &p);
        vw = strtod(p, &p);
        vh = strtod(p, &p);
        (void)x, (void)y;
        if (vw > 0 && vh > 0) {
            if (w > 0)
                h = w * vh / vw;
            else if (h > 0)
                w = h * vw / vh;
            else
                w = vw, h = vh;
        }
    }
    info->media_type = "image/svg+xml";
    if (w <= 0 || h <= 0)
        return "the SVG has no usable size: give it width and height or a viewBox";
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
