/* xmp — see xmp.h. */
#include "post/xmp.h"

#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "post/obj.h"
#include "post/textstr.h"
#include "post/val.h"
#include "post/write.h"

/* XML character data or attribute value: s (UTF-8; invalid bytes become
 * U+FFFD) with & < > " escaped and the characters XML cannot hold left out. */
static void put_xml(buf *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int l;
        uint32_t cp = utf8_decode(s + i, n - i, &l);
        i += (size_t)l;
        if (cp == '&')
            buf_puts(b, "&amp;");
        else if (cp == '<')
            buf_puts(b, "&lt;");
        else if (cp == '>')
            buf_puts(b, "&gt;");
        else if (cp == '"')
            buf_puts(b, "&quot;");
        else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
            continue;
        else {
            char o[4];
            buf_add(b, o, (size_t)utf8_encode(cp, o));
        }
    }
}

/* The document information value for key, decoded to UTF-8 in b (empty if
 * absent or not a string). */
static void info_text(post_ctx *c, const char *key, buf *b)
{
    size_t num;
    span v;
    span d = c->info;
    b->len = 0;
    if (!d.s)
        return;
    if (val_ref(c, d, &num, NULL)) {
        pobj o;
        obj_load(c, num, &o);
        if (o.stream)
            return;
        d = o.v;
    }
    if (val_is_dict(d) && dict_get(c, d, key, &v))
        textstr_to_utf8(v, b);
}

int xmp_date_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > 40)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == ':' || *s == 'T' || *s == 'Z' || *s == '+' ||
              *s == '.'))
            return 0;
    return 1;
}

/* The properties taken from pdfpost_info or the document information. */
static void put_properties(post_ctx *c, buf *x)
{
    const pdfpost_info *in = c->info_in;
    static const char *const keys[] = {"/Title", "/Author", "/Subject", "/Creator", "/Producer"};
    static const char *const open[] = {
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
        "   <dc:creator><rdf:Seq><rdf:li>",
        "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
        "   <xmp:CreatorTool>",
        "   <pdf:Producer>",
    };
    static const char *const close[] = {
        "</rdf:li></rdf:Alt></dc:title>\n",  "</rdf:li></rdf:Seq></dc:creator>\n",
        "</rdf:li></rdf:Alt></dc:description>\n", "</xmp:CreatorTool>\n",
        "</pdf:Producer>\n",
    };
    const char *vals[] = {in->title, in->author, in->subject, in->creator, NULL};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *val = vals[i];
        if (!val) {
            info_text(c, keys[i], &c->txt);
            val = c->txt.len ? c->txt.data : NULL;
        }
        if (!val || !*val)
            continue;
        buf_puts(x, open[i]);
        put_xml(x, val);
        buf_puts(x, close[i]);
    }
}

/* The XMP packet, in c->xmp. */
static void make_packet(post_ctx *c)
{
    const pdfpost_info *in = c->info_in;
    buf *x = &c->xmp;
    x->len = 0;
    buf_puts(x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                "  <rdf:Description rdf:about=\"\"\n"
                "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                "   <dc:format>application/pdf</dc:format>\n");
    put_properties(c, x);
    if (in->lang && *in->lang) {
        buf_puts(x, "   <dc:language><rdf:Bag><rdf:li>");
        put_xml(x, in->lang);
        buf_puts(x, "</rdf:li></rdf:Bag></dc:language>\n");
    }
    if (in->date) {
        static const char *const dates[] = {"CreateDate", "ModifyDate", "MetadataDate"};
        for (size_t i = 0; i < 3; i++)
            buf_printf(x, "   <xmp:%s>%s</xmp:%s>\n", dates[i], in->date, dates[i]);
    }
    buf_puts(x, "   <pdfuaid:part>1</pdfuaid:part>\n"
                "  </rdf:Description>\n"
                " </rdf:RDF>\n"
                "</x:xmpmeta>\n"
                "<?xpacket end=\"w\"?>");
}

void xmp_write(post_ctx *c, size_t num, size_t gen)
{
    buf *x = &c->xmp;
    make_packet(c);
    write_obj_begin(c, num, gen);
    buf_printf(&c->out, "<<\n/Type /Metadata\n/Subtype /XML\n/Length %zu\n>>\nstream\n", x->len);
    buf_add(&c->out, x->data, x->len);
    buf_puts(&c->out, "\nendstream");
    write_obj_end(c);
}
