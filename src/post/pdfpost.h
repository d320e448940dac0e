/* pdfpost — adds what cairo (1.16, 1.18) cannot write for PDF/UA-1 to the PDF it
 * wrote, as an incremental update: the original bytes are kept unchanged
 * and new versions of the changed objects, a new xref section and a
 * trailer with /Prev are appended (ISO 32000-1 §7.5.6).
 *
 * What the update adds (shared/notes/cairo-1.16.md, issue 5):
 * - catalog: /Lang, /MarkInfo << /Marked true >>, /ViewerPreferences
 *   << /DisplayDocTitle true >>, /Version /1.7, and /Metadata: an XMP
 *   stream with dc:title, dc:creator, dc:description, dc:language,
 *   xmp dates, xmp:CreatorTool, pdf:Producer and pdfuaid:part 1;
 * - every page: /Tabs /S, and its content rewritten so that every painting
 *   operation outside marked content is wrapped in /Artifact BMC ... EMC
 *   (a content stream without such operations is left as it is; a
 *   /Contents array becomes one new stream);
 * - every /Link annotation: /Contents (its description);
 * - every /Figure structure element: /Alt;
 * - optionally: the pages in a new order (a new /Pages node), new page
 *   labels, and the top structure element's last child moved forward
 *   (cairo draws pages in order; the table of contents is drawn last);
 * - trailer: /ID (derived from a hash of the input: byte-reproducible).
 *
 * Input: the PDF cairo writes: 1.16's classic xref table, or 1.18's
 * cross-reference stream (§7.5.8: /W, /Index, Flate with the PNG
 * predictors) with objects in object streams (§7.5.7: /N, /First; no
 * /Extends); hybrid files (/XRefStm); Flate or unfiltered content streams.
 * Earlier updates (/Prev) are followed, so an output can be processed
 * again; the update is an xref stream when the newest section is one, a
 * classic section otherwise. An xref entry that points at another object
 * listed at the same offset is taken for an object never written (cairo
 * 1.18.4 writes one for each Artifact tag) and listed as free. Anything
 * else, and any malformed input, gives an error; the input is never read
 * out of bounds.
 * Strings in pdfpost_info are UTF-8 (invalid bytes become U+FFFD). */
#ifndef GB_PDFPOST_H
#define GB_PDFPOST_H

#include <stddef.h>

typedef struct pdfpost_info {
    const char *lang; /* "nl" -> /Lang (nl) in the catalog and dc:language; NULL: keep */
    /* For the XMP packet; NULL: taken from the document information
     * dictionary (/Title, /Author, /Subject, /Creator) when it has them. */
    const char *title, *author, *subject, *creator;
    const char *date; /* "YYYY-MM-DDThh:mm:ssZ": xmp:CreateDate/ModifyDate/MetadataDate; NULL: none */
    /* Description of each link annotation in document order (pages in
     * page-tree order, then /Annots order). With link_desc == NULL links are
     * left alone; otherwise nlinks must equal the number of /Link
     * annotations (a NULL entry leaves that one alone). */
    const char *const *link_desc;
    size_t nlinks;
    /* /Alt of each /Figure structure element in structure-tree order
     * (depth-first, pre-order); same rules as link_desc. */
    const char *const *figure_alt;
    size_t nfigures;
    /* Page order: page_order[i] is the index (in the page tree as it is)
     * of the page that becomes page i; npages must be the page count and
     * the page tree one /Pages node over all pages. NULL: keep the order.
     * Link descriptions above follow the order as it was. */
    const size_t *page_order;
    size_t npages;
    /* The label of every page in the final order (npages of them): a new
     * /PageLabels replaces the catalog's. NULL: keep. */
    const char *const *page_labels;
    /* Moves the last child of the structure tree's top element (the
     * structure tree root's only kid) to index struct_move_to among its
     * children. */
    int struct_move_last;
    size_t struct_move_to;
} pdfpost_info;

/* Returns 0 and a new buffer *out of *outlen bytes (caller frees; it is
 * NUL-terminated for convenience) holding pdf[0..len) followed by the
 * update, or -1 with a static message in *why (out untouched). Same input
 * -> same output. */
int pdfpost_apply(const char *pdf, size_t len, const pdfpost_info *info, char **out, size_t *outlen,
                  const char **why);

/* The content-stream step alone, on one decompressed content stream:
 * wraps every maximal run of operations outside marked content that
 * contains a painting operator (Tj TJ ' " Do sh f F f* B B* b b* S s, inline
 * images) in "/Artifact BMC ... EMC", keeping q/Q and BT/ET balanced inside
 * each wrapped run. Same return convention as pdfpost_apply. */
int pdfpost_content(const char *in, size_t len, char **out, size_t *outlen, const char **why);

#endif
