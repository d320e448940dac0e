/* goodiebag — the command line: parse options, load the book and style,
 * build in memory, publish the outputs together (each written in full to
 * an unnamed file, then all renamed over the old ones), print diagnostics;
 * in watch mode, again after every change (inotify). The only module that prints or exits.
 *
 * Exit status: 0 success, 1 bad input (errors were printed), 2 bad usage,
 * 3 out of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libxml/parser.h>
#include <limits.h>
#include <dirent.h>
#include <poll.h>
#include <sys/inotify.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/book.h"
#include "build.h"
#include "base/diag.h"
#include "base/path.h"
#include "model/style.h"
#include "base/util.h"

#define VERSION "0.1.0"

static const char usage[] =
    "usage: goodiebag build [BOOKDIR] [-o OUTDIR] [--epub | --pdf] [--paper a4|a5]\n"
    "                       [--style DIR] [--fonts DIR] [--timings] [--trace FILE]\n"
    "       goodiebag watch [BOOKDIR] [the same options]\n"
    "       goodiebag --help | --version\n"
    "\n"
    "Builds OUTDIR/NAME.epub and OUTDIR/NAME.pdf from the Markdown chapters and\n"
    "book.yaml in BOOKDIR (defaults: chapters, build). NAME is book.yaml's 'name'.\n"
    "'watch' builds, then builds again whenever a file of the book, its style or\n"
    "its fonts changes, keeping fonts, hyphenation and cover between builds.\n"
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
    "  --trace FILE  write the layout trace to FILE: every PDF page, its lines\n"
    "                (width, adjustment ratio, badness, hyphen) and why it ends\n"
    "\n"
    "Exit status: 0 success, 1 errors in the book, 2 bad usage.\n";

/* Publishing. Every output of a build is written in full before any is
 * published: each into an unnamed file in the output folder (O_TMPFILE),
 * which a build killed even with SIGKILL leaves no trace of. Only when all
 * are complete are they linked to a short-lived hidden name
 * (.NAME.tmp-PID) and renamed over the old outputs, one right after the
 * other, with SIGINT, SIGTERM and SIGHUP held off. If any write fails,
 * nothing is published and the previous outputs stay as they are.
 * Where the file system has no O_TMPFILE (or GOODIEBAG_NO_TMPFILE is set,
 * for the tests), the file is written under its hidden name from the
 * start, and the signal handler removes it. Rejected: writing and renaming
 * one output after the other (a full disk while writing the PDF left a
 * new EPUB beside the old PDF), and a backup of the old outputs to roll
 * back with (two renames of the same folder do not fail one by one in
 * practice, and a backup is one more file to leave behind). */
#define OUT_MAX 2

typedef struct staged {
    char final[PATH_MAX];
    int fd;     /* the unnamed file, open until it is linked; or -1 */
    int linked; /* 1 once the file has its hidden name (tmp_path) */
} staged;

/* The hidden names on disk, removed if a signal ends the build. */
static char tmp_path[OUT_MAX][PATH_MAX];
static volatile sig_atomic_t tmp_active[OUT_MAX];

static void on_signal(int sig)
{
    for (int i = 0; i < OUT_MAX; i++)
        if (tmp_active[i])
            unlink(tmp_path[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void block_signals(sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, old);
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

/* Writes data as output slot i: dir/name, not yet published. Returns 0, or
 * an errno value (then nothing of it is left on disk). */
static int stage(staged *o, int i, const char *dir, const char *name, const char *data, size_t len)
{
    o->fd = -1;
    o->linked = 0;
    if (snprintf(o->final, sizeof o->final, "%s/%s", dir, name) >= (int)sizeof o->final ||
        snprintf(tmp_path[i], sizeof tmp_path[i], "%s/.%s.tmp-%ld", dir, name, (long)getpid()) >=
            (int)sizeof tmp_path[i])
        return ENAMETOOLONG;
    int fd = -1;
    if (!getenv("GOODIEBAG_NO_TMPFILE"))
        fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    int err = 0;
    if (fd >= 0) {
        if (write_all(fd, data, len) != 0)
            err = errno;
        if (err)
            close(fd);
        else
            o->fd = fd;
        return err;
    }
    /* no unnamed files here: the hidden name from the start */
    sigset_t old;
    block_signals(&old);
    fd = open(tmp_path[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST && unlink(tmp_path[i]) == 0) /* left by a killed build with our pid */
        fd = open(tmp_path[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0)
        tmp_active[i] = 1, o->linked = 1;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0)
        return errno;
    /* No fsync: the rename already makes a failed or interrupted build
     * leave the old file; syncing each output to disk would cost more
     * than building the goodiebag (ext4 also orders a replacing rename
     * after its data). */
    if (write_all(fd, data, len) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    return err;
}

/* Gives staged output i its hidden name. Returns 0 or an errno value. */
static int link_staged(staged *o, int i)
{
    if (o->linked)
        return 0;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    int rc = -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        rc = linkat(AT_FDCWD, proc, AT_FDCWD, tmp_path[i], AT_SYMLINK_FOLLOW);
        if (rc != 0 && errno == ENOENT) /* no /proc: needs CAP_DAC_READ_SEARCH */
            rc = linkat(o->fd, "", AT_FDCWD, tmp_path[i], AT_EMPTY_PATH);
        /* the name left by a build with our pid, killed in between */
        if (rc == 0 || errno != EEXIST || attempt || unlink(tmp_path[i]) != 0)
            break;
    }
    if (rc != 0)
        return errno;
    tmp_active[i] = 1;
    o->linked = 1;
    int err = close(o->fd) != 0 ? errno : 0;
    o->fd = -1;
    return err;
}

/* Removes what is left of staged output i. */
static void drop_staged(staged *o, int i)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->linked)
        unlink(tmp_path[i]);
    o->linked = 0;
    tmp_active[i] = 0;
}

/* Publishes the n outputs name[k] with data[k] in dir together: all of
 * them, or (after an error message) none. Returns 0 or -1. */
static int publish(const char *dir, int n, char *const *name, char *const *data, const size_t *len)
{
    staged st[OUT_MAX];
    int err = 0, bad = -1;
    for (int i = 0; i < n && !err; i++)
        if ((err = stage(&st[i], i, dir, name[i], data[i], len[i])) != 0)
            bad = i;
    int staged_n = err ? bad + 1 : n;
    sigset_t old;
    block_signals(&old);
    for (int i = 0; i < n && !err; i++)
        if ((err = link_staged(&st[i], i)) != 0)
            bad = i;
    int renamed = 0;
    for (int i = 0; i < n && !err; i++) {
        if (rename(tmp_path[i], st[i].final) != 0) {
            err = errno;
            bad = i;
            break;
        }
        tmp_active[i] = 0;
        st[i].linked = 0;
        renamed++;
    }
    for (int i = 0; i < staged_n; i++)
        drop_staged(&st[i], i);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (!err)
        return 0;
    fprintf(stderr, "%s/%s: error: cannot write the output: %s", dir, name[bad], strerror(err));
    if (renamed)
        fprintf(stderr, " (%d of the %d outputs were already replaced)\n", renamed, n);
    else if (n == 1)
        fprintf(stderr, " (the previous file is unchanged)\n");
    else
        fprintf(stderr, "; nothing is published (the previous files are unchanged)\n");
    return -1;
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

/* A styles or fonts folder found in the book folder is part of the book:
 * it must not lead out of it (a symbolic link). Returns 0, or -1 after
 * reporting to d. */
static int check_book_folder(const char *bookdir, const char *dir, diag *d)
{
    size_t bl = strlen(bookdir);
    if (strncmp(dir, bookdir, bl) != 0 || dir[bl] != '/')
        return 0; /* beside the program, or named on the command line */
    char *book_real = realpath(bookdir, NULL), *real = realpath(dir, NULL);
    int rc = 0;
    if (book_real && real && !path_is_inside(book_real, real)) {
        diag_error(d, dir, 0, 0, "the folder leads out of the book folder (a symbolic link to %s)", real);
        rc = -1;
    }
    free(book_real);
    free(real);
    return rc;
}

/* The command line, parsed. */
typedef struct cli {
    const char *bookdir, *outdir, *paper, *style_dir, *fonts_dir, *trace_path;
    int only_epub, only_pdf, timings, watch;
} cli;

/* Writes the layout trace to path (a listing for people and tests, not an
 * output: written in place). Returns 0, or -1 after a message. */
static int write_trace(const char *path, const buf *t)
{
    FILE *f = fopen(path, "w");
    int ok = f && fwrite(t->data ? t->data : "", 1, t->len, f) == t->len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fprintf(stderr, "%s: error: cannot write the trace: %s\n", path, strerror(errno));
    return ok ? 0 : -1;
}

/* One build: load the book and the style, build, publish, report.
 * Returns the exit status (0 or 1). env: what builds share (watch mode),
 * or NULL. In watch mode a line per build says what happened. */
/* Loads the style and fonts the command line or the book names into st
 * (its strings in sa). Returns 0, or -1 after reporting to d. */
static int load_style(const cli *c, style *st, arena *sa, diag *d)
{
    char *sdir = c->style_dir ? xstrdup(c->style_dir) : data_dir(c->bookdir, "styles");
    char *fdir = c->fonts_dir ? xstrdup(c->fonts_dir) : data_dir(c->bookdir, "fonts");
    int srd = -1;
    memset(st, 0, sizeof *st);
    if ((c->style_dir || check_book_folder(c->bookdir, sdir, d) == 0) &&
        (c->fonts_dir || check_book_folder(c->bookdir, fdir, d) == 0))
        srd = style_load(st, sdir, fdir, sa, d);
    if (srd == 0 && c->paper)
        style_set_paper(st, c->paper);
    if (srd == 0)
        srd = style_check(st, d);
    free(sdir);
    free(fdir);
    return srd;
}

/* Publishes the outputs of a build together (see publish) and then the
 * trace. Returns 0 or 1 (after a message). */
static int write_outputs(const cli *c, const book *b, const build_out *out, const buf *trace)
{
    if (make_dir(c->outdir) != 0) {
        fprintf(stderr, "%s: error: cannot create the output folder: %s\n", c->outdir, strerror(errno));
        return 1;
    }
    char *name[OUT_MAX], *data[OUT_MAX];
    size_t len[OUT_MAX];
    int n = 0, status = 0;
    if (out->epub)
        name[n] = xasprintf("%s.epub", b->meta.name), data[n] = out->epub, len[n++] = out->epub_len;
    if (out->pdf)
        name[n] = xasprintf("%s.pdf", b->meta.name), data[n] = out->pdf, len[n++] = out->pdf_len;
    if (n && publish(c->outdir, n, name, data, len) != 0)
        status = 1;
    for (int i = 0; i < n; i++)
        free(name[i]);
    if (status == 0 && c->trace_path && write_trace(c->trace_path, trace) != 0)
        status = 1;
    return status;
}

static int build_once(const cli *c, build_env *env)
{
    double t0 = now_seconds();
    diag d = {0};
    book *b = book_load(c->bookdir, &d);
    double t_parse = now_seconds() - t0;
    arena sa = {0};
    style st;
    load_style(c, &st, &sa, &d);

    int status = 0;
    build_out out = {0};
    buf trace = {0};
    if (d.errors) {
        status = 1;
    } else {
        build_opts o = {.epub = !c->only_pdf, .pdf = !c->only_epub, .timings = c->timings, .env = env,
                        .trace = c->trace_path ? &trace : NULL};
        if (build_run(b, &st, &o, &out, &d) != 0)
            status = 1;
    }
    diag_print(&d, stderr);
    double t_write = now_seconds();
    if (status == 0)
        status = write_outputs(c, b, &out, &trace);
    buf_free(&trace);
    t_write = now_seconds() - t_write;
    if (c->timings)
        fprintf(stderr,
                "timings: parse %.1f ms, setup %.1f ms, layout %.1f ms, pdf %.1f ms, cover %.1f ms, epub %.1f ms, "
                "write %.1f ms, total %.1f ms\n",
                t_parse * 1e3, out.t_setup * 1e3, out.t_layout * 1e3, out.t_pdf * 1e3, out.t_cover * 1e3,
                out.t_epub * 1e3, t_write * 1e3,
                (now_seconds() - t0) * 1e3);
    if (status != 0 && d.errors)
        fprintf(stderr, "goodiebag: %d error%s, nothing written\n", d.errors, d.errors == 1 ? "" : "s");
    else if (status == 0 && c->watch)
        fprintf(stderr, "goodiebag: built %s/%s in %.0f ms\n", c->outdir, b->meta.name,
                (now_seconds() - t0) * 1e3);
    build_out_free(&out);
    style_free(&st);
    arena_free(&sa);
    book_free(b);
    diag_free(&d);
    return status;
}

/* ---- watch mode ---- */

#define WATCH_MAX 4096   /* folders watched */
#define WATCH_DEPTH 8

typedef struct watcher {
    int fd;
    int wd[WATCH_MAX];
    int style[WATCH_MAX]; /* 1: a style or fonts folder (fonts may change) */
    int n;
    char out_real[PATH_MAX];
} watcher;

/* Watches dir and the folders in it (not hidden ones, not the output). */
static void watch_tree(watcher *w, const char *dir, int is_style, int depth)
{
    char real[PATH_MAX];
    if (depth > WATCH_DEPTH || w->n >= WATCH_MAX || !realpath(dir, real))
        return;
    if (w->out_real[0] && !strcmp(real, w->out_real))
        return; /* our own writes must not trigger builds */
    int wd = inotify_add_watch(w->fd, real,
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ONLYDIR);
    if (wd < 0)
        return;
    int known = 0;
    for (int i = 0; i < w->n; i++)
        if (w->wd[i] == wd)
            known = 1, w->style[i] |= is_style;
    if (!known) {
        w->wd[w->n] = wd;
        w->style[w->n] = is_style;
        w->n++;
    }
    DIR *dp = opendir(real);
    if (!dp)
        return;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = xasprintf("%s/%s", real, e->d_name);
        if (is_dir(sub))
            watch_tree(w, sub, is_style, depth + 1);
        free(sub);
    }
    closedir(dp);
}

/* A file name an editor writes on the side (not part of the book). */
static int scratch_name(const char *n)
{
    size_t l = strlen(n);
    return n[0] == '.' || (l && n[l - 1] == '~') || (l > 4 && (!strcmp(n + l - 4, ".swp") || !strcmp(n + l - 4, ".swx")));
}

/* Reads events until the folders stay quiet for 50 ms. Returns 1 if a
 * book file changed, and sets *style_changed for the style or fonts. */
static int wait_for_change(watcher *w, int *style_changed)
{
    char ev[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    int changed = 0;
    *style_changed = 0;
    for (;;) {
        struct pollfd p = {w->fd, POLLIN, 0};
        int r = poll(&p, 1, changed ? 50 : -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return changed;
        ssize_t n = read(w->fd, ev, sizeof ev);
        if (n <= 0)
            return changed;
        for (char *q = ev; q < ev + n;) {
            const struct inotify_event *e = (const struct inotify_event *)q;
            if (!(e->len && scratch_name(e->name))) {
                changed = 1;
                for (int i = 0; i < w->n; i++)
                    if (w->wd[i] == e->wd && w->style[i])
                        *style_changed = 1;
            }
            q += sizeof *e + e->len;
        }
    }
}

static int watch(const cli *c)
{
    watcher *w = xcalloc(1, sizeof *w);
    w->fd = inotify_init1(IN_CLOEXEC);
    if (w->fd < 0) {
        fprintf(stderr, "goodiebag: error: cannot watch the book folder: %s\n", strerror(errno));
        free(w);
        return 1;
    }
    build_env env;
    memset(&env, 0, sizeof env);
    char *sdir = c->style_dir ? xstrdup(c->style_dir) : data_dir(c->bookdir, "styles");
    char *fdir = c->fonts_dir ? xstrdup(c->fonts_dir) : data_dir(c->bookdir, "fonts");
    fprintf(stderr, "goodiebag: watching %s (Ctrl-C to stop)\n", c->bookdir);
    for (;;) {
        if (make_dir(c->outdir) == 0 && !realpath(c->outdir, w->out_real))
            w->out_real[0] = 0;
        int before = w->n;
        watch_tree(w, c->bookdir, 0, 0);
        if (w->n == 0 || (before == 0 && w->n == before)) {
            fprintf(stderr, "%s: error: cannot watch the book folder: %s\n", c->bookdir,
                    is_dir(c->bookdir) ? strerror(errno) : "not a folder");
            break;
        }
        watch_tree(w, sdir, 1, 0);
        watch_tree(w, fdir, 1, 0);
        build_once(c, &env);
        int style_changed;
        if (!wait_for_change(w, &style_changed))
            break;
        if (style_changed)
            build_env_free(&env); /* other fonts, perhaps */
    }
    build_env_free(&env);
    free(sdir);
    free(fdir);
    close(w->fd);
    free(w);
    return 1;
}

/* What parse_args decided: run the command, or stop with an exit status. */
enum { ARGS_RUN = -1 };

/* Fills c from the command line. Returns ARGS_RUN, or the exit status after
 * printing help, the version or what is wrong with the arguments. */
static int parse_args(int argc, char **argv, cli *c)
{
    int have_cmd = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("goodiebag %s\n", VERSION);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--paper") || !strcmp(a, "--style") || !strcmp(a, "--fonts") ||
                   !strcmp(a, "--trace")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "goodiebag: error: %s needs a value\n%s", a, usage);
                return 2;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "-o"))
                c->outdir = v;
            else if (!strcmp(a, "--paper"))
                c->paper = v;
            else if (!strcmp(a, "--style"))
                c->style_dir = v;
            else if (!strcmp(a, "--trace"))
                c->trace_path = v;
            else
                c->fonts_dir = v;
        } else if (!strcmp(a, "--epub")) {
            c->only_epub = 1;
        } else if (!strcmp(a, "--pdf")) {
            c->only_pdf = 1;
        } else if (!strcmp(a, "--timings")) {
            c->timings = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "goodiebag: error: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!have_cmd) {
            if (strcmp(a, "build") != 0 && strcmp(a, "watch") != 0) {
                fprintf(stderr, "goodiebag: error: unknown command '%s' (the commands are 'build' and 'watch')\n%s",
                        a, usage);
                return 2;
            }
            c->watch = !strcmp(a, "watch");
            have_cmd = 1;
        } else if (!c->bookdir) {
            c->bookdir = a;
        } else {
            fprintf(stderr, "goodiebag: error: unexpected argument '%s'\n%s", a, usage);
            return 2;
        }
    }
    if (!have_cmd) {
        fputs(usage, stderr);
        return 2;
    }
    return ARGS_RUN;
}

/* Checks the options against each other. Returns ARGS_RUN or 2. */
static int check_args(cli *c)
{
    if (c->only_epub && c->only_pdf) {
        fprintf(stderr, "goodiebag: error: --epub and --pdf exclude each other (give neither for both)\n");
        return 2;
    }
    if (c->paper && strcmp(c->paper, "a4") && strcmp(c->paper, "a5")) {
        fprintf(stderr, "goodiebag: error: --paper must be a4 or a5, not '%s'\n", c->paper);
        return 2;
    }
    if (!c->bookdir)
        c->bookdir = "chapters";
    return ARGS_RUN;
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

    cli c = {.outdir = "build"};
    int rc = parse_args(argc, argv, &c);
    if (rc == ARGS_RUN)
        rc = check_args(&c);
    if (rc != ARGS_RUN)
        return rc;
    xmlInitParser();
    int status = c.watch ? watch(&c) : build_once(&c, NULL);
    xmlCleanupParser();
    return status;
}
