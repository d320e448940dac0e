/* dialect — Markdown written for another tool (pandoc's grid tables,
 * definition lists, fenced divs, attributes, inline notes, raw blocks)
 * that goodiebag does not read: instead of silent garbage, a located
 * warning saying what the reader sees and what to write instead. One
 * warning per kind of construct a chapter, with the count of the others.
 * Where it costs nothing, the construct is read instead: a code fence's
 * pandoc class (``` {.python}) becomes its language (```python). */
#ifndef GB_DIALECT_H
#define GB_DIALECT_H

#include "model/book.h"

/* Walks chapter c's parsed tree (c->doc), reports to d. Changes only the
 * fence info of code blocks written ``` {.lang ...}. */
void dialect_check(chapter *c, diag *d);

#endif
