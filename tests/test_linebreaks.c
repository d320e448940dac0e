/* test_linebreaks.c — the break step of para (para_linebreaks over
 * libunibreak) accepts any text: every code point from U+0000 to U+10FFFF
 * (surrogate values and values above U+10FFFF written as raw bytes: they
 * arrive as invalid UTF-8) alone and between letters, spaces, regional
 * indicators, ZWJ, emoji modifiers and combining marks, then random
 * sequences drawn mostly from those classes. libunibreak 1.1 aborts on
 * regional indicators (flag emoji) when called directly. Also checks what
 * the readers see: no break inside a flag, a break between two flags,
 * none inside a UTF-8 sequence. Then what para_break tells the layout
 * trace of each line (pline.ratio, pline.kp_pass), with the book's own
 * style and fonts. */
#include "harness.h"
#include "text/para.h"
#include "base/utf8.h"
#include "model/style.h"

#include <linebreak.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int put(char *o, uint32_t cp)
{
    if (cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF))
        return utf8_encode(cp, o);
    /* not UTF-8 proper: the bytes as a naive encoder writes them */
    o[0] = (char)(0xF0 | ((cp >> 18) & 7));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    return 4;
}

/* brks must be INSIDEACHAR exactly inside multi-byte characters */
static int consistent(const char *s, size_t n, const char *brks)
{
    int l;
    for (size_t i = 0; i < n; i += (size_t)l) {
        utf8_decode(s + i, n - i, &l);
        for (int k = 0; k + 1 < l; k++)
            if (brks[i + (size_t)k] != LINEBREAK_INSIDEACHAR)
                return 0;
        if (brks[i + (size_t)l - 1] == LINEBREAK_INSIDEACHAR)
            return 0;
    }
    return 1;
}

/* Breaks text into lines of `measure` pt in the given alignment. */
static int lines_of(para_ctx *c, const char *text, double measure, align_mode align, int code, pline **out)
{
    span sp;
    memset(&sp, 0, sizeof sp);
    sp.text = text;
    sp.len = strlen(text);
    sp.st.font = code ? FONT_MONO : FONT_BODY;
    sp.st.size = 10;
    sp.st.code = code;
    para_opts o;
    memset(&o, 0, sizeof o);
    o.measure = measure;
    o.align = align;
    o.code = code;
    o.lang = "nl";
    return para_break(c, &sp, 1, &o, out);
}

/* Every line has its paragraph's pass (the same for all, in lo..4) and a
 * ratio of at least -1. */
static int fields_ok(const pline *ln, int n, int lo)
{
    if (n <= 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (ln[i].kp_pass < lo || ln[i].kp_pass > 4 || ln[i].kp_pass != ln[0].kp_pass || ln[i].ratio < -1 - 1e-9)
            return 0;
    return 1;
}

static void check_line_fields(void)
{
    diag d = {0};
    arena sa = {0}, la = {0};
    style st;
    fontset fs;
    memset(&st, 0, sizeof st);
    memset(&fs, 0, sizeof fs);
    if (style_load(&st, "styles", "fonts", &sa, &d) != 0 || fonts_load(&fs, &st, &d) != 0) {
        CHECK(0, "the book's style and fonts load");
        fonts_free(&fs);
        style_free(&st);
        arena_free(&sa);
        diag_free(&d);
        return;
    }
    para_ctx c = {.fs = &fs, .a = &la, .d = &d};
    const char *text = "De zetter zet de regels van een alinea in een keer, zodat geen regel veel losser of "
                       "strakker staat dan de regels eromheen, en een afbreking aan het eind van twee regels "
                       "na elkaar blijft een uitzondering in deze tekst over het zetten van boeken.";
    pline *ln;
    int n = lines_of(&c, text, 150, ALIGN_JUSTIFY, 0, &ln);
    CHECK(n > 2 && fields_ok(ln, n, 1), "justified: %d lines, each with its paragraph's pass (%d) and ratio >= -1",
          n, n > 0 ? ln[0].kp_pass : 0);
    CHECK(n > 0 && fabs(ln[n - 1].ratio) < 0.01, "justified: the last line (fill glue) has ratio ~0 (%g)",
          n > 0 ? ln[n - 1].ratio : 0);
    int stretched = 0;
    for (int i = 0; i + 1 < n; i++)
        stretched += ln[i].ratio != 0;
    CHECK(stretched > 0, "justified: lines before the last carry the breaker's ratio (%d of %d)", stretched, n - 1);
    n = lines_of(&c, "Kort.", 150, ALIGN_JUSTIFY, 0, &ln);
    CHECK(n == 1 && ln[0].kp_pass == 1 && ln[0].ratio == 0, "one line: pass 1, ratio 0 (breaker not run)");
    n = lines_of(&c, text, 150, ALIGN_LEFT, 0, &ln);
    CHECK(n > 2 && fields_ok(ln, n, 2), "ragged: pass 2 or later (%d), ratio >= -1", n > 0 ? ln[0].kp_pass : 0);
    n = lines_of(&c, "een_heel_lange_regel_code_die_niet_past_in_de_maat_van_het_blok_en_dus_breekt();", 60,
                 ALIGN_LEFT, 1, &ln);
    CHECK(n > 1 && fields_ok(ln, n, 2), "code broken at emergency points: %d lines, pass %d", n,
          n > 0 ? ln[0].kp_pass : 0);
    n = lines_of(&c, "Onafbreekbaarwoordzonderenigeafbreekpuntenomdatniemanddatwil", 20, ALIGN_JUSTIFY, 0, &ln);
    CHECK(n >= 1 && fields_ok(ln, n, 1), "a word wider than the measure: %d lines, pass %d", n,
          n > 0 ? ln[0].kp_pass : 0);
    arena_free(&la);
    fonts_free(&fs);
    style_free(&st);
    arena_free(&sa);
    diag_free(&d);
}

int main(void)
{
    init_linebreak();
    static const uint32_t ctx[] = {'a', 0x1F1E6, 0x200D, 0x0301};
    /* every code point twice, between two of each context character, in
     * runs of 1024 code points per call */
    static char s[1024 * 12 + 8], brks[1024 * 12 + 8];
    int bad = 0;
    for (size_t c = 0; c < sizeof ctx / sizeof *ctx; c++) {
        for (uint32_t cp0 = 0; cp0 <= 0x110000; cp0 += 1024) {
            size_t n = 0;
            for (uint32_t cp = cp0; cp < cp0 + 1024 && cp <= 0x110000; cp++) {
                n += (size_t)put(s + n, ctx[c]);
                n += (size_t)put(s + n, cp);
                n += (size_t)put(s + n, cp);
            }
            para_linebreaks(s, n, "nl", brks);
            if (!consistent(s, n, brks) && bad++ < 5)
                printf("# U+%04X.. after U+%04X\n", cp0, ctx[c]);
        }
    }
    CHECK(bad == 0, "every code point between letters, RI, ZWJ and combining marks");

    static const uint32_t pool[] = {0x1F1E6, 0x1F1F3, 0x1F1F1, 0x200D, 0x1F3FB, 0x1F3FF, 0xFE0F, 0x0300, 0x0301,
                                    0x1F469, 0x1F466, 0x2764, ' ', 'a', '-', '\n', '\r', 0x00AD, 0x200B, 0x2060,
                                    0xFFFE, 0xFFFF, 0xFFFD, 0xE000, 0xF8FF, 0x10FFFF, 0xD800, 0xDFFF, 0x110000,
                                    0x0378, 0xE01EF, 0x0E01, 0x05D0, 0x0627, 0x3000, 0x1100, 0x1161, 0x11A8};
    size_t npool = sizeof pool / sizeof *pool;
    srand(17);
    char big[4 * 40 + 4], bb[4 * 40 + 4];
    bad = 0;
    for (int r = 0; r < 20000; r++) {
        size_t n = 0;
        int k = 1 + rand() % 40;
        for (int q = 0; q < k; q++)
            n += (size_t)put(big + n, rand() % 4 ? pool[(size_t)rand() % npool] : (uint32_t)rand() % 0x110001);
        para_linebreaks(big, n, r % 2 ? "nl" : "en", bb);
        if (!consistent(big, n, bb))
            bad++;
    }
    CHECK(bad == 0, "20000 random sequences of RI, ZWJ, modifiers, marks, noncharacters, private use, "
                    "surrogate and out-of-range values");
    /* raw random bytes */
    bad = 0;
    for (int r = 0; r < 20000; r++) {
        size_t n = 1 + (size_t)(rand() % 40);
        for (size_t q = 0; q < n; q++)
            big[q] = (char)rand();
        para_linebreaks(big, n, "nl", bb);
        if (!consistent(big, n, bb))
            bad++;
    }
    CHECK(bad == 0, "20000 random byte strings");

    /* flags: "a 🇳🇱🇧🇪 b": no break inside a flag, one between the flags */
    const char *f = "a \xF0\x9F\x87\xB3\xF0\x9F\x87\xB1\xF0\x9F\x87\xA7\xF0\x9F\x87\xAA b";
    size_t fn = strlen(f);
    para_linebreaks(f, fn, "nl", brks);
    CHECK(brks[2 + 3] == LINEBREAK_NOBREAK && brks[2 + 11] == LINEBREAK_NOBREAK, "no break inside a flag");
    CHECK(brks[2 + 7] == LINEBREAK_ALLOWBREAK, "a break between two flags");
    check_line_fields();
    HARNESS_EXIT();
}
