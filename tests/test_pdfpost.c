/* test_pdfpost.c — tests of the PDF/UA incremental update (src/post/).
 *
 * 1. The content-stream step on hand-written streams (exact output).
 * 2. A two-page tagged PDF drawn with cairo (H1, P, Figure, Link, an
 *    untagged running foot and rule): the update is checked with the
 *    tools a reader of the issue would use — qpdf --check, qpdf --json
 *    (catalog keys, /Tabs, /Alt, /Contents), qpdf --qdf (every painting
 *    operator is inside marked content, artifacts counted), pdfinfo
 *    (Tagged, metadata, -struct-text) — plus reproducibility and
 *    re-processing of the output.
 * 3. Hand-built PDFs: content arrays, structure-tree order, cycles.
 * 4. Robustness: NULL, garbage, every truncation near the end, wrong xref
 *    offsets, thousands of single-byte mutations (no crash; run under
 *    ASan/UBSan to make that meaningful), deep nesting, self-references.
 * 5. Xref streams and object streams (what cairo 1.18 and qpdf write):
 *    hand-built ones (predictor, /Index, objects in an object stream, a
 *    hybrid file, stale entries) and what is broken in them; qpdf's
 *    rewrite of a cairo PDF, its truncations and mutations; the update is
 *    an xref stream, passes qpdf --check and can be processed again.
 */
#include "harness.h"
#include "post/pdfpost.h"
#include "base/util.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static char tmpdir[64];

/* LeakSanitizer (when built with -fsanitize=address): fontconfig, used by
 * cairo's toy font API in make_pdf, keeps its caches until exit. Only
 * those are suppressed; leaks in pdfpost are still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

/* ---- helpers ------------------------------------------------------------- */

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    buf_add((buf *)closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A tagged PDF like goodiebag's: Document root, per page H1 + P text, a
 * Figure (filled rectangle), a Link, and an untagged running foot + rule.
 * `pages` pages; `lines` extra lines of body text per page. */
static void make_pdf(buf *b, int pages, int lines)
{
    char s[160];
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(write_cb, b, 300, 400);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, "Testboek uit Info — één");
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_AUTHOR, "Auteur uit Info");
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATE_DATE, "2021-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_MOD_DATE, "2021-01-01T00:00:00Z");
    cairo_t *cr = cairo_create(sf);
    cairo_tag_begin(cr, "Document", NULL);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (int pg = 0; pg < pages; pg++) {
        cairo_set_font_size(cr, 16);
        cairo_tag_begin(cr, "H1", NULL);
        cairo_move_to(cr, 20, 40);
        snprintf(s, sizeof s, "Hoofdstuk %d", pg + 1);
        cairo_show_text(cr, s);
        cairo_tag_end(cr, "H1");
        cairo_set_font_size(cr, 10);
        cairo_tag_begin(cr, "P", NULL);
        cairo_move_to(cr, 20, 60);
        cairo_show_text(cr, "Body (text) with parens");
        for (int l = 0; l < lines; l++) {
            snprintf(s, sizeof s, "Regel %d van de alinea op pagina %d, gewone tekst.", l, pg + 1);
            cairo_move_to(cr, 20, 72 + 11 * (l % 20));
            cairo_show_text(cr, s);
        }
        cairo_tag_end(cr, "P");
        cairo_tag_begin(cr, "Figure", NULL);
        cairo_rectangle(cr, 20, 300, 50, 30);
        cairo_fill(cr);
        cairo_tag_end(cr, "Figure");
        cairo_tag_begin(cr, CAIRO_TAG_LINK, "uri='https://example.org' rect=[10 10 100 20]");
        cairo_tag_end(cr, CAIRO_TAG_LINK);
        /* untagged: running foot and a decorative rule */
        cairo_save(cr);
        cairo_move_to(cr, 20, 385);
        snprintf(s, sizeof s, "Testboek - pagina %d", pg + 1);
        cairo_show_text(cr, s);
        cairo_restore(cr);
        cairo_move_to(cr, 20, 370);
        cairo_line_to(cr, 280, 370);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        cairo_show_page(cr);
    }
    cairo_tag_end(cr, "Document");
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
        printf("not ok - cairo failed: %s\n", cairo_status_to_string(cairo_surface_status(sf)));
        exit(1);
    }
    cairo_surface_destroy(sf);
}

static char *path_in_tmp(const char *name)
{
    return xasprintf("%s/%s", tmpdir, name);
}

static int write_bytes(const char *path, const char *d, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(d, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

/* Runs a shell command; stores its stdout+stderr in *out (caller frees);
 * returns its exit status (-1 if it could not run). */
static int sh(const char *cmd, buf *out)
{
    char *full = xasprintf("%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    free(full);
    if (!p)
        return -1;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, p)) > 0)
        if (out)
            buf_add(out, tmp, n);
    int st = pclose(p);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int have_tool(const char *name)
{
    char *cmd = xasprintf("command -v %s >/dev/null", name);
    int ok = sh(cmd, NULL) == 0;
    free(cmd);
    return ok;
}

static size_t count_str(const char *hay, size_t n, const char *needle)
{
    size_t k = 0, m = strlen(needle);
    for (const char *p = hay; (p = memmem(p, n - (size_t)(p - hay), needle, m)) != NULL; p += m)
        k++;
    return k;
}

static int has(const char *p, size_t n, const char *needle)
{
    return p && memmem(p, n, needle, strlen(needle)) != NULL;
}

static int contains(const buf *b, const char *needle)
{
    return b->data && memmem(b->data, b->len, needle, strlen(needle)) != NULL;
}

/* Independent check on qpdf --qdf output (uncompressed page contents,
 * each after a "%% Contents for page N" comment): counts painting
 * operators outside any marked-content sequence and /Artifact BMC
 * sequences. Words are split on white space; an operator glued to a
 * string or array ("(x)Tj") is the text after the last ) ] or >. The
 * test's strings contain no operator-like words. */
static void check_qdf(const char *d, size_t n, size_t *untagged, size_t *artifacts, size_t *pages)
{
    static const char *const paint[] = {"Tj", "TJ", "'", "\"", "Do", "sh", "f", "F", "f*", "B",
                                        "B*", "b", "b*", "S", "s", "EI", NULL};
    const char *p = d, *e = d + n;
    *untagged = *artifacts = *pages = 0;
    while ((p = memmem(p, (size_t)(e - p), "%% Contents for page", 20)) != NULL) {
        const char *s = memmem(p, (size_t)(e - p), "\nstream\n", 8);
        if (!s)
            break;
        s += 8;
        const char *end = memmem(s, (size_t)(e - s), "\nendstream", 10);
        if (!end)
            break;
        (*pages)++;
        int depth = 0;
        const char *w = s;
        char prev[32] = "";
        while (w < end) {
            while (w < end && (*w == ' ' || *w == '\n' || *w == '\r' || *w == '\t'))
                w++;
            const char *we = w;
            while (we < end && !(*we == ' ' || *we == '\n' || *we == '\r' || *we == '\t'))
                we++;
            if (we == w)
                break;
            const char *op = w;
            for (const char *q = w; q < we; q++)
                if (*q == ')' || *q == ']' || *q == '>')
                    op = q + 1;
            size_t len = (size_t)(we - op);
            char word[32] = "";
            if (len < sizeof word) {
                memcpy(word, op, len);
                word[len] = 0;
            }
            if (!strcmp(word, "BDC") || !strcmp(word, "BMC")) {
                depth++;
                if (!strcmp(word, "BMC") && !strcmp(prev, "/Artifact"))
                    (*artifacts)++;
            } else if (!strcmp(word, "EMC")) {
                depth--;
            } else if (depth == 0) {
                for (const char *const *x = paint; *x; x++)
                    if (!strcmp(word, *x))
                        (*untagged)++;
            }
            snprintf(prev, sizeof prev, "%.*s", (int)((size_t)(we - w) < 31 ? (size_t)(we - w) : 31), w);
            w = we;
        }
        p = end;
    }
}

/* A PDF from object bodies (objs[i] is object i+1), with a correct xref. */
static void build_pdf(buf *b, const char *const *objs, size_t nobj)
{
    size_t *off = xcalloc(nobj + 1, sizeof *off);
    b->len = 0;
    buf_puts(b, "%PDF-1.5\n");
    for (size_t i = 0; i < nobj; i++) {
        off[i] = b->len;
        buf_printf(b, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t x = b->len;
    buf_printf(b, "xref\n0 %zu\n0000000000 65535 f \n", nobj + 1);
    for (size_t i = 0; i < nobj; i++)
        buf_printf(b, "%010zu 00000 n \n", off[i]);
    buf_printf(b, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", nobj + 1, x);
    free(off);
}

/* The text of object `num` in the appended update (after `from`). */
static const char *obj_in_update(const char *d, size_t n, size_t from, size_t num, size_t *len)
{
    char head[32];
    snprintf(head, sizeof head, "\n%zu 0 obj\n", num);
    const char *p = memmem(d + from - 1, n - from + 1, head, strlen(head));
    if (!p)
        return NULL;
    const char *e = memmem(p, (size_t)(d + n - p), "endobj", 6);
    if (!e)
        return NULL;
    *len = (size_t)(e - p);
    return p;
}

static size_t nth_annot(const char *d, size_t n, int k)
{
    const char *p = d;
    for (int i = 0; i <= k; i++) {
        p = memmem(p, (size_t)(d + n - p), "/Annots [ ", 10);
        if (!p)
            return 0;
        p += 10;
    }
    return strtoul(p, NULL, 10);
}

/* ---- 1. content streams --------------------------------------------------- */

static void content_case(const char *name, const char *in, size_t inlen, const char *want)
{
    char *out = NULL;
    size_t outlen = 0;
    const char *why = "";
    int rc = pdfpost_content(in, inlen, &out, &outlen, &why);
    if (!want) {
        CHECK(rc == -1, "content: %s is rejected (%s)", name, rc ? why : "accepted");
    } else {
        int same = rc == 0 && outlen == strlen(want) && memcmp(out, want, outlen) == 0;
        CHECK(same, "content: %s%s%.*s%s", name, same ? "" : "\n# got: ", same ? 0 : (int)outlen,
              out ? out : "", same ? "" : "|");
    }
    free(out);
}

#define CASE(name, in, want) content_case(name, in, sizeof in - 1, want)

static void test_content(void)
{
    CASE("untagged foot and rule after tagged text",
         "1 0 0 -1 0 300 cm\nq\n/P << /MCID 0 >> BDC\nBT (a) Tj ET\nEMC\nBT (foot) Tj ET\n0 0 m 10 0 l S\nQ\n",
         "1 0 0 -1 0 300 cm\nq\n/P << /MCID 0 >> BDC\nBT (a) Tj ET\nEMC\n/Artifact BMC\nBT (foot) Tj ET\n0 0 m 10 0 "
         "l S\nEMC\n\nQ\n");
    CASE("a fully untagged stream is one artifact", "q 1 0 0 1 5 5 cm 0 0 10 10 re f Q",
         "/Artifact BMC\nq 1 0 0 1 5 5 cm 0 0 10 10 re f Q\nEMC\n");
    CASE("no painting operator: unchanged", "q 1 0 0 rg 0 0 m 5 5 l W n Q", "q 1 0 0 rg 0 0 m 5 5 l W n Q");
    CASE("operators inside strings are text", "(EMC BDC \\) ( nested ) ) Tj",
         "/Artifact BMC\n(EMC BDC \\) ( nested ) ) Tj\nEMC\n");
    CASE("existing artifact left alone", "/Artifact BMC (x) Tj EMC", "/Artifact BMC (x) Tj EMC");
    CASE("nested marked content",
         "/Span <</MCID 1>> BDC /X BMC (a) Tj EMC (b) Tj EMC (c) Tj",
         "/Span <</MCID 1>> BDC /X BMC (a) Tj EMC (b) Tj EMC /Artifact BMC\n(c) Tj\nEMC\n");
    CASE("q opened before a tagged section stays outside the artifact",
         "q 0 0 m 1 1 l S /P <</MCID 0>> BDC (x) Tj EMC Q",
         "q /Artifact BMC\n0 0 m 1 1 l S\nEMC\n /P <</MCID 0>> BDC (x) Tj EMC Q");
    CASE("text object around a tagged section: BT/ET stay outside",
         "BT /F1 1 Tf (a) Tj /P <</MCID 0>> BDC (b) Tj EMC (c) Tj ET",
         "BT /Artifact BMC\n/F1 1 Tf (a) Tj\nEMC\n /P <</MCID 0>> BDC (b) Tj EMC /Artifact BMC\n(c) Tj\nEMC\n ET");
    CASE("two untagged runs", "(a) Tj /P BMC (b) Tj EMC 0 0 5 5 re f",
         "/Artifact BMC\n(a) Tj\nEMC\n /P BMC (b) Tj EMC /Artifact BMC\n0 0 5 5 re f\nEMC\n");
    CASE("TJ arrays, hex strings, ' and \"", "[(a) -20 <0041>] TJ (b) ' 1 2 (c) \"",
         "/Artifact BMC\n[(a) -20 <0041>] TJ (b) ' 1 2 (c) \"\nEMC\n");
    CASE("XObject and shading", "q /Im1 Do Q /Sh0 sh", "/Artifact BMC\nq /Im1 Do Q /Sh0 sh\nEMC\n");
    CASE("comments are not operators", "% BDC\n(x) Tj % EMC\n", "% BDC\n/Artifact BMC\n(x) Tj\nEMC\n % EMC\n");
    {
        static const char in[] = "q BI /W 2 /H 1 /BPC 8 /CS /G ID \x01" "EI\xff EI Q";
        static const char want[] = "/Artifact BMC\nq BI /W 2 /H 1 /BPC 8 /CS /G ID \x01" "EI\xff EI Q\nEMC\n";
        content_case("inline image with EI inside its data", in, sizeof in - 1, want);
    }
    CASE("empty stream", "", "");
    CASE("EMC without BMC", "(a) Tj EMC", NULL);
    CASE("unterminated marked content", "/P BMC (a) Tj", NULL);
    CASE("unterminated string", "(abc Tj", NULL);
    CASE("unterminated array", "[1 2 TJ", NULL);
    CASE("operands without operator", "(a) Tj 1 2", NULL);
    CASE("inline image without EI", "BI /W 1 ID xxEIx", NULL);
    CASE("Q inside BT", "q BT (a) Tj Q ET", NULL);
    CASE("bad hex string", "<0g> Tj", NULL);
    {
        buf deep = {0};
        for (int i = 0; i < 5000; i++)
            buf_putc(&deep, '[');
        buf_puts(&deep, " TJ");
        content_case("5000 nested arrays", deep.data, deep.len, NULL);
        deep.len = 0;
        for (int i = 0; i < 5000; i++)
            buf_puts(&deep, "/X BMC ");
        content_case("5000 nested marked-content sequences", deep.data, deep.len, NULL);
        buf_free(&deep);
    }
}

/* ---- 2. a cairo PDF through the tools ------------------------------------ */

static const char *const link_desc[] = {"Voorbeeldsite (extern) \\ openen", "Naar één voorbeeld — €"};
static const char *const fig_alt[] = {"Een zwart vlak", "Zwart vlak op pagina twee: ✓"};

static pdfpost_info test_info(void)
{
    pdfpost_info in = {0};
    in.lang = "nl";
    in.title = "Testboek <&> \"één\"";
    in.author = "Rijksconsultants";
    in.subject = "Aan de slag";
    in.creator = "goodiebag";
    in.date = "2021-01-01T00:00:00Z";
    in.link_desc = link_desc;
    in.nlinks = 2;
    in.figure_alt = fig_alt;
    in.nfigures = 2;
    return in;
}

static void test_cairo(void)
{
    buf pdf = {0}, o = {0};
    make_pdf(&pdf, 2, 0);
    pdfpost_info in = test_info();
    char *out = NULL, *out2 = NULL;
    size_t outlen = 0, outlen2 = 0;
    const char *why = "";
    int rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == 0, "cairo PDF: pdfpost_apply succeeds (%s)", rc ? why : "ok");
    if (rc) {
        buf_free(&pdf);
        return;
    }
    CHECK(outlen > pdf.len && memcmp(out, pdf.data, pdf.len) == 0,
          "incremental update: the original %zu bytes are kept unchanged", pdf.len);
    CHECK(outlen >= 6 && memcmp(out + outlen - 6, "%%EOF\n", 6) == 0, "update ends with %%%%EOF");
    CHECK(memmem(out + pdf.len, outlen - pdf.len, "/Prev ", 6) != NULL, "update trailer has /Prev");
    CHECK(memmem(out + pdf.len, outlen - pdf.len, "/ID [<", 6) != NULL, "update trailer has /ID");

    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out2, &outlen2, &why);
    CHECK(rc == 0 && outlen2 == outlen && memcmp(out, out2, outlen) == 0,
          "byte-reproducible: two runs give identical output");
    free(out2);
    out2 = NULL;

    /* the link descriptions and alt texts land on the right objects */
    {
        size_t l1 = nth_annot(pdf.data, pdf.len, 0), l2 = nth_annot(pdf.data, pdf.len, 1), n1 = 0, n2 = 0;
        const char *a1 = l1 ? obj_in_update(out, outlen, pdf.len, l1, &n1) : NULL;
        const char *a2 = l2 ? obj_in_update(out, outlen, pdf.len, l2, &n2) : NULL;
        CHECK(has(a1, n1, "/Contents (Voorbeeldsite \\(extern\\) \\\\ openen)"),
              "page 1 link annotation (obj %zu) gets the first description, escaped", l1);
        CHECK(has(a2, n2, "/Contents <FEFF004E006100610072002000E900E9006E0020"),
              "page 2 link annotation (obj %zu) gets the second, as UTF-16BE with BOM", l2);
    }

    if (!have_tool("qpdf") || !have_tool("pdfinfo")) {
        printf("ok - # SKIP qpdf/pdfinfo not installed (make test-deps)\n");
        free(out);
        buf_free(&pdf);
        return;
    }
    char *f = path_in_tmp("out.pdf"), *fq = path_in_tmp("out-qdf.pdf"), *f2 = path_in_tmp("again.pdf");
    char *cmd;
    CHECK(write_bytes(f, out, outlen) == 0, "wrote %s", f);

    cmd = xasprintf("qpdf --check '%s'", f);
    o.len = 0;
    rc = sh(cmd, &o);
    CHECK(rc == 0 && contains(&o, "No syntax or stream encoding errors"), "qpdf --check passes (status %d)%s%s", rc,
          rc ? "\n# " : "", rc ? o.data : "");
    free(cmd);

    cmd = xasprintf("qpdf --json '%s'", f);
    o.len = 0;
    rc = sh(cmd, &o);
    CHECK(rc == 0, "qpdf --json runs");
    CHECK(contains(&o, "\"/Lang\": \"u:nl\""), "catalog /Lang (nl)");
    CHECK(contains(&o, "\"/MarkInfo\": {\"/Marked\": true}") || contains(&o, "\"/Marked\": true"),
          "catalog /MarkInfo << /Marked true >>");
    CHECK(contains(&o, "\"/DisplayDocTitle\": true"), "catalog /ViewerPreferences /DisplayDocTitle true");
    CHECK(contains(&o, "\"/Metadata\": \""), "catalog /Metadata");
    CHECK(contains(&o, "\"/Version\": \"/1.7\""), "catalog /Version /1.7");
    CHECK(contains(&o, "\"/StructTreeRoot\""), "catalog /StructTreeRoot kept");
    CHECK(count_str(o.data, o.len, "\"/Tabs\": \"/S\"") >= 2, "both pages have /Tabs /S");
    CHECK(contains(&o, "\"/Alt\": \"u:Een zwart vlak\""), "first Figure /Alt");
    CHECK(contains(&o, "\"/Alt\": \"u:Zwart vlak op pagina twee: ✓\""), "second Figure /Alt (non-ASCII)");
    CHECK(contains(&o, "\"/Contents\": \"u:Voorbeeldsite (extern) \\\\ openen\""), "first link /Contents");
    CHECK(contains(&o, "\"/Contents\": \"u:Naar één voorbeeld — €\""), "second link /Contents (non-ASCII)");
    free(cmd);

    cmd = xasprintf("qpdf --qdf --object-streams=disable '%s' '%s'", f, fq);
    rc = sh(cmd, NULL);
    free(cmd);
    {
        size_t n = 0, untagged, artifacts, pages;
        char *q = read_file(fq, 1 << 26, &n);
        CHECK(rc == 0 && q, "qpdf --qdf writes uncompressed contents");
        if (q) {
            check_qdf(q, n, &untagged, &artifacts, &pages);
            CHECK(pages == 2, "qdf: two page content streams found (%zu)", pages);
            CHECK(untagged == 0, "every painting operator is inside marked content (%zu outside)", untagged);
            CHECK(artifacts == 2, "one /Artifact BMC per page for foot + rule (%zu)", artifacts);
            CHECK(count_str(q, n, "/Artifact BMC") == 2, "qdf text has /Artifact BMC twice");
            CHECK(count_str(q, n, "<pdfuaid:part>1</pdfuaid:part>") == 1, "XMP has pdfuaid:part 1");
            free(q);
        }
    }

    cmd = xasprintf("pdfinfo '%s'", f);
    o.len = 0;
    rc = sh(cmd, &o);
    CHECK(rc == 0 && contains(&o, "Tagged:          yes"), "pdfinfo: Tagged: yes");
    CHECK(contains(&o, "Metadata Stream: yes"), "pdfinfo: Metadata Stream: yes");
    CHECK(contains(&o, "Pages:           2"), "pdfinfo: 2 pages");
    free(cmd);

    cmd = xasprintf("pdfinfo -meta '%s'", f);
    o.len = 0;
    rc = sh(cmd, &o);
    CHECK(rc == 0 && contains(&o, "<rdf:li xml:lang=\"x-default\">Testboek &lt;&amp;&gt; &quot;één&quot;</rdf:li>"),
          "XMP dc:title, XML-escaped UTF-8");
    CHECK(contains(&o, "<rdf:li>Rijksconsultants</rdf:li>"), "XMP dc:creator");
    CHECK(contains(&o, "<xmp:CreateDate>2021-01-01T00:00:00Z</xmp:CreateDate>"), "XMP xmp:CreateDate");
    CHECK(contains(&o, "<xmp:MetadataDate>2021-01-01T00:00:00Z</xmp:MetadataDate>"), "XMP xmp:MetadataDate");
    CHECK(contains(&o, "<pdf:Producer>cairo 1.16.0 (https://cairographics.org)</pdf:Producer>"),
          "XMP pdf:Producer taken from the Info dictionary");
    CHECK(contains(&o, "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\""), "XMP pdfuaid namespace");
    CHECK(contains(&o, "<dc:language><rdf:Bag><rdf:li>nl</rdf:li>"), "XMP dc:language");
    free(cmd);

    cmd = xasprintf("pdfinfo -struct-text '%s'", f);
    o.len = 0;
    rc = sh(cmd, &o);
    CHECK(rc == 0 && contains(&o, "Document") && contains(&o, "Figure") && contains(&o, "Hoofdstuk 2") &&
              contains(&o, "Body (text) with parens"),
          "pdfinfo -struct-text still shows the tree with its text");
    CHECK(!contains(&o, "Testboek - pagina"), "the running foot is not in the structure tree");
    free(cmd);

    /* processing the output again: no double artifacts, still valid */
    rc = pdfpost_apply(out, outlen, &in, &out2, &outlen2, &why);
    CHECK(rc == 0, "the output can be processed again (%s)", rc ? why : "ok");
    if (rc == 0) {
        write_bytes(f2, out2, outlen2);
        cmd = xasprintf("qpdf --check '%s' && qpdf --qdf --object-streams=disable '%s' '%s'", f2, f2, fq);
        o.len = 0;
        rc = sh(cmd, &o);
        CHECK(rc == 0, "twice-updated file passes qpdf --check");
        free(cmd);
        size_t n = 0, untagged = 9, artifacts = 9, pages = 0;
        char *q = read_file(fq, 1 << 26, &n);
        if (q)
            check_qdf(q, n, &untagged, &artifacts, &pages);
        CHECK(q && untagged == 0 && artifacts == 2, "second pass adds no artifacts (%zu)", artifacts);
        CHECK(q && count_str(q, n, "/Type /Metadata") == 1, "second pass reuses the metadata object");
        free(q);
        free(out2);
        out2 = NULL;
    }
    unlink(f);
    unlink(fq);
    unlink(f2);
    free(f);
    free(fq);
    free(f2);
    free(out);
    buf_free(&o);

    /* counts that do not match the document */
    in.nlinks = 1;
    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == -1, "1 link description for 2 links is an error (%s)", rc ? why : "accepted");
    in.nlinks = 3;
    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == -1, "3 link descriptions for 2 links is an error (%s)", rc ? why : "accepted");
    in.nlinks = 2;
    in.nfigures = 1;
    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == -1, "1 alt text for 2 figures is an error (%s)", rc ? why : "accepted");
    in.nfigures = 2;
    in.date = "1 januari 2021";
    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == -1, "a date that is not ISO 8601 is an error (%s)", rc ? why : "accepted");

    /* no info at all: artifacts, tabs and metadata from the Info dictionary */
    rc = pdfpost_apply(pdf.data, pdf.len, NULL, &out, &outlen, &why);
    CHECK(rc == 0, "NULL info works (%s)", rc ? why : "ok");
    if (rc == 0) {
        CHECK(has(out + pdf.len, outlen - pdf.len, "x-default\">Testboek uit Info — één<"),
              "without a title the XMP title comes from /Info");
        CHECK(!has(out + pdf.len, outlen - pdf.len, "/Lang"), "without lang no /Lang");
        CHECK(!has(out + pdf.len, outlen - pdf.len, "/Alt"), "without alt texts no /Alt");
        free(out);
    }
    buf_free(&pdf);
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int apply_quiet(const char *d, size_t n, const pdfpost_info *in)
{
    char *out = NULL;
    size_t outlen = 0;
    const char *why = NULL;
    int rc = pdfpost_apply(d, n, in, &out, &outlen, &why);
    if (rc == 0)
        free(out);
    else if (!why)
        rc = -2; /* an error must say why */
    return rc;
}

/* ---- 3. hand-built PDFs --------------------------------------------------- */

static void test_built(void)
{
    buf b = {0};
    char *out = NULL;
    size_t outlen = 0, n;
    const char *why = "";
    int rc;

    /* /Contents array, marked content spanning the two streams, a
     * structure tree with nested Figures (pre-order: 5, 7, 8) */
    static const char *const objs[] = {
        /* 1 */ "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 9 0 R /MarkInfo << /Marked true >> "
                "/ViewerPreferences << /HideToolbar true >> /Version /1.4 >>",
        /* 2 */ "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        /* 3 */ "<< /Type /Page % a comment\n /Parent 2 0 R /MediaBox [0 0 200 200] /Tabs /R "
                "/Contents [10 0 R 11 0 R] /Annots [12 0 R 13 0 R] >>",
        /* 4 */ "<< /Type /StructElem /S /Document /P 9 0 R /K [5 0 R 6 0 R 8 0 R] >>",
        /* 5 */ "<< /Type /StructElem /S /Figure /P 4 0 R /Alt (old) /K 0 /Pg 3 0 R >>",
        /* 6 */ "<< /Type /StructElem /S /Sect /P 4 0 R /K [7 0 R << /Type /MCR /Pg 3 0 R /MCID 1 >>] >>",
        /* 7 */ "<< /Type /StructElem /S /Figure /P 6 0 R /K 2 /Pg 3 0 R >>",
        /* 8 */ "<< /Type /StructElem /S /Figure /P 4 0 R /K [3] /Pg 3 0 R >>",
        /* 9 */ "<< /Type /StructTreeRoot /K 4 0 R >>",
        /* 10 */ "<< /Length 31 >>\nstream\n/Figure <</MCID 0>> BDC (a) Tj\nendstream",
        /* 11 */ "<< /Length 18 >>\nstream\nEMC (unmarked) Tj\n\nendstream",
        /* 12 */ "<< /Type /Annot /Subtype /Text /Rect [0 0 1 1] /Contents (note) >>",
        /* 13 */ "<< /Type /Annot /Subtype /Link /Rect [0 0 1 1] /Contents (old) >>",
    };
    build_pdf(&b, objs, sizeof objs / sizeof objs[0]);
    static const char *const alts[] = {"eerste", "tweede", "derde"};
    static const char *const links[] = {"de link"};
    pdfpost_info in = {0};
    in.figure_alt = alts;
    in.nfigures = 3;
    in.link_desc = links;
    in.nlinks = 1;
    rc = pdfpost_apply(b.data, b.len, &in, &out, &outlen, &why);
    CHECK(rc == 0, "hand-built PDF with a /Contents array (%s)", rc ? why : "ok");
    if (rc == 0) {
        const char *o5 = obj_in_update(out, outlen, b.len, 5, &n);
        CHECK(has(o5, n, "/Alt (eerste)") && !has(o5, n, "(old)"),
              "figure 5 gets the first alt text, replacing the old one");
        const char *o7 = obj_in_update(out, outlen, b.len, 7, &n);
        CHECK(has(o7, n, "/Alt (tweede)"), "nested figure 7 is second (depth-first)");
        const char *o8 = obj_in_update(out, outlen, b.len, 8, &n);
        CHECK(has(o8, n, "/Alt (derde)"), "figure 8 is third");
        CHECK(!obj_in_update(out, outlen, b.len, 12, &n), "non-link annotation untouched");
        const char *o13 = obj_in_update(out, outlen, b.len, 13, &n);
        CHECK(has(o13, n, "/Contents (de link)") && !has(o13, n, "(old)"),
              "link /Contents replaced");
        const char *o3 = obj_in_update(out, outlen, b.len, 3, &n);
        CHECK(has(o3, n, "/Contents 14 0 R") && has(o3, n, "/Tabs /S") && !has(o3, n, "/Tabs /R"),
              "page: /Contents points at the joined stream, /Tabs /S replaces /R");
        const char *o1 = obj_in_update(out, outlen, b.len, 1, &n);
        CHECK(has(o1, n, "/HideToolbar true") && has(o1, n, "/DisplayDocTitle true") &&
                  has(o1, n, "/Version /1.7") && has(o1, n, "/Metadata 15 0 R"),
              "catalog: viewer preferences merged, version raised, metadata is a new object");
        if (have_tool("qpdf")) {
            char *f = path_in_tmp("built.pdf"), *fq = path_in_tmp("built-qdf.pdf");
            write_bytes(f, out, outlen);
            char *cmd = xasprintf("qpdf --check '%s' && qpdf --qdf --object-streams=disable '%s' '%s'", f, f, fq);
            buf o = {0};
            rc = sh(cmd, &o);
            CHECK(rc == 0, "hand-built update passes qpdf --check%s%s", rc ? "\n# " : "", rc ? o.data : "");
            size_t qn = 0, untagged = 9, artifacts = 0, pages = 0;
            char *q = read_file(fq, 1 << 26, &qn);
            if (q)
                check_qdf(q, qn, &untagged, &artifacts, &pages);
            CHECK(q && pages == 1 && untagged == 0 && artifacts == 1,
                  "marked content across the joined streams; the unmarked text became an artifact");
            free(q);
            unlink(f);
            unlink(fq);
            free(f);
            free(fq);
            free(cmd);
            buf_free(&o);
        }
        free(out);
    }

    /* mutations of this uncompressed file reach the object and content
     * parsers (offsets stay valid): no crash, errors say why */
    {
        size_t ok = 0, err = 0, nowhy = 0;
        char *m = xmalloc(b.len);
        for (int i = 0; i < 5000; i++) {
            memcpy(m, b.data, b.len);
            for (int j = 0; j < 1 + i % 3; j++) {
                static const char interesting[] = "()<>[]/\\%0 9\nR#BDCEMCBIDEIqQTjf";
                size_t at = 9 + rnd() % (b.len - 9);
                uint64_t r = rnd();
                m[at] = r & 1 ? interesting[(r >> 8) % (sizeof interesting - 1)] : (char)(r >> 16);
            }
            int r = apply_quiet(m, b.len, &in);
            ok += r == 0;
            err += r == -1;
            nowhy += r == -2;
        }
        free(m);
        CHECK(nowhy == 0 && ok + err == 5000, "5000 mutated uncompressed PDFs: %zu processed, %zu rejected", ok,
              err);
    }
    {
        /* an encrypted file is refused */
        buf e = {0};
        build_pdf(&e, objs, sizeof objs / sizeof objs[0]);
        char *t = memmem(e.data, e.len, "/Root 1 0 R >>", 14);
        b.len = 0;
        buf_add(&b, e.data, (size_t)(t - e.data));
        buf_puts(&b, "/Root 1 0 R /Encrypt 12 0 R >>");
        buf_puts(&b, t + 14);
        rc = pdfpost_apply(b.data, b.len, &in, &out, &outlen, &why);
        CHECK(rc == -1, "an encrypted PDF is refused (%s)", rc ? why : "accepted");
        buf_free(&e);
    }

    /* a fully tagged page keeps its content stream */
    static const char *const tagged[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 30 >>\nstream\n/P <</MCID 0>> BDC (a) Tj EMC\nendstream",
    };
    build_pdf(&b, tagged, 4);
    rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
    CHECK(rc == 0 && !obj_in_update(out, outlen, b.len, 4, &n) && obj_in_update(out, outlen, b.len, 3, &n),
          "fully tagged content is not rewritten, its page is (%s)", rc ? why : "ok");
    if (rc == 0)
        free(out);

    /* a page tree with a cycle */
    static const char *const cyc[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
    };
    build_pdf(&b, cyc, 3);
    rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
    CHECK(rc == -1, "page tree cycle is an error (%s)", rc ? why : "accepted");

    /* a structure tree with a cycle */
    static const char *const scyc[] = {
        "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 4 0 R >>",
        "<< /Type /Pages /Kids [] /Count 0 >>",
        "<< /Type /StructElem /S /Sect /K [5 0 R] >>",
        "<< /Type /StructTreeRoot /K 3 0 R >>",
        "<< /Type /StructElem /S /Figure /K [3 0 R] >>",
    };
    build_pdf(&b, scyc, 5);
    rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
    CHECK(rc == -1, "structure tree cycle is an error (%s)", rc ? why : "accepted");

    /* a stream whose /Length refers to itself, and one whose length is wrong */
    static const char *const selfl[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 4 0 R >>\nstream\n(a) Tj\nendstream",
    };
    build_pdf(&b, selfl, 4);
    rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
    CHECK(rc == -1, "self-referential /Length is an error (%s)", rc ? why : "accepted");
    static const char *const badl[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 99999 >>\nstream\n(a) Tj\nendstream",
    };
    build_pdf(&b, badl, 4);
    rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
    CHECK(rc == -1, "/Length beyond the file is an error (%s)", rc ? why : "accepted");
    static const char *const badf[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 6 /Filter /FlateDecode >>\nstream\n(a) Tj\nendstream",
    };
    build_pdf(&b, badf, 4);
    rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
    CHECK(rc == -1, "corrupt Flate data is an error (%s)", rc ? why : "accepted");
    static const char *const lzw[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 6 /Filter /LZWDecode >>\nstream\n(a) Tj\nendstream",
    };
    build_pdf(&b, lzw, 4);
    rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
    CHECK(rc == -1, "unsupported filter is an error (%s)", rc ? why : "accepted");

    /* 100000 nested arrays in the catalog: an error, not a stack overflow */
    {
        buf deep = {0};
        buf_puts(&deep, "<< /Type /Catalog /Pages 2 0 R /X ");
        for (int i = 0; i < 100000; i++)
            buf_putc(&deep, '[');
        for (int i = 0; i < 100000; i++)
            buf_putc(&deep, ']');
        buf_puts(&deep, " >>");
        const char *dobjs[] = {deep.data, "<< /Type /Pages /Kids [] /Count 0 >>"};
        build_pdf(&b, dobjs, 2);
        rc = pdfpost_apply(b.data, b.len, NULL, &out, &outlen, &why);
        CHECK(rc == -1, "100000 nested arrays is an error (%s)", rc ? why : "accepted");
        buf_free(&deep);
    }
    buf_free(&b);
}

/* ---- 4. robustness ---------------------------------------------------------- */

static void test_robust(void)
{
    buf pdf = {0};
    make_pdf(&pdf, 2, 3);
    pdfpost_info in = test_info();
    char *out = NULL;
    size_t outlen = 0;
    const char *why = "";

    CHECK(pdfpost_apply(NULL, 0, &in, &out, &outlen, &why) == -1, "NULL input is an error");
    CHECK(apply_quiet("", 0, &in) == -1, "empty input is an error");
    CHECK(apply_quiet("%PDF-1.5\n%%EOF\n", 15, &in) == -1, "header only is an error");
    CHECK(apply_quiet("%PDF-1.5\nstartxref\n999999\n%%EOF\n", 32, &in) == -1, "startxref beyond the end");
    {
        char g[4096];
        for (size_t i = 0; i < sizeof g; i++)
            g[i] = (char)(rnd() >> 56);
        CHECK(apply_quiet(g, sizeof g, &in) == -1, "4 KB of random bytes is an error");
        memcpy(g, "%PDF-1.5\n", 9);
        memcpy(g + sizeof g - 24, "startxref\n9\n%%EOF\n", 18);
        CHECK(apply_quiet(g, sizeof g - 6, &in) == -1, "random bytes with a PDF frame is an error");
    }

    /* every truncation of the last 400 bytes, and every 37th before */
    {
        const char *sx = NULL;
        for (const char *p = pdf.data; (p = memmem(p, pdf.len - (size_t)(p - pdf.data), "startxref", 9)); p++)
            sx = p;
        size_t lim = (size_t)(sx - pdf.data) + 10, bad = 0, tried = 0;
        for (size_t len = 0; len < pdf.len; len += len + 400 < pdf.len ? 37 : 1) {
            int rc = apply_quiet(pdf.data, len, &in);
            tried++;
            if (rc == -2 || (len < lim && rc != -1))
                bad++;
        }
        CHECK(bad == 0, "%zu truncations: all rejected up to the startxref number, none crash", tried);
    }

    /* wrong xref offsets */
    {
        char *x = memmem(pdf.data, pdf.len, "\nxref\n", 6);
        CHECK(x != NULL, "found the xref table");
        if (x) {
            /* "xref\n0 N\n" then 20-byte entries; entry 2 is object 2 */
            char *e = strchr(x + 6, '\n') + 1 + 2 * 20;
            char save[10];
            memcpy(save, e, 10);
            unsigned long off = strtoul(e, NULL, 10);
            char num[11];
            snprintf(num, sizeof num, "%010lu", off + 1);
            memcpy(e, num, 10);
            CHECK(apply_quiet(pdf.data, pdf.len, &in) == -1, "xref offset off by one is an error");
            snprintf(num, sizeof num, "%010lu", (unsigned long)pdf.len + 5);
            memcpy(e, num, 10);
            CHECK(apply_quiet(pdf.data, pdf.len, &in) == -1, "xref offset beyond the file is an error");
            memcpy(e, e + 20, 10); /* object 3's offset for object 2 */
            CHECK(apply_quiet(pdf.data, pdf.len, &in) == -1, "xref offset of another object is an error");
            memcpy(e, save, 10);
            CHECK(apply_quiet(pdf.data, pdf.len, &in) == 0, "restored xref works again");
            /* startxref one byte off */
            char *s = pdf.data + pdf.len - 1;
            while (s > pdf.data && !(s[0] >= '0' && s[0] <= '9'))
                s--;
            char c = *s;
            *s = (char)(c == '9' ? '0' : c + 1);
            CHECK(apply_quiet(pdf.data, pdf.len, &in) == -1, "wrong startxref is an error");
            *s = c;
        }
    }

    /* single-byte mutations anywhere: must never crash; errors say why */
    {
        size_t ok = 0, err = 0, nowhy = 0;
        char *m = xmalloc(pdf.len);
        for (int i = 0; i < 3000; i++) {
            memcpy(m, pdf.data, pdf.len);
            int k = 1 + (int)(rnd() % 3);
            for (int j = 0; j < k; j++) {
                size_t at = rnd() % pdf.len;
                uint64_t r = rnd();
                static const char interesting[] = "()<>[]/\\%0 9\nRobjendstreamBDCEMCq";
                m[at] = r & 1 ? interesting[(r >> 8) % (sizeof interesting - 1)] : (char)(r >> 16);
            }
            int rc = apply_quiet(m, pdf.len, &in);
            ok += rc == 0;
            err += rc == -1;
            nowhy += rc == -2;
        }
        free(m);
        CHECK(nowhy == 0 && ok + err == 3000, "3000 mutated PDFs: %zu processed, %zu rejected, no crash", ok, err);
    }
    buf_free(&pdf);
}

/* ---- timing ------------------------------------------------------------------ */

static void test_timing(void)
{
    buf pdf = {0};
    make_pdf(&pdf, 130, 25);
    pdfpost_info in = test_info();
    in.link_desc = NULL;
    in.figure_alt = NULL;
    char *out = NULL;
    size_t outlen = 0;
    const char *why = "";
    double best = 1e9;
    int rc = 0;
    for (int i = 0; i < 5 && rc == 0; i++) {
        double t0 = now_seconds();
        rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
        double t = now_seconds() - t0;
        if (t < best)
            best = t;
        if (rc == 0)
            free(out);
    }
    CHECK(rc == 0, "130-page PDF (%zu KB) processed (%s)", pdf.len / 1024, rc ? why : "ok");
    printf("# 130 pages, %zu KB: best of 5 %.2f ms (%.2f ms per 100 pages)\n", pdf.len / 1024, best * 1e3,
           best * 1e3 / 1.3);
    /* generous: catches quadratic behaviour, not a slow machine */
    CHECK(best < 0.5, "130 pages in under 500 ms (%.1f ms)", best * 1e3);
    buf_free(&pdf);
}

/* Pages and the top structure element reordered, new page labels. */
static void test_reorder(void)
{
    buf pdf = {0};
    make_pdf(&pdf, 3, 2);
    pdfpost_info in;
    memset(&in, 0, sizeof in);
    static const size_t order[] = {2, 0, 1};
    static const char *const labels[] = {"Omslag", "i", "1"};
    in.page_order = order;
    in.npages = 3;
    in.page_labels = labels;
    in.struct_move_last = 1;
    in.struct_move_to = 0;
    char *out = NULL;
    size_t outlen = 0;
    const char *why = NULL;
    int rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == 0, "reorder: pdfpost_apply succeeds (%s)", rc ? why : "ok");
    if (rc == 0) {
        CHECK(has(out + pdf.len, outlen - pdf.len, "/PageLabels << /Nums [\n0 << /P (Omslag) >>\n1 << /S /r /St 1 >>\n2 << /S /D /St 1 >>"),
              "reorder: one label range per run (Omslag; i; 1...)");
        char *f = path_in_tmp("reorder.pdf");
        write_bytes(f, out, outlen);
        if (have_tool("qpdf") && have_tool("pdftotext")) {
            buf o = {0};
            char *cmd = xasprintf("qpdf --check '%s'", f);
            CHECK(sh(cmd, &o) == 0, "reorder: qpdf --check passes");
            free(cmd);
            o.len = 0;
            int ok = 1;
            for (int p = 1; p <= 3; p++) {
                o.len = 0;
                cmd = xasprintf("pdftotext -f %d -l %d '%s' -", p, p, f);
                sh(cmd, &o);
                free(cmd);
                char want[32];
                snprintf(want, sizeof want, "Hoofdstuk %d", p == 1 ? 3 : p - 1);
                if (!contains(&o, want))
                    ok = 0;
            }
            CHECK(ok, "reorder: the pages read Hoofdstuk 3, 1, 2");
            o.len = 0;
            cmd = xasprintf("qpdf --json --json-key=pagelabels '%s'", f);
            sh(cmd, &o);
            free(cmd);
            CHECK(contains(&o, "\"/P\": \"u:Omslag\"") && contains(&o, "\"/S\": \"/r\"") && contains(&o, "\"/S\": \"/D\""),
                  "reorder: qpdf reads the labels");
            buf_free(&o);
        }
        unlink(f);
        free(f);
        free(out);
    }
    static const size_t dup[] = {0, 0, 1};
    in.page_order = dup;
    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == -1, "reorder: an order that is not a permutation is an error (%s)", rc ? why : "accepted");
    in.page_order = order;
    in.npages = 2;
    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == -1, "reorder: an order for 2 of 3 pages is an error (%s)", rc ? why : "accepted");
    in.npages = 3;
    in.struct_move_to = 99;
    rc = pdfpost_apply(pdf.data, pdf.len, &in, &out, &outlen, &why);
    CHECK(rc == -1, "reorder: moving a structure element past the end is an error (%s)", rc ? why : "accepted");
    buf_free(&pdf);
}

/* ---- 5. xref streams and object streams (cairo 1.18, qpdf) ------------------ */

/* How build_xs lays out a PDF. */
typedef struct xs_opts {
    unsigned instm;    /* bit i: object i+1 lives in the object stream */
    int predictor;     /* rows PNG-"Up"-encoded (/Predictor 12) */
    int split;         /* /Index in two subsections (and object 0 left out) */
    const char *xdict; /* extra xref stream dictionary entries, or NULL */
    const char *sdict; /* extra object stream dictionary entries, or NULL */
    int bad_index;     /* the object stream lists object 1 where object 2 should be */
} xs_opts;

static void put_row(buf *r, unsigned type, size_t f2, size_t f3)
{
    unsigned char row[6] = {(unsigned char)type, (unsigned char)(f2 >> 16), (unsigned char)(f2 >> 8),
                            (unsigned char)f2, (unsigned char)(f3 >> 8), (unsigned char)f3};
    buf_add(r, (const char *)row, 6);
}

static void put_flate(buf *b, const char *d, size_t n)
{
    uLongf zn = compressBound((uLong)n);
    unsigned char *z = xmalloc(zn);
    compress(z, &zn, (const unsigned char *)d, (uLong)n);
    buf_printf(b, "/Length %lu /Filter /FlateDecode", (unsigned long)zn);
    buf_puts(b, " >>\nstream\n");
    buf_add(b, (const char *)z, zn);
    buf_puts(b, "\nendstream\nendobj\n");
    free(z);
}

/* A PDF like build_pdf's but found through an xref stream (/W [1 3 2],
 * object nobj + 2), the objects chosen by o->instm in an object stream
 * (object nobj + 1). */
static void build_xs(buf *b, const char *const *objs, size_t nobj, const xs_opts *o)
{
    size_t S = nobj + 1, X = nobj + 2, *off = xcalloc(X + 1, sizeof *off), k = 0;
    buf head = {0}, body = {0}, rows = {0}, enc = {0};
    b->len = 0;
    buf_puts(b, "%PDF-1.5\n");
    for (size_t i = 0; i < nobj; i++) {
        if (o->instm >> i & 1) {
            buf_printf(&head, "%zu %zu ", o->bad_index && i == 1 ? (size_t)1 : i + 1, body.len);
            buf_printf(&body, "%s\n", objs[i]);
            continue;
        }
        off[i + 1] = b->len;
        buf_printf(b, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    if (o->instm) {
        off[S] = b->len;
        /* extra entries first: the first of two equal keys is the one read */
        buf_printf(b, "%zu 0 obj\n<< %s /Type /ObjStm /N %zu /First %zu ", S, o->sdict ? o->sdict : "",
                   (size_t)__builtin_popcount(o->instm), head.len);
        buf_add(&head, body.data, body.len);
        put_flate(b, head.data, head.len);
    }
    off[X] = b->len;
    for (size_t i = o->split ? 1 : 0; i <= X; i++) {
        if (i == 0)
            put_row(&rows, 0, 0, 65535);
        else if (i <= nobj && (o->instm >> (i - 1) & 1))
            put_row(&rows, 2, S, k++);
        else if (i == S && !o->instm)
            put_row(&rows, 0, 0, 0);
        else
            put_row(&rows, 1, off[i], 0);
    }
    const char *r = rows.data;
    if (o->predictor) {
        for (size_t i = 0; i < rows.len; i += 6) {
            buf_putc(&enc, 2);
            for (size_t j = 0; j < 6; j++)
                buf_putc(&enc, (char)(unsigned char)(r[i + j] - (i ? r[i + j - 6] : 0)));
        }
        r = enc.data;
    }
    buf_printf(b, "%zu 0 obj\n<< %s /Type /XRef /Size %zu /W [1 3 2] /Root 1 0 R ", X, o->xdict ? o->xdict : "",
               X + 1);
    if (o->split)
        buf_printf(b, "/Index [1 3 4 %zu] ", X - 3);
    if (o->predictor)
        buf_puts(b, "/DecodeParms << /Predictor 12 /Columns 6 >> ");
    put_flate(b, r, o->predictor ? enc.len : rows.len);
    buf_printf(b, "startxref\n%zu\n%%%%EOF\n", off[X]);
    free(off);
    buf_free(&head);
    buf_free(&body);
    buf_free(&rows);
    buf_free(&enc);
}

static int qpdf_check(const char *d, size_t n, const char *name, buf *o)
{
    char *f = path_in_tmp(name);
    write_bytes(f, d, n);
    char *cmd = xasprintf("qpdf --check '%s'", f);
    o->len = 0;
    int rc = sh(cmd, o);
    free(cmd);
    unlink(f);
    free(f);
    return rc;
}

/* The newest xref section of d is an xref stream (startxref -> "N 0 obj
 * << /Type /XRef"). */
static int ends_in_xref_stream(const char *d, size_t n)
{
    const char *sx = NULL;
    for (const char *p = d; (p = memmem(p, n - (size_t)(p - d), "startxref", 9)); p++)
        sx = p;
    if (!sx)
        return 0;
    size_t at = strtoul(sx + 9, NULL, 10);
    return at < n && has(d + at, n - at < 80 ? n - at : 80, "obj\n<< /Type /XRef");
}

static void test_streams(void)
{
    static const char *const objs[] = {
        /* 1 */ "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 6 0 R >>",
        /* 2 */ "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        /* 3 */ "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [7 0 R] >>",
        /* 4 */ "<< /Length 50 >>\nstream\n/Figure <</MCID 0>> BDC 0 0 5 5 re f EMC\n(foot) Tj\nendstream",
        /* 5 */ "<< /Type /StructElem /S /Figure /P 6 0 R /K 0 /Pg 3 0 R >>",
        /* 6 */ "<< /Type /StructTreeRoot /K 5 0 R >>",
        /* 7 */ "<< /Type /Annot /Subtype /Link /Rect [0 0 1 1] >>",
    };
    static const char *const alts[] = {"een figuur"};
    static const char *const links[] = {"een link"};
    pdfpost_info in = {0};
    in.figure_alt = alts;
    in.nfigures = 1;
    in.link_desc = links;
    in.nlinks = 1;
    in.lang = "nl";
    buf b = {0}, o = {0};
    char *out = NULL, *out2 = NULL;
    size_t outlen = 0, outlen2 = 0, n;
    const char *why = "";
    int qpdf = have_tool("qpdf"), rc;
    /* 0x37: objects 1, 2, 3, 5, 6 in the object stream (not the content stream 4, annotation 7) */
    static const struct {
        const char *name;
        xs_opts o;
    } good[] = {
        {"xref stream, no object stream", {0, 0, 0, NULL, NULL, 0}},
        {"xref stream with PNG predictor", {0, 1, 0, NULL, NULL, 0}},
        {"object stream, /Index in two subsections", {0x37, 0, 1, NULL, NULL, 0}},
        {"object stream and predictor", {0x37, 1, 0, NULL, NULL, 0}},
    };
    for (size_t t = 0; t < sizeof good / sizeof good[0]; t++) {
        build_xs(&b, objs, 7, &good[t].o);
        rc = pdfpost_apply(b.data, b.len, &in, &out, &outlen, &why);
        CHECK(rc == 0, "streams: %s: processed (%s)", good[t].name, rc ? why : "ok");
        if (rc)
            continue;
        const char *o5 = obj_in_update(out, outlen, b.len, 5, &n);
        const char *o7 = obj_in_update(out, outlen, b.len, 7, &n);
        const char *o1 = obj_in_update(out, outlen, b.len, 1, &n);
        CHECK(o5 && has(o5, 200, "/Alt (een figuur)") && o7 && has(o7, 200, "/Contents (een link)") && o1 &&
                  has(o1, n, "/Lang (nl)"),
              "streams: %s: /Alt, link /Contents, /Lang land on the objects", good[t].name);
        CHECK(ends_in_xref_stream(out, outlen), "streams: %s: the update ends in an xref stream", good[t].name);
        if (qpdf) {
            rc = qpdf_check(out, outlen, "xs.pdf", &o);
            CHECK(rc == 0, "streams: %s: qpdf --check passes%s%s", good[t].name, rc ? "\n# " : "", rc ? o.data : "");
        }
        rc = pdfpost_apply(out, outlen, &in, &out2, &outlen2, &why);
        CHECK(rc == 0 && ends_in_xref_stream(out2, outlen2),
              "streams: %s: the output processed again (two xref streams, /Prev) (%s)", good[t].name,
              rc ? why : "ok");
        if (rc == 0 && qpdf) {
            rc = qpdf_check(out2, outlen2, "xs2.pdf", &o);
            CHECK(rc == 0, "streams: %s: twice processed passes qpdf --check", good[t].name);
        }
        free(out2);
        out2 = NULL;
        free(out);
        out = NULL;
    }

    /* what it does not understand, or what is broken: an error, never a crash */
    static const struct {
        const char *name;
        xs_opts o;
    } bad[] = {
        {"/W with a 9-byte field", {0, 0, 0, "/W [1 9 2]", NULL, 0}},
        {"/W with two fields", {0, 0, 0, "/W [1 3]", NULL, 0}},
        {"/W of zero width", {0, 0, 0, "/W [0 0 0]", NULL, 0}},
        {"/Index beyond the data", {0, 0, 0, "/Index [0 99]", NULL, 0}},
        {"/Index with an odd count", {0, 0, 0, "/Index [0 10 3]", NULL, 0}},
        {"/Index not an array", {0, 0, 0, "/Index 5", NULL, 0}},
        {"/Size beyond the limit", {0, 0, 0, "/Size 99999999999", NULL, 0}},
        {"/Size of more objects than its data", {0, 0, 0, "/Size 8000000", NULL, 0}},
        {"/Size smaller than the entries", {0, 0, 0, "/Size 3", NULL, 0}},
        {"xref stream of /Type /X", {0, 0, 0, "/Type /X", NULL, 0}},
        {"TIFF predictor", {0, 0, 0, "/DecodeParms << /Predictor 2 >>", NULL, 0}},
        {"predictor rows not filling the data", {0, 0, 0, "/DecodeParms << /Predictor 12 /Columns 7 >>", NULL, 0}},
        {"predictor with 3 colours", {0, 1, 0, "/DecodeParms << /Predictor 12 /Columns 2 /Colors 3 >>", NULL, 0}},
        {"unknown PNG row type", {0, 0, 0, "/DecodeParms << /Predictor 12 /Columns 2 >>", NULL, 0}},
        {"/Prev at garbage", {0, 0, 0, "/Prev 3", NULL, 0}},
        {"/Prev at itself", {0, 0, 0, "/Prev 0000000", NULL, 0}},
        {"object stream /N too large", {0x37, 0, 0, NULL, "/N 99", 0}},
        {"object stream /First beyond its data", {0x37, 0, 0, NULL, "/First 99999", 0}},
        {"object stream /First inside its header", {0x37, 0, 0, NULL, "/First 3", 0}},
        {"object stream /N negative", {0x37, 0, 0, NULL, "/N -1", 0}},
        {"object stream with /Extends", {0x37, 0, 0, NULL, "/Extends 4 0 R", 0}},
        {"object stream with another object at the xref's index", {0x37, 0, 0, NULL, NULL, 1}},
        {"object stream not of /Type /ObjStm", {0x37, 0, 0, NULL, "/Type /XObject", 0}},
        {"object stream /DecodeParms", {0x37, 0, 0, NULL, "/DecodeParms << /Predictor 99 >>", 0}},
        {"encrypted", {0, 0, 0, "/Encrypt 4 0 R", NULL, 0}},
    };
    for (size_t t = 0; t < sizeof bad / sizeof bad[0]; t++) {
        build_xs(&b, objs, 7, &bad[t].o);
        if (!strcmp(bad[t].name, "/Prev at itself")) {
            char *p = memmem(b.data, b.len, "/Prev 0000000", 13);
            const char *sx = NULL;
            for (const char *q = b.data; (q = memmem(q, b.len - (size_t)(q - b.data), "startxref", 9)); q++)
                sx = q;
            char num[8];
            snprintf(num, sizeof num, "%-7zu", sx ? (size_t)strtoul(sx + 9, NULL, 10) : (size_t)0);
            if (p)
                memcpy(p + 6, num, 7);
        }
        rc = pdfpost_apply(b.data, b.len, &in, &out, &outlen, &why);
        CHECK(rc == -1 && why, "streams: %s is an error (%s)", bad[t].name, rc ? why : "accepted");
        if (rc == 0)
            free(out);
        out = NULL;
    }
    {
        /* a later entry of /W: the xref stream keyword /Type /XRef missing */
        build_xs(&b, objs, 7, &good[0].o);
        char *p = memmem(b.data, b.len, "/Type /XRef", 11);
        if (p)
            memcpy(p, "/Type /XXef", 11);
        CHECK(apply_quiet(b.data, b.len, &in) == -1, "streams: startxref at a stream that is not /Type /XRef");
        build_xs(&b, objs, 7, &good[0].o);
        p = memmem(b.data, b.len, "/Length", 7);
        char *q = p ? memmem(p + 7, b.len - (size_t)(p + 7 - b.data), "/Length", 7) : NULL;
        while (q) { /* the xref stream's (last) /Length */
            p = q;
            q = memmem(p + 7, b.len - (size_t)(p + 7 - b.data), "/Length", 7);
        }
        if (p)
            memcpy(p, "/Length 4 0 R ", 14); /* overwrites a number and part of /Filter */
        CHECK(apply_quiet(b.data, b.len, &in) == -1, "streams: xref stream /Length not a direct number");
    }

    /* an entry with the stale offset of another object (cairo 1.18.4 and
     * Artifact tags): left out and listed as free; referenced: an error */
    {
        const char *const stale[] = {
            objs[0], objs[1], objs[2], objs[3], objs[4], objs[5], objs[6],
            /* 8 */ "<< /Never (written) >>",
        };
        build_xs(&b, stale, 8, &good[0].o);
        /* the xref stream's row 8 gets object 7's offset: rewrite and re-encode */
        buf rows = {0};
        const char *sx = NULL;
        for (const char *q = b.data; (q = memmem(q, b.len - (size_t)(q - b.data), "startxref", 9)); q++)
            sx = q;
        size_t at = strtoul(sx + 9, NULL, 10);
        char *s = memmem(b.data + at, b.len - at, "stream\n", 7);
        size_t zlen = strtoul(strstr(b.data + at, "/Length ") + 8, NULL, 10);
        uLongf rn = 6 * 16;
        unsigned char r[96];
        int zr = uncompress(r, &rn, (const unsigned char *)s + 7, zlen);
        memcpy(r + 8 * 6, r + 7 * 6, 6);
        buf_add(&rows, (const char *)r, rn);
        b.len = at;
        buf_printf(&b, "%zu 0 obj\n<< /Type /XRef /Size 11 /W [1 3 2] /Root 1 0 R ", (size_t)10);
        put_flate(&b, rows.data, rows.len);
        buf_printf(&b, "startxref\n%zu\n%%%%EOF\n", at);
        rc = pdfpost_apply(b.data, b.len, &in, &out, &outlen, &why);
        CHECK(zr == Z_OK && rc == 0, "streams: an unreferenced entry pointing at another object is left out (%s)",
              rc ? why : "ok");
        if (rc == 0 && qpdf) {
            rc = qpdf_check(out, outlen, "stale.pdf", &o);
            CHECK(rc == 0, "streams: ... and listed as free: qpdf --check passes%s%s", rc ? "\n# " : "",
                  rc ? o.data : "");
        }
        if (out)
            free(out);
        out = NULL;
        /* now referenced (as the annotation): an error */
        char *a = memmem(b.data, b.len, "/Annots [7 0 R]", 15);
        if (a)
            a[9] = '8';
        CHECK(a && apply_quiet(b.data, b.len, &in) == -1, "streams: a reference to that object is an error");
        buf_free(&rows);
    }

    /* a hybrid file: classic table + /XRefStm with the compressed objects */
    {
        xs_opts ho = {0x37, 0, 0, NULL, NULL, 0};
        build_xs(&b, objs, 7, &ho);
        const char *sx = NULL;
        for (const char *q = b.data; (q = memmem(q, b.len - (size_t)(q - b.data), "startxref", 9)); q++)
            sx = q;
        size_t xs = strtoul(sx + 9, NULL, 10), end = (size_t)(sx - b.data);
        b.len = end;
        /* a classic section with the direct objects 4 and 7 only; the rest via /XRefStm */
        const char *p4 = memmem(b.data, b.len, "\n4 0 obj", 8), *p7 = memmem(b.data, b.len, "\n7 0 obj", 8);
        size_t x = b.len;
        buf_printf(&b, "xref\n0 1\n0000000000 65535 f \n4 1\n%010zu 00000 n \n7 1\n%010zu 00000 n \n",
                   (size_t)(p4 - b.data) + 1, (size_t)(p7 - b.data) + 1);
        buf_printf(&b, "trailer\n<< /Size 10 /Root 1 0 R /XRefStm %zu >>\nstartxref\n%zu\n%%%%EOF\n", xs, x);
        rc = pdfpost_apply(b.data, b.len, &in, &out, &outlen, &why);
        CHECK(rc == 0 && !ends_in_xref_stream(out, outlen),
              "streams: hybrid file (classic table + /XRefStm) processed, updated with a classic table (%s)",
              rc ? why : "ok");
        if (rc == 0 && qpdf) {
            rc = qpdf_check(out, outlen, "hybrid.pdf", &o);
            CHECK(rc == 0, "streams: hybrid update passes qpdf --check%s%s", rc ? "\n# " : "", rc ? o.data : "");
        }
        free(out);
        out = NULL;
    }

    /* qpdf's own xref and object streams of a cairo PDF; then its every
     * truncation near the end and thousands of mutations */
    if (qpdf) {
        buf pdf = {0};
        make_pdf(&pdf, 2, 3);
        char *f = path_in_tmp("c.pdf"), *fs = path_in_tmp("cs.pdf");
        write_bytes(f, pdf.data, pdf.len);
        char *cmd = xasprintf("qpdf --object-streams=generate --compress-streams=y '%s' '%s'", f, fs);
        rc = sh(cmd, &o);
        free(cmd);
        size_t sn = 0;
        char *s = rc == 0 ? read_file(fs, 1 << 26, &sn) : NULL;
        CHECK(s && has(s, sn, "/Type /ObjStm") && has(s, sn, "/Predictor 12"),
              "streams: qpdf wrote object streams and a predicted xref stream");
        pdfpost_info ti = test_info();
        rc = s ? pdfpost_apply(s, sn, &ti, &out, &outlen, &why) : -1;
        CHECK(rc == 0, "streams: qpdf's rewrite of a cairo PDF processed (%s)", rc ? why : "ok");
        if (rc == 0) {
            CHECK(ends_in_xref_stream(out, outlen), "streams: ... its update is an xref stream");
            rc = qpdf_check(out, outlen, "cs-out.pdf", &o);
            CHECK(rc == 0, "streams: ... and passes qpdf --check%s%s", rc ? "\n# " : "", rc ? o.data : "");
            char *fo = path_in_tmp("cs-out.pdf"), *fq = path_in_tmp("cs-qdf.pdf");
            write_bytes(fo, out, outlen);
            cmd = xasprintf("qpdf --qdf --object-streams=disable '%s' '%s'", fo, fq);
            sh(cmd, &o);
            free(cmd);
            size_t qn = 0, untagged = 9, artifacts = 0, pages = 0;
            char *q = read_file(fq, 1 << 26, &qn);
            if (q)
                check_qdf(q, qn, &untagged, &artifacts, &pages);
            CHECK(q && pages == 2 && untagged == 0 && artifacts >= 2,
                  "streams: ... every painting operator in marked content, the feet artifacts (%zu)", artifacts);
            free(q);
            unlink(fo);
            unlink(fq);
            free(fo);
            free(fq);
            free(out);
            out = NULL;
        }
        if (s) {
            size_t tried = 0, badrc = 0;
            for (size_t len = sn > 600 ? sn - 600 : 0; len < sn; len++, tried++)
                if (apply_quiet(s, len, &ti) == -2)
                    badrc++;
            CHECK(badrc == 0, "streams: %zu truncations near the end: none crash, every error says why", tried);
            size_t ok = 0, err = 0, nowhy = 0;
            char *m = xmalloc(sn);
            for (int i = 0; i < 3000; i++) {
                memcpy(m, s, sn);
                int k = 1 + (int)(rnd() % 3);
                for (int j = 0; j < k; j++) {
                    /* half of them in the last 300 bytes: the xref stream */
                    size_t at = rnd() & 1 && sn > 300 ? sn - 300 + rnd() % 300 : rnd() % sn;
                    uint64_t r = rnd();
                    static const char interesting[] = "()<>[]/\\%0 9\nRobjendstream";
                    m[at] = r & 1 ? interesting[(r >> 8) % (sizeof interesting - 1)] : (char)(r >> 16);
                }
                int r2 = apply_quiet(m, sn, &ti);
                ok += r2 == 0;
                err += r2 == -1;
                nowhy += r2 == -2;
            }
            free(m);
            CHECK(nowhy == 0 && ok + err == 3000, "streams: 3000 mutated qpdf PDFs: %zu processed, %zu rejected, no crash",
                  ok, err);
        }
        free(s);
        unlink(f);
        unlink(fs);
        free(f);
        free(fs);
        buf_free(&pdf);
    } else {
        printf("ok - # SKIP qpdf not installed (make test-deps)\n");
    }
    buf_free(&b);
    buf_free(&o);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_pdfpost.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        printf("not ok - mkdtemp\n");
        return 1;
    }
    test_content();
    test_cairo();
    test_reorder();
    test_built();
    test_robust();
    test_streams();
    test_timing();
    rmdir(tmpdir);
    HARNESS_EXIT();
}
