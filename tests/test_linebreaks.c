/* test_linebreaks.c — the break step of para (para_linebreaks over
 * libunibreak) accepts any text: every code point from U+0000 to U+10FFFF
 * (surrogate values and values above U+10FFFF written as raw bytes: they
 * arrive as invalid UTF-8) alone and between letters, spaces, regional
 * indicators, ZWJ, emoji modifiers and combining marks, then random
 * sequences drawn mostly from those classes. libunibreak 1.1 aborts on
 * regional indicators (flag emoji) when called directly. Also checks what
 * the readers see: no break inside a flag, a break between two flags,
 * none inside a UTF-8 sequence. */
#include "harness.h"
#include "text/para.h"
#include "base/utf8.h"

#include <linebreak.h>
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
    HARNESS_EXIT();
}
