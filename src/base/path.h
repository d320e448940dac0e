/* path — paths inside the book folder.
 *
 * Every path a book names (chapters, images, links) is relative to the book
 * folder, or to the chapter that names it. path_join_inside normalises such a
 * path lexically and refuses anything that would leave the folder; the
 * filesystem check for symlinks that lead out is path_real_inside.
 */
#ifndef GB_PATH_H
#define GB_PATH_H

#include <stddef.h>

/* Joins `rel` (a relative path, '/' separators) to the directory `base`
 * (itself relative to the book folder, "" for the folder itself), removing
 * "." and ".." components. Returns a new string (caller frees), or NULL when
 * the path is absolute (also "C:/..."), empty, contains a backslash, or
 * climbs above the book folder; then *why holds a static reason. Other
 * colons are fine: "b:1:2.md" is a file in the book folder. */
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

/* The one way goodiebag reads a file that a book (or its style) names:
 * root/rel is resolved on the filesystem (following symbolic links) and
 * must still lie inside root_real, the real path of root; it must be a
 * regular file (a named pipe, a device or a folder is refused without
 * being opened for reading: the open does not block) of at most `limit`
 * bytes. Returns its bytes, NUL-terminated (caller frees), and their
 * length; or NULL with a reason in why[0..PATH_WHY); `folder` names root
 * in it ("book folder", "style folder"). root_real NULL: only
 * the file checks, no folder (a folder the user named on the command
 * line). */
#define PATH_WHY 200
char *path_read(const char *root_real, const char *root, const char *folder, const char *rel, size_t limit,
                size_t *len, char *why);

/* Returns 1 if the real path `real` is root_real or lies inside it. */
int path_is_inside(const char *root_real, const char *real);

/* Decodes %XX escapes of a URL path into a new string; NULL if the result
 * would contain a NUL byte. */
char *path_unescape(const char *s);

#endif
