/* svg — see svg.h. */
#include "draw/svg.h"

#include <dlfcn.h>
#include <librsvg/rsvg.h>
#include <pthread.h>
#include <stdio.h>

/* The four functions goodiebag needs, looked up once. */
static struct {
    RsvgHandle *(*new_from_data)(const guint8 *, gsize, GError **);
    gboolean (*render_document)(RsvgHandle *, cairo_t *, const RsvgRectangle *, GError **);
    void (*error_free)(GError *);
    void (*object_unref)(gpointer);
    const char *why; /* NULL when loaded */
} rsvg;

static pthread_once_t rsvg_once = PTHREAD_ONCE_INIT;

static void load_rsvg(void)
{
    void *h = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        rsvg.why = "librsvg (Debian package librsvg2-2) is not installed";
        return;
    }
    /* dlsym returns object pointers; POSIX allows the conversion */
    *(void **)&rsvg.new_from_data = dlsym(h, "rsvg_handle_new_from_data");
    *(void **)&rsvg.render_document = dlsym(h, "rsvg_handle_render_document");
    *(void **)&rsvg.error_free = dlsym(h, "g_error_free");
    *(void **)&rsvg.object_unref = dlsym(h, "g_object_unref");
    if (!rsvg.new_from_data || !rsvg.render_document || !rsvg.error_free || !rsvg.object_unref)
        rsvg.why = "the installed librsvg is too old (2.46 or later is needed)";
    /* the library stays loaded for the life of the process */
}

int svg_draw(cairo_t *cr, const char *data, size_t len, double x, double y, double w, double h, char *err,
             size_t errlen)
{
    pthread_once(&rsvg_once, load_rsvg);
    if (rsvg.why) {
        snprintf(err, errlen, "cannot draw SVG images: %s", rsvg.why);
        return -1;
    }
    GError *e = NULL;
    RsvgHandle *hd = rsvg.new_from_data((const guint8 *)data, len, &e);
    if (!hd) {
        snprintf(err, errlen, "cannot read the SVG: %s", e ? e->message : "?");
        if (e)
            rsvg.error_free(e);
        return -1;
    }
    int rc = 0;
    RsvgRectangle vp = {x, y, w, h};
    if (!rsvg.render_document(hd, cr, &vp, &e)) {
        snprintf(err, errlen, "cannot draw the SVG: %s", e ? e->message : "?");
        if (e)
            rsvg.error_free(e);
        rc = -1;
    }
    rsvg.object_unref(hd);
    return rc;
}
