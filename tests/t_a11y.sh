#!/usr/bin/env bash
# t_a11y.sh — accessibility of both editions and one set of page numbers
# (issue 5). Builds the real book (chapters/) and a small test book that
# it generates (headings h1-h3, an image with alt text "Een plattegrond van
# de werkplek", lists, a block quote, a code block, links, and enough text
# for pages that begin mid-paragraph, in a list, in a quote), and checks,
# by reading the outputs with python3 (standard library only), qpdf,
# poppler-utils, EPUBCheck and DAISY Ace:
#   EPUB
#   - ../shared/tools/epub-ace: no critical or serious violations (exit 2,
#     "could not run", is a skip); EPUBCheck: 0 errors, 0 warnings;
#   - OPF: schema:accessMode (textual; visual where there are images),
#     accessModeSufficient (textual), accessibilityFeature
#     (structuralNavigation, tableOfContents, readingOrder,
#     printPageNumbers, pageNavigation, pageBreakMarkers; alternativeText
#     where there are images, and then every <img> has an alt text),
#     accessibilityHazard, a Dutch accessibilitySummary, dc:source refined
#     by source-of "pagination";
#   - every XHTML has lang and xml:lang (the book's language); epub:type
#     and ARIA role pairs: chapter/doc-chapter (one per chapter file),
#     toc/doc-toc, pagebreak/doc-pagebreak, the cover <img> doc-cover;
#     heading levels without gaps in each chapter (h1 first);
#   page numbers
#   - the page-list of the nav document has one entry per PDF page that
#     holds body text (from the first chapter on; not cover, title page,
#     table of contents), labelled with the PDF's own page label (catalog
#     /PageLabels), each pointing at a pagebreak marker with that
#     aria-label; markers in spine/document order, in increasing page
#     order; the NCX pageList is the same list;
#   - for each of those pages the first words of `pdftotext -f N -l N`
#     are the first words of the EPUB text (chapter files in spine order,
#     text only) right after the marker of that page;
#   tagged PDF
#   - catalog: /Lang (the book's language), /MarkInfo /Marked true,
#     /StructTreeRoot, /ViewerPreferences /DisplayDocTitle true, /Metadata:
#     an XMP stream with pdfuaid:part 1 and dc:title = the book's title;
#     header %PDF-1.7; pdfinfo: "Tagged: yes", "PDF version: 1.7";
#   - structure tree (pdfinfo -struct-text): the element kinds the book's
#     content calls for (H1..H3, P, L, LI, Lbl, LBody, BlockQuote, Code,
#     Figure, Link); every /Figure has an /Alt (the test image's is
#     "Een plattegrond van de werkplek") and encloses its picture: its own
#     marked content holds the image (Do), not an artifact;
#   - link annotations: /Contents, the link's text as the EPUB has it, and
#     /StructParent; pages: /Tabs /S;
#   - content streams (decoded by qpdf): every painting operator (Tj TJ '
#     " Do sh f F f* B B* b b* S s, inline images) lies inside marked
#     content with an MCID (a structure element) or inside /Artifact;
#     marked content balanced per page; every MCID is in the structure tree;
#   - the text of that content (decoded through each font's /ToUnicode,
#     /ActualText spans read as their text, a TJ gap of 0.2 em or more as
#     a space): artifacts hold only the running foot (page number, book
#     title, chapter title), never real content; read in structure-tree
#     order, the tagged text has every word of the chapters in order; every
#     Link element holds its link text;
#   - qpdf --check; two builds give byte-identical PDFs and EPUBs.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-a11y.XXXXXX")
bgpids=()
trap 'for p in "${bgpids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require qpdf pdftotext pdfinfo python3 java

build() { # LABEL OUTDIR BOOKDIR
  local label=$1 out=$2 book=$3
  if "$GB" build "$book" -o "$out" >"$out.log" 2>&1; then
    ok "build: $label"
  else
    nok "build: $label (exit $?)"; indent <"$out.log"
  fi
}

# ---- the test book ---------------------------------------------------------
tb=$tmp/book
python3 - "$tb" <<'PY'
import os, sys, zlib, struct
d = sys.argv[1]
os.makedirs(d + "/images", exist_ok=True)
def png(w, h):
    def chunk(t, data):
        return (struct.pack(">I", len(data)) + t + data
                + struct.pack(">I", zlib.crc32(t + data) & 0xffffffff))
    raw = b"".join(b"\0" + bytes(c for x in range(w) for c in (x * 255 // w, y * 255 // h, 128))
                   for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
open(d + "/images/plattegrond.png", "wb").write(png(64, 40))
open(d + "/book.yaml", "w").write("""name: toegankelijk
title: Toegankelijk boek
author: goodiebag tests
publisher: goodiebag
lang: nl
date: 2026-01-01
chapters:
  - file: 01-werkplek.md
    label: "1"
  - 02-lange-tekst.md
""")
# numbered Dutch sentences: every page begins with words found once
W = ("medewerkers organisatie samenwerking afspraken werkplek vergadering thuiswerken "
     "verantwoordelijkheid ontwikkeling gesprekken kennisdeling leidinggevende teamleden "
     "ervaringen onderzoek beleidsmakers uitvoering ministerie wendbaarheid opgave").split()
def para(n, k=9):
    out = []
    for s in range(k):
        i = n * 31 + s * 7
        ws = [W[(i + j * 3) % len(W)] for j in range(6 + (i % 5))]
        out.append("Zin %d.%d: de %s %s." % (n, s + 1, ws[0], " ".join(ws[1:])))
    return " ".join(out)
ch1 = ["# De werkplek", "", para(1), "", "## Plattegrond", "",
       "![Een plattegrond van de werkplek](images/plattegrond.png \"Figuur 1: de werkplek\")", "",
       para(2), "", "### Regels voor de werkplek", "",
       "- Eerste regel: %s" % para(3, 2), "- Tweede regel: ruim je bureau op",
       "- Derde regel: %s" % para(4, 3), "",
       "1. stap een", "2. stap twee", "",
       "> Citaat: %s" % para(5, 3), "",
       "```", "regel = \"code blok\"", "print(regel)", "for i in range(3):", "    print(i)", "```", "",
       "Lees meer op [de website van de Rijksoverheid](https://www.rijksoverheid.nl/) of in "
       "[het volgende hoofdstuk](02-lange-tekst.md). Een koppeling die over twee regels loopt: "
       "[alles over samenwerken op afstand en hybride werken binnen de rijksoverheid]"
       "(https://www.rijksoverheid.nl/onderwerpen/werken-bij-de-rijksoverheid).", "",
       "## Verder lezen", "", para(6), ""]
ch2 = ["# Lange tekst", ""]
for n in range(10, 40):
    if n % 6 == 0:
        ch2 += ["## Deel %d" % (n // 6), ""]
    if n % 9 == 0:
        ch2 += ["- %s" % para(n, 2), "- %s" % para(n + 100, 3), ""]
    elif n % 11 == 0:
        ch2 += ["> %s" % para(n, 4), ""]
    else:
        ch2 += [para(n, 5 + n % 6), ""]
open(d + "/01-werkplek.md", "w").write("\n".join(ch1))
open(d + "/02-lange-tekst.md", "w").write("\n".join(ch2))
PY

build "real book" "$tmp/a" chapters
build "test book (generated)" "$tmp/t" "$tb"
A=$tmp/a/goodiebag.pdf AE=$tmp/a/goodiebag.epub
T=$tmp/t/toegankelijk.pdf TE=$tmp/t/toegankelijk.epub

# The slow validators run in the background while the rest is checked.
# EPUBCheck is a short-lived JVM: the client compiler and the serial
# collector halve its CPU time. Ace runs one book after the other.
JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
ec_a= ec_t= ace=
[ -f "$AE" ] && { java $JOPTS -jar /usr/bin/epubcheck "$AE" >"$tmp/ec-a.log" 2>&1 & ec_a=$!; bgpids+=($!); }
[ -f "$TE" ] && { java $JOPTS -jar /usr/bin/epubcheck "$TE" >"$tmp/ec-t.log" 2>&1 & ec_t=$!; bgpids+=($!); }
ace_tool=../shared/tools/epub-ace
[ -x "$ace_tool" ] || ace_tool="bash $ace_tool"
(
  for f in "$AE" "$TE"; do
    n=$(basename "$f" .epub)
    if [ -f "$f" ]; then $ace_tool "$f" -o "$tmp/ace-$n" >"$tmp/ace-$n.log" 2>&1; echo $? >"$tmp/ace-$n.rc"; fi
  done
) &
ace=$!; bgpids+=($!)

# ---- the checks that read the files (python) --------------------------------
cat >"$tmp/check.py" <<'PY'
import sys, os, re, json, base64, zipfile, subprocess, posixpath
import xml.etree.ElementTree as ET

pdf, epub, tag, kind = sys.argv[1:5]
def ok(m): print("ok - %s: %s" % (tag, m))
def nok(m, details=()):
    print("not ok - %s: %s" % (tag, m))
    for d in list(details)[:12]:
        print("#   " + str(d))
def check(cond, m, details=()):
    if cond: ok(m)
    else: nok(m, details)
def run(*cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          check=False).stdout.decode("utf-8", "replace")
def ws(s): return " ".join(s.replace("\u00a0", " ").split())
def words(s):
    """words (letters and digits), case-folded; soft hyphens dropped"""
    s = re.sub("[\u00ad\u200b\u200c\u200d\u2060]", "", s)
    return [w.casefold() for w in re.findall(r"[^\W_]+", s)]

# ====================================================================== EPUB
XH = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
EPT = "{http://www.idpf.org/2007/ops}type"
XMLLANG = "{http://www.w3.org/XML/1998/namespace}lang"
BLOCK = set("p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd pre blockquote br hr "
            "table tr td th section article aside nav figure figcaption "
            "header footer".split())
z = zipfile.ZipFile(epub)
cont = ET.fromstring(z.read("META-INF/container.xml"))
opfpath = cont.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
opf = ET.fromstring(z.read(opfpath))
base = posixpath.dirname(opfpath)
md = opf.find(OPF + "metadata")
title = ws("".join(md.find(DC + "title").itertext()))
lang = ws(md.find(DC + "language").text or "")
items = {i.get("id"): i for i in opf.iter(OPF + "item")}
def full(href, rel=base): return posixpath.normpath(posixpath.join(rel, href))
def types(e): return set((e.get(EPT) or "").split())

docs = {}   # path -> parsed XHTML (every XHTML of the manifest)
for it in items.values():
    if it.get("media-type") == "application/xhtml+xml":
        p = full(it.get("href"))
        try: docs[p] = ET.fromstring(z.read(p))
        except Exception as e: nok("%s is well-formed XML (%s)" % (p, e))
spine = [full(items[r.get("idref")].get("href")) for r in opf.iter(OPF + "itemref")]
navp = next(full(i.get("href")) for i in items.values() if "nav" in (i.get("properties") or "").split())
ncxp = next((full(i.get("href")) for i in items.values()
             if i.get("media-type") == "application/x-dtbncx+xml"), None)
def is_chapter_file(p):
    if p == navp or p not in docs: return False
    body = docs[p].find(XH + "body")
    t = set()
    for e in body.iter(): t |= types(e)
    return not (t & {"frontmatter", "cover", "titlepage", "toc"})
chapters = [p for p in spine if is_chapter_file(p)]
check(len(chapters) > 0, "the EPUB has %d chapter files in its spine" % len(chapters))
imgs = [(p, e) for p in docs for e in docs[p].iter(XH + "img")]

# ---- accessibility metadata ------------------------------------------------
props = {}
for m in md.iter(OPF + "meta"):
    if m.get("property") and not m.get("refines"):
        props.setdefault(m.get("property"), []).append(ws("".join(m.itertext())))
def has(p, *vals): return all(v in props.get(p, []) for v in vals)
am = props.get("schema:accessMode", [])
want_am = ["textual"] + (["visual"] if imgs else [])
check(sorted(am) == sorted(want_am), "schema:accessMode %s (%s)" %
      (" + ".join(want_am), "the book has %d images" % len(imgs) if imgs else "no images"),
      ["found: %s" % am])
check(has("schema:accessModeSufficient", "textual"),
      "schema:accessModeSufficient includes textual", ["found: %s" % props.get("schema:accessModeSufficient")])
feats = ["structuralNavigation", "tableOfContents", "readingOrder",
         "printPageNumbers", "pageNavigation", "pageBreakMarkers"] + (["alternativeText"] if imgs else [])
check(has("schema:accessibilityFeature", *feats), "schema:accessibilityFeature: %s" % ", ".join(feats),
      ["found: %s" % props.get("schema:accessibilityFeature")])
noalt = ["%s: %s" % (p, e.get("src")) for p, e in imgs if not ws(e.get("alt") or "")]
if "alternativeText" in props.get("schema:accessibilityFeature", []):
    check(not noalt, "alternativeText is claimed and every <img> (%d) has an alt text" % len(imgs), noalt)
HAZ = {"none", "unknown", "flashing", "noFlashingHazard", "unknownFlashingHazard", "motionSimulation",
       "noMotionSimulationHazard", "unknownMotionSimulationHazard", "sound", "noSoundHazard",
       "unknownSoundHazard"}
hz = props.get("schema:accessibilityHazard", [])
check(hz and set(hz) <= HAZ, "schema:accessibilityHazard: %s" % ", ".join(hz) if hz else
      "schema:accessibilityHazard is present", ["found: %s" % hz])
summ = " ".join(props.get("schema:accessibilitySummary", []))
nlw = {"de", "het", "een", "en", "van", "zijn", "heeft", "geen", "voor", "met", "die", "dat", "is",
       "deze", "alle", "er", "niet", "hebben", "bevat", "publicatie"}
hits = sorted(set(words(summ)) & nlw)
sumlang = None
for m in md.iter(OPF + "meta"):
    if m.get("property") == "schema:accessibilitySummary":
        sumlang = m.get(XMLLANG) or opf.get(XMLLANG) or lang
check(len(summ) > 40 and len(hits) >= 4 and (sumlang or "").split("-")[0] == "nl",
      "schema:accessibilitySummary is Dutch (language %s; %d Dutch function words)" % (sumlang, len(hits)),
      ["summary: %s" % summ])
src = [s for s in md.iter(DC + "source")]
refs = {}
for m in md.iter(OPF + "meta"):
    if m.get("refines"): refs.setdefault((m.get("refines"), m.get("property")), []).append(ws(m.text or ""))
okp = [s for s in src if s.get("id") and "pagination" in refs.get(("#" + s.get("id"), "source-of"), [])]
check(okp, "dc:source (the print edition) refined by source-of \"pagination\"%s" %
      (": " + ws(okp[0].text or "") if okp else ""),
      ["dc:source: %s" % [(s.get("id"), s.text) for s in src]])
ct = props.get("dcterms:conformsTo", [])
if ct: print("# %s: dcterms:conformsTo %s" % (tag, ct))

# ---- language, semantics ------------------------------------------------------
bad = []
for p, d in sorted(docs.items()):
    l1, l2 = d.get("lang"), d.get(XMLLANG)
    if not l1 or not l2 or l1 != l2 or l1 != lang:
        bad.append("%s: lang=%r xml:lang=%r (book: %r)" % (p, l1, l2, lang))
check(not bad, "every XHTML (%d) has lang and xml:lang \"%s\"" % (len(docs), lang), bad)

PAIRS = {"chapter": "doc-chapter", "toc": "doc-toc", "pagebreak": "doc-pagebreak"}
bad, counts = [], {k: 0 for k in PAIRS}
for p, d in docs.items():
    skip = set()
    for nav in d.iter(XH + "nav"):
        if "landmarks" in types(nav): skip |= set(nav.iter())   # landmark links carry types only
    for e in d.iter():
        if e in skip: continue
        role = set((e.get("role") or "").split())
        for t, r in PAIRS.items():
            if t in types(e):
                counts[t] += 1
                if r not in role: bad.append("%s: <%s epub:type=%r> has role %r, not %s" %
                                             (p, e.tag.replace(XH, ""), e.get(EPT), e.get("role"), r))
            if r in role and t not in types(e):
                bad.append("%s: <%s role=%r> without epub:type %s" % (p, e.tag.replace(XH, ""), e.get("role"), t))
nochap = [p for p in chapters if not any("chapter" in types(e) for e in docs[p].iter())]
check(not bad and not nochap and counts["toc"] >= 1 and counts["pagebreak"] >= 1,
      "epub:type and role pairs: chapter/doc-chapter (%d, one in every chapter file), toc/doc-toc (%d), "
      "pagebreak/doc-pagebreak (%d)" % (counts["chapter"], counts["toc"], counts["pagebreak"]),
      bad + ["%s: no epub:type chapter" % p for p in nochap])
# the cover: an <img> with role doc-cover, inside (or carrying) epub:type cover
covers = []
for p, d in docs.items():
    def walk(e, incover):
        incover = incover or "cover" in types(e)
        if e.tag == XH + "img" and incover: covers.append((p, e))
        for c in e: walk(c, incover)
    walk(d, False)
check(covers and all("doc-cover" in (e.get("role") or "").split() and ws(e.get("alt") or "") for p, e in covers),
      "the cover <img> has role doc-cover and an alt text, inside epub:type cover",
      ["%s: role=%r alt=%r" % (p, e.get("role"), e.get("alt")) for p, e in covers] or ["no cover image"])
# heading levels
bad = []
for p in chapters:
    lv = [int(e.tag[-1]) for e in docs[p].iter() if re.fullmatch(re.escape(XH) + "h[1-6]", e.tag)]
    if not lv or lv[0] != 1: bad.append("%s: first heading h%s" % (p, lv[0] if lv else "-"))
    for a, b in zip(lv, lv[1:]):
        if b > a + 1: bad.append("%s: h%d after h%d" % (p, b, a))
check(not bad, "heading levels without gaps in every chapter file (h1 first)", bad)

# content kinds of the chapters (what the PDF's structure tree must have)
kinds = set()
for p in chapters:
    for e in docs[p].iter():
        n = e.tag.replace(XH, "")
        if re.fullmatch("h[1-6]", n): kinds.add("H" + n[1])
        elif n == "p": kinds.add("P")
        elif n in ("ul", "ol"): kinds |= {"L", "LI", "Lbl", "LBody"}
        elif n == "blockquote": kinds.add("BlockQuote")
        elif n == "pre": kinds.add("Code")
        elif n == "img": kinds.add("Figure")
        elif n == "a" and e.get("href"): kinds.add("Link")
if kind == "test":
    want = {"H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "BlockQuote", "Code", "Figure", "Link"}
    alts = [e.get("alt") for p in chapters for e in docs[p].iter(XH + "img")]
    check(want <= kinds and "Een plattegrond van de werkplek" in alts,
          "the test book's EPUB has headings h1-h3, lists, a block quote, code, links and the image "
          "\"Een plattegrond van de werkplek\"", ["missing: %s" % sorted(want - kinds), "alts: %s" % alts])

# ---- page-break markers, page-list, NCX ----------------------------------------
marks, bad = [], []      # (file, id, label) in spine and document order
for p in spine:
    if p not in docs: continue
    for e in docs[p].iter():
        if "pagebreak" in types(e):
            if not e.get("id") or not ws(e.get("aria-label") or "") or ws("".join(e.itertext())):
                bad.append("%s: %s" % (p, ET.tostring(e, encoding="unicode")[:120]))
            marks.append((p, e.get("id"), ws(e.get("aria-label") or "")))
check(marks and not bad, "%d page-break markers, each with an id and an aria-label, empty" % len(marks), bad)
nav = docs[navp]
pl = [n for n in nav.iter(XH + "nav") if "page-list" in types(n)]
plist = []
if pl:
    for a in pl[0].iter(XH + "a"):
        h = a.get("href") or ""
        f, _, frag = h.partition("#")
        plist.append((full(f, posixpath.dirname(navp)) if f else navp, frag, ws("".join(a.itertext()))))
check(len(pl) == 1 and plist == marks, "the nav page-list lists the %d markers in order (target and label)"
      % len(marks), ["nav page-lists: %d" % len(pl)] +
      ["entry %d: page-list %s, marker %s" % (i, x, y) for i, (x, y) in
       enumerate(zip(plist + [None] * len(marks), marks + [None] * len(plist))) if x != y][:8])
if ncxp:
    nx = ET.fromstring(z.read(ncxp))
    ncxl = []
    for pt in nx.iter(NCX + "pageTarget"):
        f, _, frag = pt.find(NCX + "content").get("src").partition("#")
        lab = ws("".join(pt.find(NCX + "navLabel").itertext()))
        if pt.get("value") not in (None, lab): lab += " (value %s)" % pt.get("value")
        ncxl.append((full(f, posixpath.dirname(ncxp)), frag, lab))
    check(ncxl == marks, "the NCX pageList lists the same %d pages" % len(marks),
          ["entry %d: NCX %s, marker %s" % (i, x, y) for i, (x, y) in
           enumerate(zip(ncxl + [None] * len(marks), marks + [None] * len(ncxl))) if x != y][:8])
else:
    nok("the EPUB has an NCX")

# the text of the chapters in spine order, with a sentinel at each marker
def text_with_marks(el, out):
    name = el.tag.replace(XH, "")
    blk = name in BLOCK
    if "pagebreak" in types(el): out.append("\ue000%s\ue001" % (el.get("aria-label") or ""))
    if blk: out.append(" ")
    if el.text and "pagebreak" not in types(el): out.append(el.text)
    for c in el: text_with_marks(c, out)
    if blk: out.append(" ")
    if el.tail: out.append(el.tail)
buf = []
for p in chapters:
    text_with_marks(docs[p].find(XH + "body"), buf)
    buf.append(" ")
etext = "".join(buf)
def after_mark(label, n):
    i = etext.find("\ue000%s\ue001" % label)
    if i < 0: return None
    rest = re.sub("\ue000[^\ue001]*\ue001", " ", etext[i:])
    return words(rest)[:n]

# ======================================================================= PDF
from qpdfjson import Pdf, pstr, isref
P = Pdf(pdf, streams=True)
J, objs, obj, sdata, deref = P.json, P.objs, P.obj, P.sdata, P.deref
catalog, pages, pageidx = P.catalog, P.pages, P.pageidx
npages = len(pages)
labels, ranges = P.labels()
check(ranges, "the PDF has page labels (/PageLabels): %s" % " ".join(labels))

# named destinations, to find the first chapter's page (the first outline entry)
dests = {}
def nametree(node):
    node = deref(node) or {}
    nm = node.get("/Names", [])
    for k in range(0, len(nm) - 1, 2): dests[pstr(nm[k])] = deref(nm[k + 1])
    for kid in node.get("/Kids", []): nametree(kid)
names = deref(catalog.get("/Names")) or {}
if "/Dests" in names: nametree(names["/Dests"])
def resolve(d):
    if isinstance(d, str) and not isref(d): d = dests.get(pstr(d))
    d = deref(d)
    if isinstance(d, dict): d = deref(d.get("/D"))
    if not isinstance(d, list) or not d or d[0] not in pageidx: return None
    return pageidx[d[0]]
outl = J.get("outlines", [])
first_body = resolve(outl[0].get("dest") or (deref(outl[0]["object"]) or {}).get("/Dest")) if outl else None
check(first_body is not None, "the first outline entry (the first chapter) is on page %s"
      % (first_body + 1 if first_body is not None else "?"))
if first_body is None: first_body = npages

# ---- page-list = the PDF's body pages -------------------------------------------
plain = run("pdftotext", "-enc", "UTF-8", pdf, "-").split("\f")[:npages]
body = [i for i in range(first_body, npages) if words(plain[i])]
want = [labels[i] for i in body]
got = [m[2] for m in marks]
check(got == want, "one page-break marker per PDF page with body text (%d: pages %d-%d), labelled with "
      "the PDF page labels" % (len(want), body[0] + 1 if body else 0, body[-1] + 1 if body else 0),
      ["PDF labels: %s" % " ".join(want), "markers:    %s" % " ".join(got)])
front = set(labels[:first_body]) - set(want)
check(not (set(got) & front), "no marker for the cover, title page or table of contents (%s)"
      % " ".join(labels[:first_body]))
li = {}
for i, l in enumerate(labels): li.setdefault(l, i)
order = [li.get(l, -1) for l in got]
check(all(a < b for a, b in zip(order, order[1:])) and -1 not in order,
      "the markers are in increasing page order", ["pages: %s" % order])
# the first words of each page follow its marker
bad, shown = [], []
for i in body:
    n = i + 1
    t = run("pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), pdf, "-")
    first_line = next((l for l in t.split("\n") if l.strip()), "")
    pw = words(t)[:5]
    ew = after_mark(labels[i], 6)
    if ew is None:
        bad.append("page %d (label %s): no marker" % (n, labels[i])); continue
    # a list item's number ("1.") is generated: the EPUB's <ol> has no text for it
    if re.match(r"\s*(\d+|[a-zA-Z])[.)]\s", first_line) and ew[:len(pw)] != pw and ew[:len(pw) - 1] == pw[1:]:
        pw = pw[1:]
    if len(pw) < 3 or ew[:len(pw)] != pw:
        bad.append("page %d (label %s): PDF begins %r, the EPUB after its marker %r"
                   % (n, labels[i], " ".join(pw), " ".join(ew)))
    shown.append("%s: %s" % (labels[i], " ".join(pw)))
check(body and not bad, "on each of the %d pages the first words of pdftotext -f N -l N follow the marker "
      "of that page in the EPUB" % len(body), bad)
print("#   %s: %s" % (tag, " | ".join(shown[:8]) + (" ..." if len(shown) > 8 else "")))

# ---- catalog ------------------------------------------------------------------------
head = open(pdf, "rb").read(9)
check(head.startswith(b"%PDF-1.7"), "the header is %PDF-1.7", [head])
info = run("pdfinfo", pdf)
check(re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^PDF version:\s+1\.7$", info, re.M),
      "pdfinfo: Tagged: yes, PDF version: 1.7", [l for l in info.split("\n") if l.startswith(("Tagged", "PDF version"))])
plang = pstr(catalog.get("/Lang"))
check(plang == lang, "catalog /Lang (%s) is the book's language" % plang, ["book: %s" % lang])
mi = deref(catalog.get("/MarkInfo")) or {}
check(mi.get("/Marked") is True, "catalog /MarkInfo /Marked true", [mi])
vp = deref(catalog.get("/ViewerPreferences")) or {}
check(vp.get("/DisplayDocTitle") is True, "catalog /ViewerPreferences /DisplayDocTitle true", [vp])
str_root = deref(catalog.get("/StructTreeRoot"))
check(isinstance(str_root, dict) and str_root.get("/Type") == "/StructTreeRoot" and "/K" in str_root,
      "catalog /StructTreeRoot")
xmp = sdata(catalog.get("/Metadata")) if isref(catalog.get("/Metadata")) else None
mdict = obj(catalog.get("/Metadata")) if isref(catalog.get("/Metadata")) else None
part, xtitle, err = None, None, None
if xmp:
    try:
        x = ET.fromstring(xmp)
        UA = "{http://www.aiim.org/pdfua/ns/id/}part"
        for e in x.iter():
            if e.tag == UA: part = ws(e.text or "")
            if e.get(UA): part = e.get(UA)
            if e.tag == DC + "title": xtitle = ws(" ".join(e.itertext()))
    except Exception as e:
        err = str(e)
check(mdict and mdict.get("/Type") == "/Metadata" and mdict.get("/Subtype") == "/XML" and part == "1"
      and xtitle == title, "catalog /Metadata: an XMP stream with pdfuaid:part 1 and dc:title \"%s\"" % title,
      ["stream dict: %s" % mdict, "pdfuaid:part %r, dc:title %r, parse error %s" % (part, xtitle, err)])

# ---- structure tree ---------------------------------------------------------------------
st = run("pdfinfo", "-struct-text", pdf)
skinds = set()
for l in st.split("\n"):
    m = re.match(r"\s*([A-Za-z][A-Za-z0-9]*)\b", l)
    if m and m.group(1) != "Object": skinds.add(m.group(1))
need = set(kinds) | {"Document"}
check(need <= skinds, "pdfinfo -struct-text has the element kinds of the book's content: %s"
      % " ".join(sorted(need)), ["missing: %s" % sorted(need - skinds), "found: %s" % sorted(skinds)])

elems = []        # (ref, dict, parent kind path)
mcrefs = set()    # (page ref, mcid) referenced from the tree
objrs = set()
def walk_st(ref, pg, anc):
    e = deref(ref)
    if not isinstance(e, dict): return
    s = (e.get("/S") or "").lstrip("/")
    pg = e.get("/Pg", pg)
    me = (ref, e, anc)
    elems.append(me)
    k = e.get("/K")
    for kid in (k if isinstance(k, list) else [k] if k is not None else []):
        if isinstance(kid, int): mcrefs.add((pg, kid)); own.setdefault(ref, []).append((pg, kid))
        elif isinstance(kid, dict) and kid.get("/Type") == "/MCR":
            mcrefs.add((kid.get("/Pg", pg), kid.get("/MCID"))); own.setdefault(ref, []).append((kid.get("/Pg", pg), kid.get("/MCID")))
        elif isinstance(kid, dict) and kid.get("/Type") == "/OBJR": objrs.add(kid.get("/Obj"))
        elif isref(kid): walk_st(kid, pg, anc + [(ref, s)])
own = {}
if isinstance(str_root, dict):
    k = str_root.get("/K")
    for kid in (k if isinstance(k, list) else [k]): walk_st(kid, None, [])
figs = [(r, e) for r, e, a in elems if e.get("/S") == "/Figure"]
noalt = [r for r, e in figs if not ws(pstr(e.get("/Alt")) or "")]
check(figs and not noalt, "every /Figure structure element (%d) has an /Alt: %s"
      % (len(figs), "; ".join(repr(pstr(e.get("/Alt"))) for r, e in figs)), noalt)
if kind == "test":
    check(any(pstr(e.get("/Alt")) == "Een plattegrond van de werkplek" for r, e in figs),
          "a /Figure has /Alt \"Een plattegrond van de werkplek\"")

# ---- content streams ---------------------------------------------------------------------
PAINT = {b"Tj", b"TJ", b"'", b'"', b"Do", b"sh", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"BI"}
WS = b" \t\r\n\f\x00"
DELIM = b"()<>[]{}/%"
def tokens(data):
    """PDF content tokens: (kind, value); kinds op, name, num, str, dict, arr"""
    i, n = 0, len(data)
    while i < n:
        c = data[i:i + 1]
        if c in (b" ", b"\t", b"\r", b"\n", b"\f", b"\x00"): i += 1; continue
        if c == b"%":
            while i < n and data[i:i + 1] not in (b"\r", b"\n"): i += 1
            continue
        if c == b"(":
            depth, j = 1, i + 1
            while j < n and depth:
                ch = data[j:j + 1]
                if ch == b"\\": j += 2; continue
                if ch == b"(": depth += 1
                elif ch == b")": depth -= 1
                j += 1
            yield ("str", data[i:j]); i = j; continue
        if data[i:i + 2] == b"<<": yield ("dict<", b"<<"); i += 2; continue
        if data[i:i + 2] == b">>": yield ("dict>", b">>"); i += 2; continue
        if c == b"<":
            j = data.find(b">", i)
            j = n if j < 0 else j + 1
            yield ("str", data[i:j]); i = j; continue
        if c in (b"[", b"]", b"{", b"}"): yield ("punct", c); i += 1; continue
        if c == b"/":
            j = i + 1
            while j < n and data[j] not in WS and data[j] not in DELIM: j += 1
            yield ("name", data[i:j]); i = j; continue
        j = i
        while j < n and data[j] not in WS and data[j] not in DELIM: j += 1
        if j == i: j = i + 1
        tok = data[i:j]
        if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", tok): yield ("num", tok); i = j; continue
        yield ("op", tok)
        if tok == b"ID":          # inline image data up to whitespace EI whitespace
            k = j + 1
            m = re.compile(rb"[ \t\r\n\f\x00]EI(?=[ \t\r\n\f\x00]|$)").search(data, k)
            i = m.end() if m else n
            yield ("op", b"EI")
            continue
        i = j
def pdfstring(tok):
    """the bytes of a literal (...) or hex <...> string token"""
    if tok.startswith(b"<"):
        h = re.sub(rb"[^0-9A-Fa-f]", b"", tok)
        return bytes.fromhex((h + b"0" * (len(h) % 2)).decode())
    out, i, t = bytearray(), 1, tok[:-1]
    while i < len(t):
        c = t[i]
        if c == 0x5c and i + 1 < len(t):
            n = t[i + 1:i + 2]
            if n in b"01234567":
                m = re.match(rb"[0-7]{1,3}", t[i + 1:i + 4]); out.append(int(m.group(), 8) & 255); i += 1 + len(m.group()); continue
            if n == b"\r":
                i += 3 if t[i + 2:i + 3] == b"\n" else 2; continue
            if n == b"\n": i += 2; continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(n, n); i += 2; continue
        out.append(c); i += 1
    return bytes(out)
def textstring(b):
    if b[:2] == b"\xfe\xff": return b[2:].decode("utf-16-be", "replace")
    return b.decode("latin-1")
cmaps = {}
def tounicode(fref):
    """(code length, {code bytes: text}) from a font's /ToUnicode CMap"""
    key = fref if isinstance(fref, str) else json.dumps(fref, sort_keys=True)
    if key in cmaps: return cmaps[key]
    f = deref(fref) or {}
    data = sdata(f.get("/ToUnicode")) if isref(f.get("/ToUnicode")) else None
    nb, m = 1, {}
    if data:
        cs = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", data)
        if cs: nb = len(cs.group(1)) // 2
        for blk in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for c, u in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", blk):
                m[bytes.fromhex(c.decode())] = bytes.fromhex(u.decode()).decode("utf-16-be", "replace")
        for blk in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", blk):
                lo_, hi_ = int(lo, 16), int(hi, 16)
                dsts = re.findall(rb"<([0-9A-Fa-f]*)>", dst)
                for k, code in enumerate(range(lo_, hi_ + 1)):
                    key = code.to_bytes(len(lo) // 2, "big")
                    if dst.startswith(b"["):
                        if k < len(dsts): m[key] = bytes.fromhex(dsts[k].decode()).decode("utf-16-be", "replace")
                    else:
                        u = bytearray(bytes.fromhex(dsts[0].decode()))
                        v = int.from_bytes(u, "big") + k
                        m[key] = v.to_bytes(len(u), "big").decode("utf-16-be", "replace")
    cmaps[key] = (nb, m)
    return cmaps[key]
def decode(fref, b):
    nb, m = tounicode(fref)
    return "".join(m.get(b[i:i + nb], "\ufffd") for i in range(0, len(b), nb))

bad_paint, bad_bal, used, mc_ops = [], [], set(), {}
first_actual = {} # page index -> its first tagged text is an /ActualText span (a word's second half)
texts_by = {}     # ("mc", page ref, mcid) / ("art", page index) / ("none", page index) -> [text]
for pi, pref in enumerate(pages):
    page = obj(pref)
    res = deref(page.get("/Resources")) or {}
    mprops = deref(res.get("/Properties")) or {}
    fonts = deref(res.get("/Font")) or {}
    cs = deref(page.get("/Contents"))
    refs_ = cs if isinstance(cs, list) else [page.get("/Contents")]
    data = b"\n".join(sdata(r) or b"" for r in refs_ if isref(r))
    stack, operands, depth_bad = [], [], False
    in_dict, font = 0, None
    def owner():
        if any(t == b"/Artifact" for t, m_, a_ in stack): return ("art", pi)
        mc = [m_ for t, m_, a_ in stack if m_ is not None]
        return ("mc", pref, mc[-1]) if mc else ("none", pi)
    def emit(s, actual=False):
        o = owner()
        texts_by.setdefault(o, []).append(s)
        if o[0] == "mc" and s.strip() and pi not in first_actual: first_actual[pi] = actual
    def in_actual(): return any(a_ is not None for t, m_, a_ in stack)
    for kind_, val in tokens(data):
        if kind_ == "dict<": in_dict += 1; operands.append((kind_, val)); continue
        if kind_ == "dict>": in_dict -= 1; operands.append((kind_, val)); continue
        if kind_ != "op" or in_dict:
            operands.append((kind_, val)); continue
        if val in (b"BDC", b"BMC"):
            tagname = next((v for k_, v in operands if k_ == "name"), b"")
            mcid = actual = None
            if val == b"BDC":
                names_ = [v for k_, v in operands if k_ == "name"]
                m = re.search(rb"/MCID\s+(\d+)", b" ".join(v for k_, v in operands))
                if m: mcid = int(m.group(1))
                elif len(names_) >= 2:   # a named property list in /Properties
                    pl_ = deref(mprops.get(names_[1].decode("latin-1")))
                    if isinstance(pl_, dict) and isinstance(pl_.get("/MCID"), int): mcid = pl_["/MCID"]
                for k in range(len(operands) - 1):
                    if operands[k] == ("name", b"/ActualText") and operands[k + 1][0] == "str":
                        actual = textstring(pdfstring(operands[k + 1][1]))
            if actual is not None and not in_actual(): emit(actual, True)
            stack.append((tagname, mcid, actual))
            if mcid is not None: used.add((pref, mcid))
        elif val == b"EMC":
            if stack: stack.pop()
            else: depth_bad = True
        elif val in PAINT:
            own_ = owner()
            if own_[0] == "none":
                if len(bad_paint) < 12:
                    bad_paint.append("page %d: %s outside a structure element or artifact (marked content %s)"
                                     % (pi + 1, val.decode(), [t.decode() for t, m_, a_ in stack]))
                else: bad_paint.append(None)
            if own_[0] == "mc": mc_ops.setdefault(own_[1:], set()).add(val)
            if val in (b"Tj", b"TJ", b"'", b'"') and not in_actual():
                if val in (b"'", b'"'): emit(" ")
                # a gap of 0.2 em or more in a TJ array reads as a word space (as pdftotext does)
                emit("".join(decode(fonts.get(font), pdfstring(v)) if k_ == "str" else " "
                             for k_, v in operands if k_ == "str" or (k_ == "num" and float(v) <= -200)))
        elif val == b"Tf":
            font = next((v.decode("latin-1") for k_, v in operands if k_ == "name"), font)
        elif val in (b"BT", b"ET", b"Td", b"TD", b"Tm", b"T*") and not in_actual():
            emit(" ")
        operands = []
    if stack or depth_bad:
        bad_bal.append("page %d: %s" % (pi + 1, "EMC without BDC/BMC" if depth_bad else
                                          "%d marked-content sequences left open" % len(stack)))
nbad = len(bad_paint)
bad_paint = (["%d painting operators in all; the first:" % nbad] if nbad > 11 else []) + [x for x in bad_paint if x][:11]
hy = [labels[i] for i in body if first_actual.get(i)]
print("# %s: %d page(s) begin with the rest of a word hyphenated across the page break%s" %
      (tag, len(hy), " (pages %s)" % " ".join(hy) if hy else ""))
check(not bad_paint and not bad_bal, "every painting operator on the %d pages is inside a structure element "
      "(MCID) or an /Artifact, marked content balanced" % npages, bad_paint + bad_bal)
# real content is tagged: text in artifacts is only the running foot
from collections import Counter
heads = [words("".join(h.itertext())) for p in chapters for h in docs[p].iter(XH + "h1")]
bad = []
for pi in range(npages):
    t = ws("".join(texts_by.get(("art", pi), [])))
    aw = Counter(words(t))
    # the running foot: page number, book title, maybe the chapter title
    feet = [Counter([labels[pi].casefold()] + words(title) + h) for h in [[]] + heads]
    if aw and not any(not (aw - f) for f in feet):
        bad.append("page %d (%s): text in artifacts that is not the running foot: %s"
                   % (pi + 1, labels[pi], (t[:150] + " ...") if len(t) > 150 else t))
check(not bad, "no real content hidden as an artifact: the text in artifacts is only the running foot "
      "(book title, chapter title, page number)", bad)
# the structure tree in reading order: its text holds the chapters' words in order
seq = []
def walk_text(ref, pg, seen):
    e = deref(ref)
    if not isinstance(e, dict) or ref in seen: return
    seen.add(ref)
    pg = e.get("/Pg", pg)
    k = e.get("/K")
    for kid in (k if isinstance(k, list) else [k] if k is not None else []):
        if isinstance(kid, int): seq.append("".join(texts_by.get(("mc", pg, kid), [])))
        elif isinstance(kid, dict) and kid.get("/Type") == "/MCR":
            seq.append("".join(texts_by.get(("mc", kid.get("/Pg", pg), kid.get("/MCID")), [])))
        elif isref(kid): walk_text(kid, pg, seen)
if isinstance(str_root, dict):
    k = str_root.get("/K")
    for kid in (k if isinstance(k, list) else [k]): walk_text(kid, None, set())
import difflib
tw = words(" ".join(seq))
cbuf = []
for p in chapters: text_with_marks(docs[p].find(XH + "body"), cbuf); cbuf.append(" ")
cw = words(re.sub("\ue000[^\ue001]*\ue001", " ", "".join(cbuf)))
sm = difflib.SequenceMatcher(None, cw, tw, autojunk=False)
hit = [False] * len(cw)
for blk in sm.get_matching_blocks():
    for i in range(blk.a, blk.a + blk.size): hit[i] = True
miss, i = [], 0
while i < len(cw):
    if not hit[i]:
        j = i
        while j < len(cw) and not hit[j]: j += 1
        miss.append("missing %d words: %s" % (j - i, " ".join(cw[i:min(j, i + 15)])))
        i = j
    else: i += 1
check(cw and all(hit), "the text of the structure tree (marked content in tree order) has every word of "
      "the chapters in order (%d of %d)" % (sum(hit), len(cw)), miss)
# a link's text is inside its Link element
linkel = [(r, e) for r, e, a in elems if e.get("/S") == "/Link"]
bad = []
for r, e in linkel:
    t = ws("".join(x for pm in own.get(r, []) for x in texts_by.get(("mc",) + pm, [])))
    ann = [deref(k.get("/Obj")) for k in (e.get("/K") if isinstance(e.get("/K"), list) else [e.get("/K")])
           if isinstance(k, dict) and k.get("/Type") == "/OBJR"]
    if not words(t):
        bad.append("Link element %s (annotation /Contents %r) has no text of its own"
                   % (r, pstr((ann[0] or {}).get("/Contents")) if ann else None))
check(linkel and not bad, "every Link structure element (%d) holds its link text" % len(linkel), bad)
orphans = sorted(used - mcrefs)
check(used and not orphans, "every MCID in the pages (%d) belongs to a structure element" % len(used),
      ["page %d MCID %d" % (pageidx.get(p, -1) + 1, m) for p, m in orphans])
# a figure's own marked content (not its caption's) holds its picture
bad = []
for r, e in figs:
    ops = set()
    for pm in own.get(r, []): ops |= mc_ops.get(pm, set())
    alt = pstr(e.get("/Alt"))
    if not (ops & PAINT):
        bad.append("Figure %r: no content of its own (only its caption, if any): the picture is not in it"
                   % alt)
    elif kind == "test" and alt == "Een plattegrond van de werkplek" and not ops & {b"Do", b"BI"}:
        bad.append("Figure %r: its content has no image (Do): %s" % (alt, sorted(o.decode() for o in ops)))
check(figs and not bad, "every /Figure encloses its picture (its marked content holds the drawing or image, "
      "not an artifact)", bad)

# ---- pages and annotations ---------------------------------------------------------
notabs = [i + 1 for i, p in enumerate(pages) if (obj(p) or {}).get("/Tabs") != "/S"]
check(not notabs, "every page (%d) has /Tabs /S" % npages, ["pages without: %s" % notabs])
links = []
for p in pages:
    for a in deref((obj(p) or {}).get("/Annots")) or []:
        ad = deref(a)
        if isinstance(ad, dict) and ad.get("/Subtype") == "/Link": links.append((a, ad, pageidx[p] + 1))
texts = set()
for p in list(chapters) + [navp]:
    for a in docs[p].iter(XH + "a"):
        texts.add(ws(re.sub("[\u00ad]", "", "".join(a.itertext()))))
bad1 = ["page %d: %s" % (n, ad.get("/Rect")) for a, ad, n in links if not ws(pstr(ad.get("/Contents")) or "")]
bad2 = ["page %d: /Contents %r" % (n, pstr(ad.get("/Contents"))) for a, ad, n in links
        if ws(pstr(ad.get("/Contents")) or "") and pstr(ad.get("/Contents")) not in texts]
bad3 = ["page %d: %r" % (n, pstr(ad.get("/Contents"))) for a, ad, n in links
        if not isinstance(ad.get("/StructParent"), int) or a not in objrs]
check(links and not bad1, "every link annotation (%d) has /Contents" % len(links), bad1)
check(links and not bad2, "every link's /Contents is its text as written (as in the EPUB)", bad2)
check(links and not bad3, "every link annotation has /StructParent and is in a Link element (OBJR)", bad3)
PY

[ -f "$A" ] && [ -f "$AE" ] && PYTHONPATH=tests python3 "$tmp/check.py" "$A" "$AE" "real book" real
[ -f "$T" ] && [ -f "$TE" ] && PYTHONPATH=tests python3 "$tmp/check.py" "$T" "$TE" "test book" test

# ---- qpdf --check, reproducibility ------------------------------------------------
for f in "$A" "$T"; do
  [ -f "$f" ] || continue
  if qpdf --check "$f" >"$tmp/qc.log" 2>&1; then ok "$(basename "$f"): qpdf --check passes"
  else nok "$(basename "$f"): qpdf --check passes"; indent <"$tmp/qc.log"; fi
done
build "real book again" "$tmp/a2" chapters
build "test book again" "$tmp/t2" "$tb"
for f in "$A" "$AE" "$T" "$TE"; do
  [ -f "$f" ] || continue
  g=$tmp/$(basename "$(dirname "$f")")2/$(basename "$f")
  cmp -s "$f" "$g" && ok "two builds give byte-identical $(basename "$f")" ||
    nok "two builds give byte-identical $(basename "$f")"
done

# ---- validators --------------------------------------------------------------------
epubcheck_result() { # label pid log
  local label=$1 pid=$2 log=$3 rc m
  if [ -z "$pid" ]; then nok "EPUBCheck: $label (not built)"; return; fi
  wait "$pid"; rc=$?
  m=$(grep -E '^Messages: ' "$log" | tail -1)
  if [ "$rc" -eq 0 ] && [[ "$m" =~ ^Messages:\ 0\ fatals\ /\ 0\ errors\ /\ 0\ warnings ]]; then
    ok "EPUBCheck: $label: 0 fatals, 0 errors, 0 warnings"
  else
    nok "EPUBCheck: $label (exit $rc; ${m:-no summary})"
    grep -E '^(FATAL|ERROR|WARNING)' "$log" | indent 10
    [ -n "$m" ] || indent 5 <"$log"
  fi
}
epubcheck_result "real book" "$ec_a" "$tmp/ec-a.log"
epubcheck_result "test book" "$ec_t" "$tmp/ec-t.log"
wait "$ace"
for f in "$AE" "$TE"; do
  n=$(basename "$f" .epub)
  [ -f "$f" ] || continue
  rc=$(cat "$tmp/ace-$n.rc" 2>/dev/null || echo 2)
  sum=$(grep -E '^epub-ace: [0-9]+ critical' "$tmp/ace-$n.log" | tail -1)
  case $rc in
    0) ok "DAISY Ace: $n.epub: no critical or serious violations (${sum#epub-ace: })" ;;
    2) ok "# SKIP DAISY Ace: $n.epub: epub-ace could not run"; indent 5 <"$tmp/ace-$n.log" ;;
    *) nok "DAISY Ace: $n.epub: no critical or serious violations (exit $rc)"; indent 30 <"$tmp/ace-$n.log" ;;
  esac
done
exit 0
