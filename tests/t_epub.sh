#!/usr/bin/env bash
# t_epub.sh — the EPUB as readers and validators see it.
#
# Builds the real book (chapters/) and the test book (tests/books/commonmark)
# and checks, by parsing the output (python3 standard library: zipfile and
# xml.etree), never by comparing whole files as strings:
#   - EPUBCheck: 0 fatals, 0 errors, 0 warnings for both books;
#   - epub-read (../shared/tools) passes for the real book;
#   - every paragraph and product title of the seed text appears, in order,
#     in the EPUB's chapters in spine order;
#   - reproducibility: identical bytes across builds, time zones and working
#     folders; SOURCE_DATE_EPOCH sets dcterms:modified and the zip times;
#   - the zip container (mimetype first, stored, no extra field; ASCII names);
#   - every XHTML has lang, xml:lang and a <title> equal to its heading;
#   - the navigation document (toc and landmarks, Dutch labels, targets);
#   - the OPF's urn:uuid identifier, stable across builds.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-epub.XXXXXX")
bgpids=()
cleanup() {
  for p in "${bgpids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require
root=$PWD
seed=../shared/seed/000_56549dddc5dd3f15.txt

# build LABEL OUTDIR BOOKDIR [env assignments...]: the EPUB only, unless
# $both is set
build() {
  local label=$1 out=$2 book=$3; shift 3
  if env "$@" "$GB" build "$book" -o "$out" ${both:---epub} >"$out.log" 2>&1; then
    ok "build: $label"
  else
    nok "build: $label (exit $?)"; indent <"$out.log"
  fi
}

both=" " build "real book (EPUB and PDF)" "$tmp/a" chapters
build "real book again (EPUB only)" "$tmp/b" chapters
build "test book tests/books/commonmark" "$tmp/m" tests/books/commonmark

# A book of edge cases, generated here: raw HTML that breaks HTML's content
# model in every way a validator notices, an empty heading, a chapter
# without heading, deep inline nesting, images with non-ASCII names.
eb=$tmp/randgevallen
mkdir -p "$eb/afb"
cat >"$eb/book.yaml" <<'YAML'
name: randgevallen
title: Randgevallen
subtitle: Wat schrijvers allemaal doen
author: [Een Schrijver, Twee Schrijver]
publisher: goodiebag tests
lang: nl-NL
date: 2025-02-03
chapters:
  - file: 01-html.md
    label: "1"
    theme: 1
  - 02-leeg.md
  - 03-diep.md
  - 04-zonder-kop.md
YAML
cat >"$eb/01-html.md" <<'MD'
# Ruwe HTML

<details><summary>Samenvatting</summary>uitklap</details>

<details>zonder summary</details>

<figure><figcaption>Bijschrift</figcaption><p>inhoud</p></figure>

<figure><p>inhoud</p><figcaption>onder</figcaption></figure>

<table><tr><td>a</td></tr><caption>laat</caption></table>

<table><tbody><tr><td>a</td></tr></tbody><tr><td>b</td></tr></table>

<table><tfoot><tr><td>v</td></tr></tfoot><tbody><tr><td>a</td></tr></tbody><thead><tr><th>h</th></tr></thead><thead><tr><th>h2</th></tr></thead></table>

<table><caption>1</caption><caption>2</caption><tr><td>x</td></tr></table>

<dl><dd>eerst dd</dd><dt>dan dt</dt></dl>

<dl>losse tekst<dt>t</dt><dd>d</dd></dl>

<p><bdo>zonder dir</bdo> <bdo dir="rtl">met</bdo> <dfn>a <dfn>b</dfn></dfn></p>

<ul>tekst<li>a</li></ul>

<div><li>los item</li><td>losse cel</td><tr><td>rij</td></tr><dt>dt</dt></div>

<table><tr><th scope="col" colspan="2"><section>sectie</section></th></tr><tr><td rowspan="x">1</td><td>2</td></tr></table>

<address><address>dubbel</address></address>

<header><footer>x</footer></header>

<p><a href="https://x.example"><div>blok in link</div></a> <a href="javascript:alert(1)" onclick="x()">js</a></p>

<script>alert(1)</script><style>p{}</style><iframe src="https://x.example"></iframe>

Inline: H<sub>2</sub>O, <kbd>Ctrl</kbd>, <em>open <strong>nooit gesloten

Een <span><div><p>blok in span</p></div></span> en <script>alert(2)</script> verder.

Een <script>nooit gesloten

Volgende alinea met **vet***cursief* naast elkaar.
MD
cat >"$eb/02-leeg.md" <<'MD'
#

Een lege kop hierboven.

## Toc

## <span></span>

![Eén plaatje](<afb/één plaatje.png>) en ![nog eens](afb/%C3%A9%C3%A9n%20plaatje.png)

![Vector](afb/vorm.svg "Een vorm")

[Naar de HTML](01-html.md#ruwe-html), [naar Toc](#toc), [naar diep](03-diep.md)
MD
python3 - "$eb" <<'PY'
import struct, sys, zlib
d = sys.argv[1]
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
rows = b"".join(b"\x00" + bytes([200, 80, 40]) * 4 for _ in range(3))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
open(d + "/afb/één plaatje.png", "wb").write(png)
open(d + "/afb/vorm.svg", "w").write('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" '
                                      'viewBox="0 0 40 20"><rect width="40" height="20" fill="#c84"/></svg>\n')
deep = ("# Diep\n\nMarkdown: " + "".join("*a " if i % 2 else "_b " for i in range(300)) + "kern"
        + "".join(" a*" if i % 2 else " b_" for i in reversed(range(300)))
        + "\n\nInline: " + "<em>" * 300 + "diep\n\n```\ncode\n  ingesprongen\n```\n\n" + "> " * 60 + "citaat\n")
open(d + "/03-diep.md", "w").write(deep)
open(d + "/04-zonder-kop.md", "w").write("Alleen tekst, geen kop.\n")
PY
build "edge-case book (generated)" "$tmp/e" "$eb"
A=$tmp/a/goodiebag.epub M=$tmp/m/commonmark.epub E=$tmp/e/randgevallen.epub

# The slow validators run in the background while the rest is checked.
# EPUBCheck is a short-lived JVM: the client compiler and the serial
# collector halve its CPU time.
JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
if [ -f "$A" ]; then
  java $JOPTS -jar /usr/bin/epubcheck "$A" >"$tmp/ec-a.log" 2>&1 &
  bgpids+=($!); ec_a=$!
fi
if [ -f "$M" ]; then
  java $JOPTS -jar /usr/bin/epubcheck "$M" >"$tmp/ec-m.log" 2>&1 &
  bgpids+=($!); ec_m=$!
fi
if [ -f "$E" ]; then
  java $JOPTS -jar /usr/bin/epubcheck "$E" >"$tmp/ec-e.log" 2>&1 &
  bgpids+=($!); ec_e=$!
fi
if [ -f "$A" ]; then
  ../shared/tools/epub-read "$A" -o "$tmp/er" -q --shots 0 >"$tmp/er.log" 2>&1 &
  bgpids+=($!); er=$!
fi

# Reproducibility: other time zone, other working folder, absolute paths.
mkdir -p "$tmp/c"
gba=$(realpath "$GB")
(cd / && TZ=Asia/Tokyo LC_ALL=C.UTF-8 "$gba" build "$root/chapters" -o "$tmp/c" --epub >"$tmp/c.log" 2>&1) ||
  { nok "build from / with TZ=Asia/Tokyo"; indent <"$tmp/c.log"; }
build "real book, SOURCE_DATE_EPOCH=1700000000" "$tmp/s1" chapters SOURCE_DATE_EPOCH=1700000000
build "real book, SOURCE_DATE_EPOCH=1700000000 again" "$tmp/s2" chapters SOURCE_DATE_EPOCH=1700000000
same() { [ -f "$1" ] && [ -f "$2" ] && cmp -s "$1" "$2"; }
same "$A" "$tmp/b/goodiebag.epub" &&
  ok "two builds give byte-identical EPUBs (with and without the PDF: the layout runs for both)" ||
  nok "two builds give byte-identical EPUBs (with and without the PDF: the layout runs for both)"
same "$A" "$tmp/c/goodiebag.epub" && ok "a build from another folder, in another time zone, is byte-identical" ||
  nok "a build from another folder, in another time zone, is byte-identical"
same "$tmp/s1/goodiebag.epub" "$tmp/s2/goodiebag.epub" && ok "two builds with SOURCE_DATE_EPOCH are byte-identical" ||
  nok "two builds with SOURCE_DATE_EPOCH are byte-identical"
[ -f "$tmp/s1/goodiebag.epub" ] && ! cmp -s "$A" "$tmp/s1/goodiebag.epub" &&
  ok "SOURCE_DATE_EPOCH changes the EPUB (its timestamps)" ||
  nok "SOURCE_DATE_EPOCH changes the EPUB (its timestamps)"

# ---- structural checks, in Python (standard library only) ----------------
cat >"$tmp/check.py" <<'PY'
import re
import sys
import zipfile
import posixpath
import xml.etree.ElementTree as ET
from urllib.parse import unquote

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
BLOCKS = {"p", "div", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl",
          "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption",
          "hr", "br", "nav", "aside", "header", "footer", "caption", "body"}

args = sys.argv[1:]
label, path = args[0], args[1]
opts = dict(zip(args[2::2], args[3::2]))
fails = 0


def check(cond, what, detail=""):
    global fails
    if cond:
        print("ok - %s: %s" % (label, what))
    else:
        fails += 1
        print("not ok - %s: %s%s" % (label, what, (": " + detail) if detail else ""))
    return cond


def norm(s):
    s = s.replace("\u00ad", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", s).strip()


def text_of(el):
    """Text of an element, with a space around block elements."""
    out = []

    def walk(e):
        tag = e.tag.replace(XHTML, "") if isinstance(e.tag, str) else ""
        block = tag in BLOCKS
        if block:
            out.append(" ")
        if e.text:
            out.append(e.text)
        for c in e:
            walk(c)
            if c.tail:
                out.append(c.tail)
        if block:
            out.append(" ")

    walk(el)
    return norm("".join(out))


raw = open(path, "rb").read()
z = zipfile.ZipFile(path)
infos = z.infolist()
names = [i.filename for i in infos]

# ---- the container ----
check(raw[:4] == b"PK\x03\x04", "starts with a zip local file header")
name_len = int.from_bytes(raw[26:28], "little")
extra_len = int.from_bytes(raw[28:30], "little")
method = int.from_bytes(raw[8:10], "little")
flags = int.from_bytes(raw[6:8], "little")
check(name_len == 8 and raw[30:38] == b"mimetype", "the first entry is 'mimetype'")
check(method == 0, "mimetype is stored (local header method %d)" % method)
check(extra_len == 0, "mimetype's local header has no extra field (%d bytes)" % extra_len)
check(flags & 0x9 == 0, "mimetype is neither encrypted nor uses a data descriptor (flags %#x)" % flags)
check(raw[38:58] == b"application/epub+zip", "mimetype's content follows its header directly")
check(infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
      and infos[0].extra == b"", "central directory: mimetype first, stored, no extra field")
check(z.read("mimetype") == b"application/epub+zip", "mimetype is 'application/epub+zip' exactly")
bad = [n for n in names if not n.isascii()]
check(not bad, "all %d zip names are ASCII" % len(names), repr(bad[:5]))
check(len(set(names)) == len(names), "no duplicate zip names")
check(all(not n.startswith("/") and ".." not in n.split("/") and "\\" not in n for n in names),
      "zip names are relative, without '..' or backslashes")
check(z.testzip() is None, "every entry's CRC is right")
want_time = opts.get("--zip-time")
if want_time:
    times = {"%04d-%02d-%02dT%02d:%02d:%02d" % i.date_time for i in infos}
    check(times == {want_time}, "every zip entry is dated %s" % want_time, repr(sorted(times)[:3]))

# ---- the package document ----
container = ET.fromstring(z.read("META-INF/container.xml"))
rootfile = container.find(".//c:rootfile", NS)
opf_path = rootfile.get("full-path")
check(rootfile.get("media-type") == "application/oebps-package+xml", "container.xml names the OPF")
opf = ET.fromstring(z.read(opf_path))
opf_dir = posixpath.dirname(opf_path)
check(opf.get("version") == "3.0", "OPF version 3.0")
uid = opf.get("unique-identifier")
ident = [e for e in opf.findall("opf:metadata/dc:identifier", NS) if e.get("id") == uid]
ident = ident[0].text if ident else ""
check(re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", ident or ""),
      "dc:identifier (the unique-identifier) is a urn:uuid", ident)
if "--ident-out" in opts:
    open(opts["--ident-out"], "w").write(ident)
lang = (opf.findtext("opf:metadata/dc:language", "", NS) or "").strip()
check(lang == opts.get("--lang", lang) and lang != "", "dc:language is %s" % lang)
check(opf.get(XML_LANG) == lang, "the OPF's xml:lang is the book's language")
if "--title" in opts:
    titles = [t.text for t in opf.findall("opf:metadata/dc:title", NS)]
    check(titles and titles[0] == opts["--title"], "dc:title is '%s'" % opts["--title"], repr(titles))
mods = [m.text for m in opf.findall("opf:metadata/opf:meta", NS) if m.get("property") == "dcterms:modified"]
check(len(mods) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", mods[0] or ""),
      "one dcterms:modified, in the form CCYY-MM-DDThh:mm:ssZ", repr(mods))
if "--modified" in opts:
    check(mods and mods[0] == opts["--modified"], "dcterms:modified is %s" % opts["--modified"], repr(mods))

manifest = {}
for it in opf.findall("opf:manifest/opf:item", NS):
    href = posixpath.normpath(posixpath.join(opf_dir, unquote(it.get("href"))))
    manifest[it.get("id")] = (href, it.get("media-type"), (it.get("properties") or "").split())
hrefs = {v[0] for v in manifest.values()}
missing = sorted(h for h in hrefs if h not in names)
check(not missing, "every manifest item is in the zip", repr(missing))
extra = sorted(n for n in names if n not in hrefs and n != "mimetype" and not n.startswith("META-INF/")
               and n != opf_path and not n.endswith("/"))
check(not extra, "every file in the zip is in the manifest", repr(extra))
spine = [ir.get("idref") for ir in opf.findall("opf:spine/opf:itemref", NS)]
check(spine and all(i in manifest for i in spine), "the spine names manifest items")
check(len(set(spine)) == len(spine), "no item twice in the spine")

# ---- every XHTML document ----
docs = {}
for mid, (href, mt, props) in manifest.items():
    if mt != "application/xhtml+xml":
        continue
    try:
        docs[href] = ET.fromstring(z.read(href))
    except ET.ParseError as e:
        check(False, "%s is well-formed XML" % href, str(e))
check(len(docs) == sum(1 for v in manifest.values() if v[1] == "application/xhtml+xml"),
      "every XHTML document is well-formed XML (%d)" % len(docs))
nav_items = [v[0] for v in manifest.values() if "nav" in v[2]]
check(len(nav_items) == 1, "exactly one manifest item has properties='nav'")
nav_href = nav_items[0] if nav_items else None


def body_type(doc):
    b = doc.find("x:body", NS)
    return (b.get(EPUB_TYPE) or "") if b is not None else ""


chapters = [manifest[i][0] for i in spine if manifest[i][0] in docs and "bodymatter" in body_type(docs[manifest[i][0]]).split()]
check(len(chapters) >= 1, "the spine has chapters (bodymatter documents): %d" % len(chapters))
if "--chapters" in opts:
    check(len(chapters) == int(opts["--chapters"]), "%s chapters in the spine" % opts["--chapters"], str(len(chapters)))
ids = {}
bad_lang, bad_title = [], []
for href, doc in docs.items():
    if doc.tag != XHTML + "html":
        bad_lang.append(href + " (root is not XHTML html)")
        continue
    if doc.get("lang") != lang or doc.get(XML_LANG) != lang:
        bad_lang.append("%s (lang=%r xml:lang=%r)" % (href, doc.get("lang"), doc.get(XML_LANG)))
    title = norm(doc.findtext("x:head/x:title", "", NS) or "")
    if not title:
        bad_title.append(href + " (no title)")
    if href in chapters:
        heading = None
        for e in doc.find("x:body", NS).iter():
            if e.tag in [XHTML + "h%d" % i for i in range(1, 7)]:
                heading = text_of(e)
                break
        # a chapter without heading, or with an empty one, is titled by
        # its file name (the <title> must not be empty)
        if heading != title and heading:
            bad_title.append("%s (<title> %r, heading %r)" % (href, title, heading))
    these = [e.get("id") for e in doc.iter() if e.get("id")]
    ids[href] = set(these)
    if len(set(these)) != len(these):
        bad_title.append(href + " (duplicate ids)")
check(not bad_lang, "every XHTML has lang and xml:lang = %s" % lang, "; ".join(bad_lang[:3]))
check(not bad_title, "every XHTML has a <title>; a chapter's is its heading; ids unique", "; ".join(bad_title[:3]))


def resolve(base, href):
    """(file, fragment) of a relative href found in document `base`."""
    f, _, frag = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(f))) if f else base
    return target, unquote(frag)


# internal links of every document land on an existing file and id
broken = []
for href, doc in docs.items():
    for a in doc.iter(XHTML + "a"):
        h = a.get("href")
        if not h or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", h):
            continue
        t, frag = resolve(href, h)
        if t not in docs or (frag and frag not in ids.get(t, ())):
            broken.append("%s -> %s" % (href, h))
check(not broken, "every internal link lands on an existing document and id", "; ".join(broken[:3]))

# ---- navigation document ----
if nav_href in docs:
    nav = docs[nav_href]
    navs = {n.get(EPUB_TYPE): n for n in nav.iter(XHTML + "nav")}
    check("toc" in navs, "the nav document has a toc nav")
    check("landmarks" in navs, "the nav document has a landmarks nav")
    dutch = lang.split("-")[0] == "nl"
    if "toc" in navs:
        toc = navs["toc"]
        head = next((text_of(e) for e in toc if e.tag in (XHTML + "h1", XHTML + "h2")), "")
        if dutch:
            check(head == "Inhoud", "the toc's heading is Dutch ('Inhoud')", repr(head))
        entries = [(a.get("href"), text_of(a)) for a in toc.iter(XHTML + "a")]
        bad = []
        for h, lab in entries:
            t, frag = resolve(nav_href, h)
            if t not in docs:
                bad.append("%s: no such document" % h)
                continue
            el = next((e for e in docs[t].iter() if e.get("id") == frag), None) if frag else None
            if frag and el is None:
                bad.append("%s: no such id" % h)
            elif el is not None and text_of(el) != lab and text_of(el):  # empty heading: file name
                bad.append("%s: label %r, heading %r" % (h, lab, text_of(el)))
        check(entries and not bad, "every toc entry (%d) lands on a heading with the same text" % len(entries),
              "; ".join(bad[:3]))
        ol = toc.find("x:ol", NS)
        top = [resolve(nav_href, li.find("x:a", NS).get("href"))[0] for li in ol.findall("x:li", NS)] if ol is not None else []
        check(top == chapters, "the toc's top level lists every chapter in spine order", repr(top))
    if "landmarks" in navs:
        lm = {a.get(EPUB_TYPE): (a.get("href"), text_of(a)) for a in navs["landmarks"].iter(XHTML + "a")}
        check("toc" in lm and "bodymatter" in lm, "landmarks: toc and bodymatter", repr(sorted(lm)))
        if dutch:
            lmhead = next((text_of(e) for e in navs["landmarks"] if e.tag in (XHTML + "h1", XHTML + "h2")), "")
            check(lmhead == "Oriëntatiepunten", "the landmarks heading is Dutch", repr(lmhead))
            check(lm.get("toc", ("", ""))[1] == "Inhoudsopgave", "landmark 'toc' is labelled 'Inhoudsopgave'",
                  repr(lm.get("toc")))
            check(lm.get("bodymatter", ("", ""))[1] == "Begin van de tekst",
                  "landmark 'bodymatter' is labelled 'Begin van de tekst'", repr(lm.get("bodymatter")))
        bad = []
        for typ, (h, _) in lm.items():
            t, frag = resolve(nav_href, h)
            if t not in docs or (frag and frag not in ids.get(t, ())):
                bad.append(h)
        check(not bad, "every landmark lands on an existing document and id", repr(bad))
        if "bodymatter" in lm and chapters:
            check(resolve(nav_href, lm["bodymatter"][0])[0] == chapters[0], "landmark 'bodymatter' is the first chapter")

# ---- NCX ----
ncx = [v[0] for v in manifest.values() if v[1] == "application/x-dtbncx+xml"]
if ncx:
    n = ET.fromstring(z.read(ncx[0]))
    uid_meta = [m.get("content") for m in n.iter("{%s}meta" % NS["ncx"]) if m.get("name") == "dtb:uid"]
    check(uid_meta == [ident], "the NCX's dtb:uid is the OPF identifier", repr(uid_meta))

# ---- the seed text, in order ----
if "--seed" in opts:
    # Typo corrections documented in the commit that added chapters/
    # (git log 0060cbc: "Evident typos corrected").
    corrections = [
        ("corona pandemie", "coronapandemie"),
        ("sociale- en team cohesie", "sociale- en teamcohesie"),
        ("leidinggevendenden", "leidinggevenden"),
        ("groeps gesprekken", "groepsgesprekken"),
        ("Sandra Leest", "Sandra leest"),
        ("zijn vaak nodig zijn voor", "zijn vaak nodig voor"),
    ]
    # The run-together line of chapter 2 holds two product titles (same commit).
    splits = {
        "Methodiek voor managers voor reflectiesessies in tijden van corona (basis) Informatie over opgavegericht werken":
            ["Methodiek voor managers voor reflectiesessies in tijden van corona (basis)",
             "Informatie over opgavegericht werken"],
    }
    cover = {"Uitvoeringsorganisatie", "Bedrijfsvoering Rijk", "Ministerie van Binnenlandse Zaken en",
             "Koninkrijksrelaties", "Digitale goodiebag"}
    seed = open(opts["--seed"], encoding="utf-8").read()
    missing_typos = [a for a, _ in corrections if a not in seed]
    check(not missing_typos, "every documented typo occurs in the seed", repr(missing_typos))
    for a, b in corrections:
        seed = seed.replace(a, b)
    lines = []
    for line in seed.splitlines():
        line = norm(line)
        if not line or line in cover or re.fullmatch(r"\d+", line):
            continue
        line = re.sub(r"^- \d+ ", "", line)      # the seed's numbered product lists
        line = re.sub(r"^\d+\. ", "", line)      # the seed's numbered list
        line = line.replace("**", "")            # bold markers in the seed
        lines.extend(splits.get(line, [line]))
    text = " ".join(text_of(docs[c].find("x:body", NS)) for c in chapters)
    # the seed types straight quotes, -- and ...; the book sets them (model/smart.c)
    def typo(s):
        s = s.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
        return s.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})
    text, lines = typo(text), [typo(l) for l in lines]
    pos, lost, disorder = 0, [], []
    for line in lines:
        i = text.find(line, pos)
        if i < 0:
            (disorder if line in text else lost).append(line)
            continue
        pos = i + len(line)
    check(len(lines) >= 50, "the seed has %d paragraphs and titles to find" % len(lines))
    check(not lost, "every seed paragraph and title is in the EPUB", "; ".join(repr(l[:60]) for l in lost[:3]))
    check(not disorder, "the seed's paragraphs and titles appear in the seed's order",
          "; ".join(repr(l[:60]) for l in disorder[:3]))
    stale = [a for a, _ in corrections if a in text]
    check(not stale, "none of the corrected typos is left in the EPUB", repr(stale))
sys.exit(0)
PY

if [ -f "$A" ]; then
  python3 "$tmp/check.py" "real book" "$A" --seed "$seed" --lang nl --title "Digitale goodiebag" \
    --modified 2021-01-01T00:00:00Z --zip-time 2021-01-01T00:00:00 --chapters 5 --ident-out "$tmp/id-a" 2>&1 ||
    nok "real book: the checker ran"
fi
if [ -f "$tmp/s1/goodiebag.epub" ]; then
  python3 "$tmp/check.py" "SOURCE_DATE_EPOCH book" "$tmp/s1/goodiebag.epub" \
    --modified 2023-11-14T22:13:20Z --zip-time 2023-11-14T22:13:20 --ident-out "$tmp/id-s" 2>&1 |
    grep -E 'dcterms:modified|zip entry is dated|^not ok'
fi
if [ -f "$tmp/b/goodiebag.epub" ]; then
  python3 "$tmp/check.py" "second build" "$tmp/b/goodiebag.epub" --ident-out "$tmp/id-b" >/dev/null 2>&1
fi
if [ -f "$M" ]; then
  python3 "$tmp/check.py" "test book" "$M" --lang nl --chapters 3 --ident-out "$tmp/id-m" 2>&1 ||
    nok "test book: the checker ran"
fi
if [ -f "$E" ]; then
  python3 "$tmp/check.py" "edge-case book" "$E" --lang nl-NL --chapters 4 2>&1 ||
    nok "edge-case book: the checker ran"
  grep -q "warning: the chapter's first heading is empty" "$tmp/e.log" &&
    ok "edge-case book: an empty first heading is a warning" ||
    nok "edge-case book: an empty first heading is a warning"
  python3 - "$E" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
imgs = [n for n in z.namelist() if n.startswith("EPUB/images/") and "cover" not in n]
print(("ok" if len([n for n in imgs if n.endswith(".png")]) == 1 else "not ok")
      + " - edge-case book: an image named twice (two spellings of its name) is stored once: %r" % imgs)
print(("ok" if any(n.endswith(".svg") for n in imgs) else "not ok") + " - edge-case book: the SVG image is stored")
PY
fi
ida=$(cat "$tmp/id-a" 2>/dev/null) idb=$(cat "$tmp/id-b" 2>/dev/null)
ids_=$(cat "$tmp/id-s" 2>/dev/null) idm=$(cat "$tmp/id-m" 2>/dev/null)
[ -n "$ida" ] && [ "$ida" = "$idb" ] && [ "$ida" = "$ids_" ] &&
  ok "the urn:uuid identifier is stable across builds and SOURCE_DATE_EPOCH ($ida)" ||
  nok "the urn:uuid identifier is stable across builds ('$ida', '$idb', '$ids_')"
[ -n "$idm" ] && [ "$ida" != "$idm" ] && ok "another book has another identifier" ||
  nok "another book has another identifier ('$ida' vs '$idm')"

# ---- validators ----------------------------------------------------------
epubcheck_result() { # label pid log
  local label=$1 pid=$2 log=$3 rc
  if [ -z "$pid" ]; then nok "EPUBCheck: $label (not built)"; return; fi
  wait "$pid"; rc=$?
  local m
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
epubcheck_result "test book" "$ec_m" "$tmp/ec-m.log"
epubcheck_result "edge-case book" "$ec_e" "$tmp/ec-e.log"
if [ -n "$er" ]; then
  wait "$er"; rc=$?
  case $rc in
    0) ok "epub-read: the real book opens in epub.js without errors" ;;
    2) ok "# SKIP epub-read could not run: $(tail -1 "$tmp/er.log")" ;;
    *) nok "epub-read: the real book (exit $rc)"; grep -iE 'error|fail' "$tmp/er.log" | indent 10 ;;
  esac
else
  nok "epub-read: the real book (not built)"
fi
bgpids=()
exit 0
