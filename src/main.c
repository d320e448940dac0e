/* goodiebag — the command line: parse options, load the book and style,
 * build in memory, publish each output atomically (temporary file, then
 * rename over the old one), print diagnostics. The only module that prints or exits.
 *
 * Exit status: 0 success, 1 bad input (errors were printed), 2 bad usage,
 * 3 out of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "book.h"
#include "build.h"
#include "diag.h"
#include "style.h"
#include "util.h"

#define VERSION "0.1.0"

static const char usage[] =
    "usage: goodiebag build [BOOKDIR] [-o OUTDIR] [--epub | --pdf] [--paper a4|a5]\n"
    "                       [--style DIR] [--fonts DIR] [--timings]\n"
    "       goodiebag --help | --version\n"
    "\n"
    "Builds OUTDIR/NAME.epub and OUTDIR/NAME.pdf from the Markdown chapters and\n"
    "book.yaml in BOOKDIR (defaults: chapters, build). NAME is book.yaml's 'name'.\n"
    "\n"
    "  -o OUTDIR     where the outputs go (created if missing)\n"
    "  --epub        build only the EPUB\n"
    "  --pdf         build only the PDF\n"
    "  --paper SIZE  a4 (default) or a5\n"
    "  --style DIR   the style folder (style.yaml, epub.css); default BOOKDIR/styles\n"
    "                if it exists, else the styles folder beside the program\n"
    "  --fonts DIR   the fonts folder; default BOOKDIR/fonts if it exists, else\n"
    "                the fonts folder beside the program\n"
    "  --timings     print the time of each stage to stderr\n"
    "\n"
    "Exit status: 0 success, 1 errors in the book, 2 bad usage.\n";

/* The temporary file being written, removed if a signal ends the build. */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_active;

static void on_signal(int sig)
{
    if (tmp_active)
        unlink(tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes data to dir/name through a temporary file renamed into place. */
static int publish(const char *dir, const char *name, const char *data, size_t len)
{
    char final[PATH_MAX];
    if (snprintf(final, sizeof final, "%s/%s", dir, name) >= (int)sizeof final ||
        snprintf(tmp_path, sizeof tmp_path, "%s/.%s.tmp-%ld", dir, name, (long)getpid()) >= (int)sizeof tmp_path) {
        fprintf(stderr, "goodiebag: error: output path too long\n");
        return -1;
    }
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0)
        tmp_active = 1;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        fprintf(stderr, "%s: error: cannot create the output: %s\n", final, strerror(errno));
        return -1;
    }
    /* No fsync: the rename already makes a failed or interrupted build
     * leave the old file; syncing each output to disk would cost more
     * than building the goodiebag (ext4 also orders a replacing rename
     * after its data). */
    int err = 0;
    if (write_all(fd, data, len) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    sigprocmask(SIG_BLOCK, &block, &old);
    if (!err && rename(tmp_path, final) != 0)
        err = errno;
    if (err)
        unlink(tmp_path);
    tmp_active = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (err) {
        fprintf(stderr, "%s: error: cannot write the output: %s%s\n", final, strerror(err),
                err == EFBIG || err == ENOSPC ? " (the previous file is unchanged)" : "");
        return -1;
    }
    return 0;
}

static int make_dir(const char *dir)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* BOOKDIR/sub if it exists, else sub beside the program (or one or two
 * folders up), else ./sub. */
static char *data_dir(const char *bookdir, const char *sub)
{
    char *p = xasprintf("%s/%s", bookdir, sub);
    if (is_dir(p))
        return p;
    free(p);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        /* beside the program, or up to two folders above it (a build in
         * build/asan/ of the repository finds the repository's folders) */
        const char *dir = dirname(exe);
        static const char *const up[] = {"", "/..", "/../.."};
        for (int i = 0; i < 3; i++) {
            p = xasprintf("%s%s/%s", dir, up[i], sub);
            if (is_dir(p))
                return p;
            free(p);
        }
    }
    return xstrdup(sub);
}

int main(int argc, char **argv)
{
    /* Reproducible and locale-independent: UTC timestamps in the zip,
     * C number formatting everywhere (cairo 1.16 parses link attributes
     * with the locale's sscanf). */
    setenv("TZ", "UTC", 1);
    tzset();
    signal(SIGXFSZ, SIG_IGN); /* a file size limit: let write() fail instead */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    const char *bookdir = NULL, *outdir = "build", *paper = NULL, *style_dir = NULL, *fonts_dir = NULL;
    int only_epub = 0, only_pdf = 0, timings = 0, have_cmd = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("goodiebag %s\n", VERSION);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--paper") || !strcmp(a, "--style") || !strcmp(a, "--fonts")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "goodiebag: error: %s needs a value\n%s", a, usage);
                return 2;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "-o"))
                outdir = v;
            else if (!strcmp(a, "--paper"))
                paper = v;
            else if (!strcmp(a, "--style"))
                style_dir = v;
            else
                fonts_dir = v;
        } else if (!strcmp(a, "--epub")) {
            only_epub = 1;
        } else if (!strcmp(a, "--pdf")) {
            only_pdf = 1;
        } else if (!strcmp(a, "--timings")) {
            timings = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "goodiebag: error: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!have_cmd) {
            if (strcmp(a, "build") != 0) {
                fprintf(stderr, "goodiebag: error: unknown command '%s' (the command is 'build')\n%s", a, usage);
                return 2;
            }
            have_cmd = 1;
        } else if (!bookdir) {
            bookdir = a;
        } else {
            fprintf(stderr, "goodiebag: error: unexpected argument '%s'\n%s", a, usage);
            return 2;
        }
    }
    if (!have_cmd) {
        fputs(usage, stderr);
        return 2;
    }
    if (only_epub && only_pdf) {
        fprintf(stderr, "goodiebag: error: --epub and --pdf exclude each other (give neither for both)\n");
        return 2;
    }
    if (paper && strcmp(paper, "a4") && strcmp(paper, "a5")) {
        fprintf(stderr, "goodiebag: error: --paper must be a4 or a5, not '%s'\n", paper);
        return 2;
    }
    if (!bookdir)
        bookdir = "chapters";

    double t0 = now_seconds();
    xmlInitParser();
    diag d = {0};
    book *b = book_load(bookdir, &d);
    double t_parse = now_seconds() - t0;

    arena sa = {0};
    style st;
    char *sdir = style_dir ? xstrdup(style_dir) : data_dir(bookdir, "styles");
    char *fdir = fonts_dir ? xstrdup(fonts_dir) : data_dir(bookdir, "fonts");
    int srd = style_load(&st, sdir, fdir, &sa, &d);
    if (srd == 0 && paper)
        style_set_paper(&st, paper);

    int status = 0;
    build_out out = {0};
    if (d.errors) {
        status = 1;
    } else {
        build_opts o = {.epub = !only_pdf, .pdf = !only_epub, .timings = timings};
        if (build_run(b, &st, &o, &out, &d) != 0)
            status = 1;
    }
    diag_print(&d, stderr);
    if (status == 0) {
        if (make_dir(outdir) != 0) {
            fprintf(stderr, "%s: error: cannot create the output folder: %s\n", outdir, strerror(errno));
            status = 1;
        }
    }
    double t_write = now_seconds();
    if (status == 0 && out.epub) {
        char *name = xasprintf("%s.epub", b->meta.name);
        if (publish(outdir, name, out.epub, out.epub_len) != 0)
            status = 1;
        free(name);
    }
    if (status == 0 && out.pdf) {
        char *name = xasprintf("%s.pdf", b->meta.name);
        if (publish(outdir, name, out.pdf, out.pdf_len) != 0)
            status = 1;
        free(name);
    }
    t_write = now_seconds() - t_write;
    if (timings)
        fprintf(stderr,
                "timings: parse %.1f ms, setup %.1f ms, layout %.1f ms, pdf %.1f ms, cover %.1f ms, epub %.1f ms, "
                "write %.1f ms, total %.1f ms\n",
                t_parse * 1e3, out.t_setup * 1e3, out.t_layout * 1e3, out.t_pdf * 1e3, out.t_cover * 1e3,
                out.t_epub * 1e3, t_write * 1e3,
                (now_seconds() - t0) * 1e3);
    if (status != 0 && d.errors)
        fprintf(stderr, "goodiebag: %d error%s, nothing written\n", d.errors, d.errors == 1 ? "" : "s");
    build_out_free(&out);
    free(sdir);
    free(fdir);
    arena_free(&sa);
    book_free(b);
    diag_free(&d);
    xmlCleanupParser();
    return status;
}
