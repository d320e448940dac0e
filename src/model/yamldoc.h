/* yamldoc — loads a YAML document (book.yaml, style.yaml) with limits.
 *
 * libyaml's own loader (yaml_parser_load) recurses once per nesting level
 * and its scanner slows down with the square of the flow depth, so 100,000
 * '[' crash or hang it. We drive libyaml's event parser instead and build
 * the same yaml_document_t ourselves, counting: nesting deeper than
 * YAMLDOC_MAX_DEPTH, or more than YAMLDOC_MAX_NODES nodes with every alias
 * counted as a copy of what it names (a "billion laughs" &a [*a, *a, ...]),
 * is a located error. An alias shares its anchor's node, as with libyaml; an
 * anchor on a collection is defined when the collection ends, so the graph
 * never has a cycle. Only the first document of the stream is read.
 */
#ifndef GB_YAMLDOC_H
#define GB_YAMLDOC_H

#include <stddef.h>
#include <yaml.h>

#include "base/diag.h"

#define YAMLDOC_MAX_DEPTH 64
#define YAMLDOC_MAX_NODES 250000

/* Parses `len` bytes of YAML named `file` (for messages) into *doc, every
 * node with its start and end marks. Returns 0 (free with
 * yaml_document_delete; an empty stream gives a document without a root
 * node), or -1 after reporting a file:line:col error to d (*doc is then
 * left empty and needs no freeing). */
int yamldoc_load(const char *text, size_t len, const char *file, yaml_document_t *doc, diag *d);

#endif
