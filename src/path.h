/* path — paths inside the book folder.
 *
 * Every path a book names (chapters, images, links) is relative to the book
 * folder, or to the chapter that names it. path_join_inside normalises such a
 * path lexically and refuses anything that would leave the folder; the
 * filesystem check for symlinks that lead out is path_real_inside.
 */
#ifndef GB_PATH_H
#define GB_PATH_H

/* Joins `rel` (a relative path, '/' separators) to the directory `base`
 * (itself relative to the book folder, "" for the folder itself), removing
 * "." and ".." components. Returns a new string (caller frees), or NULL when
 * the path is absolute, empty, contains a NUL, a backslash or a drive letter,
 * or climbs above the book folder; then *why holds a static reason. */
char *path_join_inside(const char *base, const char *rel, const char **why);

/* Returns the directory part of a relative path ("a/b.md" -> "a", "b.md" -> "")
 * as a new string. */
char *path_dirname(const char *rel);

/* Resolves book_dir/rel on the filesystem (following symlinks) and checks
 * that the result is still inside the real book_dir. Returns the real path
 * (caller frees), or NULL with *why = "no such file", "leads outside the
 * book folder" or a strerror text. */
char *path_real_inside(const char *book_real, const char *book_dir, const char *rel,
                       const char **why);

/* Decodes %XX escapes of a URL path into a new string; NULL if the result
 * would contain a NUL byte. */
char *path_unescape(const char *s);

#endif
