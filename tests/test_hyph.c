/* test_hyph.c — hyph.c against Debian's Dutch dictionary (hyphen-nl) and a
 * few tiny dictionaries written here for the non-standard (replacement)
 * paths that the Dutch file does not use.
 * Set HYPH_BENCH=1 to also time 100,000 words. */
#include "harness.h"
#include "text/hyph.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NL_DIC "/usr/share/hyphen/hyph_nl_NL.dic"
#define MAXB 64

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int hy(const hyph *h, const char *w, hyph_break *b)
{
    return hyph_word(h, w, strlen(w), b, MAXB);
}

/* The word with all its breaks: "ar-beids-..."; a non-standard break shows
 * as [pre-/post]: "ski[-/e]rs" is ski- / ers. */
static const char *render(const char *w, const hyph_break *b, int n, char *buf, size_t size)
{
    size_t o = 0;
    int prev = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < size; i++) {
        int plain = !b[i].del_before && !b[i].del_after && !b[i].pre[0] && !b[i].post[0];
        int keep = b[i].at - b[i].del_before - prev;
        if (plain)
            o += (size_t)snprintf(buf + o, size - o, "%.*s-", b[i].at - prev, w + prev);
        else
            o += (size_t)snprintf(buf + o, size - o, "%.*s[%s-/%s]", keep > 0 ? keep : 0,
                                  w + prev, b[i].pre, b[i].post);
        prev = plain ? b[i].at : b[i].at + b[i].del_after;
    }
    if (o < size)
        snprintf(buf + o, size - o, "%s", w + prev);
    return buf;
}

/* The two halves when the line breaks at b. */
static void split_forms(const char *w, const hyph_break *b, char *end, char *next, size_t size)
{
    snprintf(end, size, "%.*s%s-", b->at - b->del_before, w, b->pre);
    snprintf(next, size, "%s%s", b->post, w + b->at + b->del_after);
}

/* Is there a break whose line-end / next-line forms are these? */
static int has_split(const char *w, const hyph_break *b, int n, const char *end_want,
                     const char *next_want)
{
    char e[256], x[256];
    for (int i = 0; i < n; i++) {
        split_forms(w, &b[i], e, x, sizeof e);
        if (strcmp(e, end_want) == 0 && strcmp(x, next_want) == 0)
            return 1;
    }
    return 0;
}

static int utf8_chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Every break: increasing, on a character boundary, inside the word, with at
 * least `left` characters before and `right` after. */
static int breaks_sane(const char *w, const hyph_break *b, int n, int left, int right)
{
    int len = (int)strlen(w), prev = 0;
    for (int i = 0; i < n; i++) {
        if (b[i].at <= prev || b[i].at >= len)
            return 0;
        if (((unsigned char)w[b[i].at] & 0xC0) == 0x80)
            return 0;
        if (b[i].del_before < 0 || b[i].del_after < 0 || b[i].at - b[i].del_before < 0 ||
            b[i].at + b[i].del_after > len)
            return 0;
        if (utf8_chars(w, (size_t)b[i].at) < left ||
            utf8_chars(w + b[i].at, (size_t)(len - b[i].at)) < right)
            return 0;
        prev = b[i].at;
    }
    return 1;
}

static int breaks_i_j(const char *w, const hyph_break *b, int n)
{
    for (int i = 0; i < n; i++) {
        char l = w[b[i].at - 1], r = w[b[i].at];
        if ((l == 'i' || l == 'I') && (r == 'j' || r == 'J'))
            return 1;
    }
    return 0;
}

static int breaks_at_apostrophe(const char *w, const hyph_break *b, int n)
{
    for (int i = 0; i < n; i++) {
        const char *l = w + b[i].at - 1, *r = w + b[i].at;
        if (*l == '\'' || *r == '\'')
            return 1;
        if (b[i].at >= 3 && strncmp(w + b[i].at - 3, "\xE2\x80\x99", 3) == 0)
            return 1;
        if (strncmp(r, "\xE2\x80\x99", 3) == 0)
            return 1;
    }
    return 0;
}

static int same_breaks(const hyph_break *a, int na, const hyph_break *b, int nb)
{
    if (na != nb)
        return 0;
    for (int i = 0; i < na; i++)
        if (a[i].at != b[i].at || a[i].del_before != b[i].del_before ||
            a[i].del_after != b[i].del_after || strcmp(a[i].pre, b[i].pre) != 0 ||
            strcmp(a[i].post, b[i].post) != 0)
            return 0;
    return 1;
}

static const char *write_temp_dic(const char *text, char *path, size_t size)
{
    snprintf(path, size, "/tmp/test_hyph_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok ? path : NULL;
}

/* ---- threads ---------------------------------------------------------- */

static const char *thread_words[] = {
    "arbeidsongeschiktheidsverzekering", "idee\xC3\xAB" "n", "ski\xC3\xAB" "rs",
    "thema's", "bijzonder", "Integriteit", "organisatie", "werkomgeving",
    "verantwoordelijkheid", "co\xC3\xB6rdinatie", "b\xC4\xB3zonder", "UBR",
};
#define NTW (int)(sizeof thread_words / sizeof thread_words[0])

struct thread_arg {
    const hyph *h;
    hyph_break want[NTW][MAXB];
    int nwant[NTW];
    int mismatches;
};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    for (int round = 0; round < 2000; round++) {
        int i = round % NTW;
        hyph_break b[MAXB];
        int n = hy(a->h, thread_words[i], b);
        if (!same_breaks(b, n, a->want[i], a->nwant[i]))
            a->mismatches++;
    }
    return NULL;
}

/* ---- benchmark -------------------------------------------------------- */

static const char *bench_words[] = {
    "de", "het", "een", "organisatie", "medewerkers", "werkomgeving", "productieve",
    "samenwerken", "integriteit", "opgavegericht", "verantwoordelijkheid", "van",
    "bijvoorbeeld", "mogelijkheden", "resultaten", "ontwikkelen", "leidinggevenden",
    "kennisdelen", "groepsgesprekken", "uitgangspunt", "reflectie", "praktische",
    "vertrouwen", "thuiswerken", "grenzeloos", "dilemma's", "bevorderen", "beschikbaar",
    "afnemersberaad", "boekrecensies", "Rijksconsultants", "overheid", "beleid",
    "idee\xC3\xAB" "n", "co\xC3\xB6rdinatie", "arbeidsongeschiktheidsverzekering",
    "is", "wordt", "zijn", "met", "voor", "ook", "niet", "deze", "kunnen", "tussen",
};
#define NBW (int)(sizeof bench_words / sizeof bench_words[0])

static void bench(const hyph *h)
{
    hyph_break b[MAXB];
    long total = 0;
    double t0 = now_ms();
    for (int i = 0; i < 100000; i++)
        total += hy(h, bench_words[i % NBW], b);
    double t1 = now_ms();
    printf("# bench: 100000 words (%d distinct, cycled) in %.1f ms (%.3f us/word), "
           "%ld breaks\n", NBW, t1 - t0, (t1 - t0) * 10.0 / 1000.0, total);
}

/* ---- main ------------------------------------------------------------- */

int main(void)
{
    const char *why = NULL;
    hyph_break b[MAXB], b2[MAXB];
    char buf[1024], e[256], x[256];
    int n, n2;

    /* loading errors */
    hyph *bad = hyph_load("/nonexistent/hyph_xx.dic", "nl", &why);
    CHECK(bad == NULL && why != NULL && why[0], "missing file: NULL with a reason (%s)",
          why ? why : "(none)");
    bad = hyph_load("/nonexistent/hyph_xx.dic", "nl", NULL);
    CHECK(bad == NULL, "missing file with why == NULL does not crash");
    why = NULL;
    bad = hyph_load("/tmp", "nl", &why);
    CHECK(bad == NULL && why != NULL, "a directory is not a dictionary (%s)",
          why ? why : "(none)");
    char tpath[64];
    why = NULL;
    if (write_temp_dic("", tpath, sizeof tpath)) {
        bad = hyph_load(tpath, "nl", &why);
        CHECK(bad == NULL && why != NULL, "empty file refused (%s)", why ? why : "(none)");
        unlink(tpath);
    }
    why = NULL;
    if (write_temp_dic("KOI8-R\n1a1\n", tpath, sizeof tpath)) {
        bad = hyph_load(tpath, "ru", &why);
        CHECK(bad == NULL && why != NULL, "unsupported encoding refused (%s)",
              why ? why : "(none)");
        unlink(tpath);
    }
    why = NULL;
    if (write_temp_dic("utf-8\n1a1\n", tpath, sizeof tpath)) {
        bad = hyph_load(tpath, "nl", &why);
        CHECK(bad == NULL && why != NULL, "lowercase utf-8 (libhyphen reads it as 8-bit) refused");
        unlink(tpath);
    }
    hyph_free(NULL);
    CHECK(1, "hyph_free(NULL) is harmless");

    double t0 = now_ms();
    hyph *h = hyph_load(NL_DIC, "nl", &why);
    double t1 = now_ms();
    CHECK(h != NULL, "load %s", NL_DIC);
    if (!h) {
        printf("# cannot continue: %s\n", why ? why : "?");
        HARNESS_EXIT();
    }
    printf("# hyph_load(%s) took %.1f ms\n", NL_DIC, t1 - t0);

    /* words for a human to eyeball */
    static const char *eyeball[] = {
        "organisatie", "medewerkers", "werkomgeving", "verantwoordelijkheid",
        "samenwerking", "opgavegericht", "publicatie", "informatiebeveiliging",
        "gemeenteraad", "productiviteit", "bijvoorbeeld", "leidinggevenden",
        "kennisdelen", "beleidsmedewerker", "ontwikkeling", "mogelijkheden",
    };
    for (size_t i = 0; i < sizeof eyeball / sizeof eyeball[0]; i++) {
        n = hy(h, eyeball[i], b);
        printf("# %-24s %s\n", eyeball[i], render(eyeball[i], b, n, buf, sizeof buf));
        CHECK(n > 0 && breaks_sane(eyeball[i], b, n, 2, 3), "%s has sane breaks",
              eyeball[i]);
    }

    /* diaeresis drops after the break */
    const char *w = "ski\xC3\xAB" "rs"; /* skiërs */
    n = hy(h, w, b);
    printf("# %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
    CHECK(has_split(w, b, n, "ski-", "ers"), "skiërs -> ski- / ers");
    if (n == 1)
        CHECK(b[0].at == 3 && b[0].del_after == 2 && strcmp(b[0].post, "e") == 0 &&
                  b[0].del_before == 0 && b[0].pre[0] == '\0',
              "skiërs: at 3, del_after 2, post \"e\"");
    /* ideeën and zeeën: the only pattern break leaves "en", 2 letters; the
     * diaeresis break is the Dutch spelling rule itself, so it is allowed
     * under the default right minimum of 3 (idee-en, zee-en). */
    w = "idee\xC3\xAB" "n";
    n = hy(h, w, b);
    CHECK(has_split(w, b, n, "idee-", "en"), "default minimum: ideeën -> idee- / en (got %s)",
          render(w, b, n, buf, sizeof buf));
    const char *w2 = "zee\xC3\xAB" "n";
    n = hy(h, w2, b);
    CHECK(has_split(w2, b, n, "zee-", "en"), "default minimum: zeeën -> zee- / en (got %s)",
          render(w2, b, n, buf, sizeof buf));
    /* an ordinary break still needs three letters after it */
    const char *w3 = "thuiswerken";
    n = hy(h, w3, b);
    int short_tail = 0;
    for (int q = 0; q < n; q++)
        if (strlen(w3) - (size_t)b[q].at < 3)
            short_tail = 1;
    CHECK(!short_tail, "thuiswerken: no break leaves fewer than 3 letters (got %s)", render(w3, b, n, buf, sizeof buf));
    hyph_set_min(h, 2, 2);
    n = hy(h, w, b);
    printf("# min 2/2: %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
    CHECK(has_split(w, b, n, "idee-", "en"), "min 2/2: ideeën -> idee- / en");
    n = hy(h, w2, b);
    printf("# min 2/2: %s -> %s\n", w2, render(w2, b, n, buf, sizeof buf));
    CHECK(has_split(w2, b, n, "zee-", "en"), "min 2/2: zeeën -> zee- / en");
    w = "Zee\xC3\xAB" "n";
    n = hy(h, w, b);
    CHECK(has_split(w, b, n, "Zee-", "en"), "min 2/2: Zeeën -> Zee- / en (got %s)",
          render(w, b, n, buf, sizeof buf));
    w = "knie\xC3\xAB" "n";
    n = hy(h, w, b);
    CHECK(has_split(w, b, n, "knie-", "en"), "min 2/2: knieën -> knie- / en (got %s)",
          render(w, b, n, buf, sizeof buf));
    hyph_set_min(h, 2, 3);
    w = "na\xC3\xAF" "ef"; /* naïef */
    n = hy(h, w, b);
    printf("# %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
    CHECK(has_split(w, b, n, "na-", "ief"), "naïef -> na- / ief");
    w = "co\xC3\xB6rdinatie"; /* coördinatie */
    n = hy(h, w, b);
    printf("# %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
    CHECK(has_split(w, b, n, "co-", "ordinatie"), "coördinatie -> co- / ordinatie");
    CHECK(has_split(w, b, n, "coör-", "dinatie"), "coördinatie -> coör- / dinatie too");
    w = "re\xC3\xBCnie"; /* reünie */
    n = hy(h, w, b);
    CHECK(has_split(w, b, n, "re-", "unie"), "reünie -> re- / unie (got %s)",
          render(w, b, n, buf, sizeof buf));
    w = "Isra\xC3\xABlisch"; /* Israëlisch */
    n = hy(h, w, b);
    CHECK(has_split(w, b, n, "Isra-", "elisch"), "Israëlisch -> Isra- / elisch (got %s)",
          render(w, b, n, buf, sizeof buf));
    w = "Bel" "gi\xC3\xAB"; /* België: ë not after a break, kept */
    n = hy(h, w, b);
    CHECK(n == 1 && b[0].at == 3 && b[0].del_after == 0, "België -> Bel-gië (got %s)",
          render(w, b, n, buf, sizeof buf));

    /* apostrophes */
    static const char *apos[] = {"thema's", "thema\xE2\x80\x99s", "auto's", "foto's",
                                 "paraplu's", "caf\xC3\xA9's", "'s-Hertogenbosch",
                                 "d'Ancona"};
    for (size_t i = 0; i < sizeof apos / sizeof apos[0]; i++) {
        n = hy(h, apos[i], b);
        printf("# %-20s %s\n", apos[i], render(apos[i], b, n, buf, sizeof buf));
        CHECK(!breaks_at_apostrophe(apos[i], b, n) && breaks_sane(apos[i], b, n, 2, 3),
              "%s: no break next to the apostrophe", apos[i]);
    }
    n = hy(h, "thema's", b);
    CHECK(has_split("thema's", b, n, "the-", "ma's"), "thema's -> the- / ma's");
    n = hy(h, "thema\xE2\x80\x99s", b);
    CHECK(has_split("thema\xE2\x80\x99s", b, n, "the-", "ma\xE2\x80\x99s"),
          "thema’s (U+2019) -> the- / ma’s");

    /* ij */
    static const char *ij[] = {"bijzonder", "vrijheid", "rijksconsultants", "wijziging",
                               "Rijksconsultants", "IJsland", "bijjobs", "skiijs"};
    for (size_t i = 0; i < sizeof ij / sizeof ij[0]; i++) {
        n = hy(h, ij[i], b);
        printf("# %-20s %s\n", ij[i], render(ij[i], b, n, buf, sizeof buf));
        CHECK(!breaks_i_j(ij[i], b, n) && breaks_sane(ij[i], b, n, 2, 3),
              "%s: no break between i and j", ij[i]);
    }
    n = hy(h, "bijzonder", b);
    CHECK(strcmp(render("bijzonder", b, n, buf, sizeof buf), "bij-zon-der") == 0,
          "bijzonder -> bij-zon-der (got %s)", buf);
    /* the ĳ ligature (U+0133, 2 bytes): same breaks as with "ij", shifted */
    w = "b\xC4\xB3zonder";
    n = hy(h, w, b);
    printf("# %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
    CHECK(strcmp(buf, "b\xC4\xB3-zon-der") == 0, "bĳzonder -> bĳ-zon-der");
    w = "vr\xC4\xB3heid";
    n = hy(h, w, b);
    CHECK(n == 1 && b[0].at == 4, "vrĳheid -> vrĳ-heid (got %s)",
          render(w, b, n, buf, sizeof buf));
    w = "\xC4\xB2sland"; /* Ĳsland: capital ligature */
    n = hy(h, w, b);
    CHECK(breaks_sane(w, b, n, 2, 3), "Ĳsland: sane (got %s)",
          render(w, b, n, buf, sizeof buf));

    /* minimum characters left and right */
    n = hy(h, "oranje", b);
    CHECK(n == 0, "oranje: oran-je leaves 2 after, refused (got %s)",
          render("oranje", b, n, buf, sizeof buf));
    n = hy(h, "etage", b);
    CHECK(n == 0, "etage: eta-ge refused (got %s)", render("etage", b, n, buf, sizeof buf));
    hyph_set_min(h, 2, 2);
    n = hy(h, "oranje", b);
    CHECK(n == 1 && b[0].at == 4, "min 2/2: oran-je (got %s)",
          render("oranje", b, n, buf, sizeof buf));
    hyph_set_min(h, 3, 3);
    n = hy(h, "ijzer", b);
    CHECK(n == 0, "min 3/3: ijzer has no break (got %s)", render("ijzer", b, n, buf, sizeof buf));
    n = hy(h, "arbeidsongeschiktheidsverzekering", b);
    CHECK(breaks_sane("arbeidsongeschiktheidsverzekering", b, n, 3, 3) &&
              has_split("arbeidsongeschiktheidsverzekering", b, n, "arbeids-",
                        "ongeschiktheidsverzekering") &&
              !has_split("arbeidsongeschiktheidsverzekering", b, n, "ar-",
                         "beidsongeschiktheidsverzekering"),
          "min 3/3: ar- gone, arbeids- kept");
    hyph_set_min(h, 1, 1);
    n = hy(h, "ijzer", b);
    CHECK(n == 1 && b[0].at == 2, "min 1/1: ij-zer (got %s)",
          render("ijzer", b, n, buf, sizeof buf));
    hyph_set_min(h, 0, -5);
    n = hy(h, "ijzer", b);
    CHECK(n == 1, "min 0/-5 is taken as 1/1");
    hyph_set_min(h, 2, 3);
    n = hy(h, "ijzer", b);
    CHECK(n == 1 && b[0].at == 2, "default again: ij-zer (2 letters before is fine)");
    /* characters, not bytes: "éta" is 3 characters and 4 bytes */
    hyph_set_min(h, 4, 2);
    n = hy(h, "\xC3\xA9tage", b); /* étage */
    CHECK(n == 0, "min 4/2: étage has no break after 3 characters (got %s)",
          render("\xC3\xA9tage", b, n, buf, sizeof buf));
    hyph_set_min(h, 3, 2);
    n = hy(h, "\xC3\xA9tage", b);
    CHECK(n == 1 && b[0].at == 4, "min 3/2: \xC3\xA9ta-ge at byte 4 (got %s)",
          render("\xC3\xA9tage", b, n, buf, sizeof buf));
    hyph_set_min(h, 2, 3);

    /* acronyms, digits */
    static const char *none[] = {"UBR", "NAVO", "UBR's", "AOW'ers", "IDEE\xC3\x8B" "N",
                                 "ORGANISATIE", "a4formaat", "2e", "covid19", "m\xC2\xB2" "prijs"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        n = hy(h, none[i], b);
        CHECK(n == 0, "%s: no breaks (got %s)", none[i], render(none[i], b, n, buf, sizeof buf));
    }

    /* the long compound */
    w = "arbeidsongeschiktheidsverzekering";
    n = hy(h, w, b);
    printf("# %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
    CHECK(n >= 5, "%s: several breaks (%d)", w, n);
    {
        /* plausible: every break is one of these syllable boundaries */
        static const int ok_at[] = {2, 7, 9, 11, 17, 22, 25, 27, 29};
        int all_ok = breaks_sane(w, b, n, 2, 3);
        for (int i = 0; i < n; i++) {
            int found = 0;
            for (size_t j = 0; j < sizeof ok_at / sizeof ok_at[0]; j++)
                found |= b[i].at == ok_at[j];
            all_ok &= found;
        }
        CHECK(all_ok, "%s: all breaks at syllable boundaries", w);
        CHECK(has_split(w, b, n, "arbeids-", "ongeschiktheidsverzekering") &&
                  has_split(w, b, n, "arbeidsongeschiktheids-", "verzekering"),
              "%s: breaks at the compound joints", w);
    }

    /* capitals */
    n = hy(h, "Integriteit", b);
    n2 = hy(h, "integriteit", b2);
    printf("# Integriteit -> %s\n", render("Integriteit", b, n, buf, sizeof buf));
    CHECK(n > 0 && same_breaks(b, n, b2, n2), "Integriteit breaks like integriteit");
    n = hy(h, "\xC3\x89" "cologie", b); /* Écologie */
    n2 = hy(h, "\xC3\xA9" "cologie", b2);
    CHECK(n > 0 && same_breaks(b, n, b2, n2), "Écologie breaks like écologie (%s)",
          render("\xC3\x89" "cologie", b, n, buf, sizeof buf));
    hyph_set_min(h, 2, 2);
    n = hy(h, "Idee\xC3\xAB" "n", b);
    CHECK(has_split("Idee\xC3\xAB" "n", b, n, "Idee-", "en"),
          "min 2/2: Ideeën -> Idee- / en (a capital initial is no acronym)");
    hyph_set_min(h, 2, 3);

    /* degenerate input */
    CHECK(hyph_word(h, "", 0, b, MAXB) == 0, "empty word: 0");
    CHECK(hyph_word(h, NULL, 0, b, MAXB) == 0, "NULL word: 0");
    CHECK(hyph_word(h, "a", 1, b, MAXB) == 0, "one letter: 0");
    CHECK(hyph_word(NULL, "organisatie", 11, b, MAXB) == 0, "NULL hyph: 0");
    CHECK(hyph_word(h, "organisatie", 11, NULL, MAXB) == 0, "NULL out: 0");
    CHECK(hyph_word(h, "organisatie", 11, b, 0) == 0, "max 0: 0");
    n = hyph_word(h, "organisatie", 11, b, 2);
    n2 = hy(h, "organisatie", b2);
    CHECK(n == 2 && n2 > 2 && same_breaks(b, 2, b2, 2), "max 2: the first 2 breaks");
    n = hyph_word(h, "organisatieXXXX", 11, b, MAXB); /* len is honoured */
    CHECK(n == n2, "only len bytes are read");
    {
        char longw[401];
        for (int i = 0; i < 200; i++)
            longw[i] = "organisatie"[i % 11];
        longw[200] = '\0';
        CHECK(hy(h, longw, b) == 0, "200-letter word: 0");
        longw[101] = '\0';
        CHECK(hy(h, longw, b) == 0, "101-letter word: 0");
        longw[100] = '\0';
        n = hy(h, longw, b);
        CHECK(n > 0 && breaks_sane(longw, b, n, 2, 3), "100-letter word: %d breaks", n);
        /* 100 two-byte letters: 200 bytes, still within the limit */
        for (int i = 0; i < 100; i++)
            memcpy(longw + 2 * i, i % 2 ? "\xC3\xA9" : "\xC3\xA8", 2);
        longw[200] = '\0';
        n = hy(h, longw, b);
        CHECK(breaks_sane(longw, b, n, 2, 3), "100 two-byte letters: no crash (%d)", n);
        /* 100 ĳ ligatures: 200 lookup letters */
        for (int i = 0; i < 100; i++)
            memcpy(longw + 2 * i, "\xC4\xB3", 2);
        n = hy(h, longw, b);
        int inside = 0;
        for (int i = 0; i < n; i++)
            inside |= b[i].at % 2;
        CHECK(!inside && breaks_sane(longw, b, n, 2, 3),
              "100 ĳ ligatures: never a break inside one (%d breaks)", n);
        /* 400 bytes of 4-byte characters */
        for (int i = 0; i < 100; i++)
            memcpy(longw + 4 * i, "\xF0\x9F\x98\x80", 4);
        longw[400] = '\0';
        CHECK(hy(h, longw, b) == 0, "100 emoji: 0");
    }
    static const char *odd[] = {
        "\xFF\xFE", "ide\xC3", "\xC0\xAF" "abc", "ab\xED\xA0\x80" "cd", "\x80organisatie",
        "orga\xC3\x28nisatie", "\xF4\x90\x80\x80xx", "\xF0\x80\x80\x80xx", "or\tganisatie",
        "organi-satie", "org.anisatie", "'''''", "--", "a'", "'a", "i", "ij", "\xC4\xB3",
        "Dvo\xC5\x99\xC3\xA1k", "zee\xC3\xAB" "n\xE2\x82\xAC", "\xCE\xB1\xCE\xB2\xCE\xB3\xCE\xB4",
        "\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97\xE7\xAC\xA6",
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        n = hy(h, odd[i], b);
        CHECK(n >= 0 && n <= MAXB, "odd input #%zu: no crash (%d breaks)", i, n);
    }
    CHECK(hyph_word(h, "ab\0cdefghij", 11, b, MAXB) == 0, "embedded NUL: 0");
    CHECK(hy(h, "Dvo\xC5\x99\xC3\xA1k", b) == 0, "Dvořák (ř not in Latin-1): 0");
    CHECK(hy(h, "organisatie\xE2\x82\xAC", b) == 0, "word with €: 0");

    /* another language on the same patterns: only patterns + minimums */
    hyph *de = hyph_load(NL_DIC, "de", &why);
    CHECK(de != NULL, "load the Dutch file as lang de");
    if (de) {
        w = "ski\xC3\xAB" "rs";
        n = hy(de, w, b);
        CHECK(n == 1 && b[0].at == 3 && b[0].del_after == 0 && b[0].post[0] == '\0',
              "lang de: ski-ërs keeps the diaeresis (got %s)", render(w, b, n, buf, sizeof buf));
        hyph_free(de);
    }
    hyph *nlbe = hyph_load(NL_DIC, "nl-BE", &why);
    CHECK(nlbe != NULL, "load as nl-BE");
    if (nlbe) {
        w = "ski\xC3\xAB" "rs";
        n = hy(nlbe, w, b);
        CHECK(has_split(w, b, n, "ski-", "ers"), "nl-BE gets the Dutch rules");
        hyph_free(nlbe);
    }

    /* non-standard breaks, with tiny dictionaries */
    if (write_temp_dic("ISO8859-1\nf1f/ff=f,1,2\n", tpath, sizeof tpath)) {
        hyph *ns = hyph_load(tpath, "de", &why);
        CHECK(ns != NULL, "Latin-1 dictionary with a replacement pattern");
        if (ns) {
            w = "Schiffahrt";
            n = hy(ns, w, b);
            printf("# %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
            CHECK(n == 1 && b[0].at == 5 && b[0].del_before == 1 && b[0].del_after == 1 &&
                      strcmp(b[0].pre, "ff") == 0 && strcmp(b[0].post, "f") == 0,
                  "Schiffahrt: at 5, del 1/1, pre ff, post f");
            CHECK(has_split(w, b, n, "Schiff-", "fahrt"), "Schiffahrt -> Schiff- / fahrt");
            hyph_free(ns);
        }
        unlink(tpath);
    }
    if (write_temp_dic("UTF-8\ns1sz/sz=sz,1,3\n\xC5\x91" "1b\n", tpath, sizeof tpath)) {
        hyph *hu = hyph_load(tpath, "hu", &why);
        CHECK(hu != NULL, "UTF-8 dictionary with a replacement pattern");
        if (hu) {
            w = "asszony";
            n = hy(hu, w, b);
            split_forms(w, &b[0], e, x, sizeof e);
            printf("# %s -> %s\n", w, render(w, b, n, buf, sizeof buf));
            CHECK(n == 1 && strcmp(e, "asz-") == 0 && strcmp(x, "szony") == 0,
                  "asszony -> asz- / szony (got %s / %s)", e, x);
            w = "k\xC5\x91" "b\xC3\xA1nya"; /* kőbánya: ő beyond Latin-1 is fine here */
            n = hy(hu, w, b);
            CHECK(n == 1 && b[0].at == 3, "kőbánya -> kő-bánya (got %s)",
                  render(w, b, n, buf, sizeof buf));
            w = "K\xC5\x90" "B\xC3\x81NYA"; /* KŐBÁNYA: acronym rule */
            n = hy(hu, w, b);
            CHECK(n == 0, "KŐBÁNYA: all capitals, 0");
            hyph_free(hu);
        }
        unlink(tpath);
    }

    /* threads: same hyph, same answers */
    {
        static struct thread_arg args[4];
        pthread_t tid[4];
        for (int t = 0; t < 4; t++) {
            args[t].h = h;
            args[t].mismatches = 0;
            for (int i = 0; i < NTW; i++)
                args[t].nwant[i] = hy(h, thread_words[i], args[t].want[i]);
        }
        int started = 0;
        for (int t = 0; t < 4; t++)
            if (pthread_create(&tid[t], NULL, thread_main, &args[t]) == 0)
                started++;
        int mismatches = 0;
        for (int t = 0; t < started; t++) {
            pthread_join(tid[t], NULL);
            mismatches += args[t].mismatches;
        }
        CHECK(started == 4 && mismatches == 0, "4 threads x 2000 words: %d mismatches",
              mismatches);
    }

    if (getenv("HYPH_BENCH"))
        bench(h);

    hyph_free(h);
    HARNESS_EXIT();
}
