/* pagemap — see pagemap.h. */
#include "layout/pagemap.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void pagemap_add(pagemap *pm, int chapter, cmark_node *node, size_t offset, const char *label)
{
    GROW(pm->v, pm->cap, pm->n + 1);
    GROW(pm->labels, pm->caplabels, pm->nlabels + 1);
    char *l = xstrdup(label);
    pm->labels[pm->nlabels++] = l;
    pm->v[pm->n++] = (page_mark){chapter, node, offset, l};
}

void pagemap_free(pagemap *pm)
{
    for (size_t i = 0; i < pm->nlabels; i++)
        free(pm->labels[i]);
    free(pm->labels);
    free(pm->v);
    memset(pm, 0, sizeof *pm);
}
