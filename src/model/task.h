/* task — what a task list item ("- [x] done", "- [ ] open") shows in
 * both editions: a box glyph the book's fonts have (U+25A1 □ open,
 * U+2714 ✔ done; Linux Libertine and Biolinum have no U+2610..U+2612)
 * and, for screen readers, its state as a word in the book's language. */
#ifndef GB_TASK_H
#define GB_TASK_H

/* The glyph (UTF-8) of an open (done = 0) or done item's box. */
const char *task_glyph(int done);

/* Its state in words: "klaar"/"open" for nl, "done"/"open" otherwise. */
const char *task_label(const char *lang, int done);

#endif
