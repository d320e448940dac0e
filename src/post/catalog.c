/* catalog — see catalog.h. */
#include "post/catalog.h"

#include <string.h>

#include "post/textstr.h"
#include "post/val.h"
#include "post/write.h"

/* The numbering style of a page label range (§12.4.2). */
typedef enum label_style { LABEL_NONE, LABEL_DECIMAL, LABEL_ROMAN, LABEL_PREFIX } label_style;

/* Lower-case roman numeral value of s, or 0. */
static int roman_value(const char *s)
{
    static const char *const r[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
                                    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
    for (int i = 1; i <= 20; i++)
        if (!strcmp(s, r[i]))
            return i;
    return 0;
}

static int decimal_value(const char *s)
{
    int v = 0;
    if (!*s || *s == '0' || strlen(s) > 9)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* /PageLabels with one range per run of consecutive numbers. */
static void put_page_labels(post_ctx *c)
{
    const pdfpost_info *in = c->info_in;
    label_style style = LABEL_NONE;
    int prev = 0;
    buf_puts(&c->out, "/PageLabels << /Nums [");
    for (size_t i = 0; i < in->npages; i++) {
        const char *l = in->page_labels[i] ? in->page_labels[i] : "";
        int d = decimal_value(l), r = roman_value(l);
        if (d && style == LABEL_DECIMAL && d == prev + 1) {
            prev = d;
            continue;
        }
        if (r && style == LABEL_ROMAN && r == prev + 1) {
            prev = r;
            continue;
        }
        buf_printf(&c->out, "\n%zu << ", i);
        if (d) {
            style = LABEL_DECIMAL, prev = d;
            buf_printf(&c->out, "/S /D /St %d >>", d);
        } else if (r) {
            style = LABEL_ROMAN, prev = r;
            buf_printf(&c->out, "/S /r /St %d >>", r);
        } else {
            style = LABEL_PREFIX;
            buf_puts(&c->out, "/P ");
            textstr_put(&c->out, l);
            buf_puts(&c->out, " >>");
        }
    }
    buf_puts(&c->out, "\n] >>\n");
}

/* /ViewerPreferences: the catalog's (a dictionary or a reference to one)
 * with /DisplayDocTitle true. */
static void put_viewer_prefs(post_ctx *c, const pobj *o)
{
    static const char *const dropvp[] = {"/DisplayDocTitle", NULL};
    span v;
    buf_puts(&c->out, "/ViewerPreferences ");
    if (!dict_get(c, o->v, "/ViewerPreferences", &v)) {
        buf_puts(&c->out, "<< /DisplayDocTitle true >>\n");
        return;
    }
    size_t vp;
    if (val_ref(c, v, &vp, NULL)) {
        pobj vo;
        obj_load(c, vp, &vo);
        v = vo.v;
        if (vo.stream)
            post_fail(c, "catalog /ViewerPreferences is not a dictionary");
    }
    if (!val_is_dict(v))
        post_fail(c, "catalog /ViewerPreferences is not a dictionary");
    write_dict_copy(c, v, dropvp);
    buf_puts(&c->out, "/DisplayDocTitle true >>\n");
}

void catalog_write(post_ctx *c, size_t num, const pobj *o, size_t metanum)
{
    static const char *const drop[] = {"/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/Version",
                                       NULL};
    static const char *const drop_labels[] = {"/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata",
                                              "/Version", "/PageLabels", NULL};
    const pdfpost_info *in = c->info_in;
    span v;
    write_obj_begin(c, num, o->gen);
    write_dict_copy(c, o->v, in->page_labels ? drop_labels : drop);
    if (in->page_labels)
        put_page_labels(c);
    if (in->lang) {
        buf_puts(&c->out, "/Lang ");
        textstr_put(&c->out, in->lang);
        buf_puts(&c->out, "\n");
    } else if (dict_get(c, o->v, "/Lang", &v)) {
        buf_puts(&c->out, "/Lang ");
        buf_add(&c->out, v.s, (size_t)(v.e - v.s));
        buf_puts(&c->out, "\n");
    }
    buf_puts(&c->out, "/MarkInfo << /Marked true >>\n");
    put_viewer_prefs(c, o);
    buf_printf(&c->out, "/Metadata %zu %zu R\n", metanum, metanum < c->size ? c->gen[metanum] : (size_t)0);
    if (dict_get(c, o->v, "/Version", &v) && v.e - v.s == 4 && v.s[0] == '/' && memcmp(v.s, "/1.7", 4) > 0)
        buf_printf(&c->out, "/Version %.*s\n", 4, v.s); /* keep a higher version */
    else
        buf_puts(&c->out, "/Version /1.7\n");
    buf_puts(&c->out, ">>");
    write_obj_end(c);
}
