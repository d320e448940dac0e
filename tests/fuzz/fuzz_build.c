/* fuzz_build — libFuzzer target: builds both outputs in memory from
 * arbitrary input. The first byte chooses what the rest is:
 *   even: the Markdown of a chapter (book.yaml fixed),
 *   odd:  a book.yaml (two fixed chapters),
 * so both parsers and every stage after them (model, layout, PDF, EPUB)
 * see arbitrary data. The style and fonts come from styles/ and fonts/. */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/book.h"
#include "build.h"
#include "model/style.h"

static style st;
static arena sa;
static int ready;
static build_env env; /* fonts and dictionary, loaded once */

static const char yaml_fixed[] =
    "name: fuzz\ntitle: Fuzz\nauthor: A\npublisher: P\nlang: nl\ndate: 2026-01-01\n"
    "chapters:\n  - a.md\n  - file: b.md\n    label: \"1\"\n    theme: 1\n";
static const char chap_a[] = "# Een\n\nTekst met een [link](b.md#twee) en *nadruk*.\n\n- lijst\n";
static const char chap_b[] = "# Twee\n\nNog een alinea met ideeën.\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        diag d = {0};
        xmlInitParser();
        if (style_load(&st, "styles", "fonts", &sa, &d) != 0) {
            diag_print(&d, stderr);
            abort(); /* run from the repository root */
        }
        diag_free(&d);
        ready = 1;
    }
    if (size < 1 || size > 200000)
        return 0;
    int yaml_mode = data[0] & 1;
    const char *names[3] = {"book.yaml", "a.md", "b.md"};
    const char *files[3];
    size_t lens[3];
    if (yaml_mode) {
        files[0] = (const char *)data + 1;
        lens[0] = size - 1;
        files[1] = chap_a;
        lens[1] = sizeof chap_a - 1;
    } else {
        files[0] = yaml_fixed;
        lens[0] = sizeof yaml_fixed - 1;
        files[1] = (const char *)data + 1;
        lens[1] = size - 1;
    }
    files[2] = chap_b;
    lens[2] = sizeof chap_b - 1;
    diag d = {0};
    book *b = book_load_mem(names, files, lens, 3, &d);
    if (!d.errors) {
        build_opts o = {.epub = 1, .pdf = 1, .cover_w = 80, .cover_h = 120, .env = &env};
        build_out out;
        if (build_run(b, &st, &o, &out, &d) == 0)
            build_out_free(&out);
    }
    book_free(b);
    diag_free(&d);
    return 0;
}
