/* build — see build.h. */
#include "build.h"

#include <stdlib.h>
#include <string.h>

#include "epub.h"
#include "pagemap.h"

int build_run(book *b, const style *s, const build_opts *o, build_out *out, diag *d)
{
    memset(out, 0, sizeof *out);
    pagemap pm = {0};
    int rc = 0;
    if (o->epub) {
        double t0 = now_seconds();
        epub_extra x = {0};
        x.pages = pm.n ? &pm : NULL;
        if (epub_build(b, s, &x, &out->epub, &out->epub_len, d) != 0)
            rc = -1;
        out->t_epub = now_seconds() - t0;
    }
    pagemap_free(&pm);
    if (rc != 0)
        build_out_free(out);
    return rc;
}

void build_out_free(build_out *out)
{
    free(out->epub);
    free(out->pdf);
    out->epub = out->pdf = NULL;
    out->epub_len = out->pdf_len = 0;
}
