#!/usr/bin/env bash
# t_cairo118.sh — the PDF post-step (src/post/) on what cairo 1.18
# (Debian 13, Ubuntu 24.04, Fedora) writes: cross-reference streams and
# object streams instead of a classic xref table (issue 17).
#  1. Without cairo 1.18: the real book, tests/books/commonmark and
#     tests/books/images (PNG, JPEG and SVG figures) are built
#     twice, normally and with cairo's output rewritten by
#     `qpdf --object-streams=generate` before the post-step (test hook
#     GOODIEBAG_PDFPOST_INPUT_FILTER). The rewritten build must exit 0, pass
#     qpdf --check, end in an xref stream (the update's, /Prev -> qpdf's),
#     keep its object streams, and have the same accessibility data as the
#     normal build: structure tree (kinds, nesting, /Alt, /ActualText,
#     /Lang, marked content per page and MCID, link annotations), page
#     labels, links, outline, named destinations, catalog (/Lang,
#     /MarkInfo, /ViewerPreferences, /Version), XMP, every page's /Tabs,
#     `pdfinfo -struct-text` and the text of every page.
#  2. With a goodiebag built against cairo 1.18 (build/cairo118/goodiebag;
#     made here when CAIRO118_PREFIX, default /work/cairo118/prefix, holds
#     cairo 1.18 — `make cairo118` builds it): tests/t_pdf.sh and
#     tests/t_a11y.sh with that program (lines prefixed "cairo 1.18:"), and
#     its structure tree, page labels, outline and links equal to those of
#     the cairo 1.16 build apart from MCID numbers, and the same
#     `pdfinfo -struct-text` (the running feet are artifacts). Without such a build:
#     one "ok - skipped" line. Part 2 runs in the normal suite only (the
#     ASan suite tests the ASan build, not the cairo 1.18 one).
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-c118.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH GOODIEBAG_PDFPOST_INPUT_FILTER
. tests/lib.sh
require qpdf pdfinfo pdftotext python3

# build PROG LABEL OUTDIR BOOKDIR — exit status must be 0
build() {
  local prog=$1 label=$2 out=$3 book=$4 rc=0
  timeout 60 "$prog" build "$book" -o "$out" >"$out.log" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then ok "build: $label"; else nok "build: $label (exit $rc)"; indent <"$out.log"; fi
}

# dump PDF [nomcid] — the accessibility data as text (object numbers resolved away)
dump() {
  python3 - "$@" <<'EOF'
import sys, base64
sys.path.insert(0, "tests")
from qpdfjson import Pdf, isref, pstr
p = Pdf(sys.argv[1], streams=True)
nomcid = len(sys.argv) > 2
out = []
def d(v): return p.deref(v)
def page_of(ref): return p.pageidx.get(ref, "?")
def dest(v):
    v = d(v)
    if isinstance(v, dict): v = d(v.get("/D"))
    if isinstance(v, list) and v: return ["page %s" % page_of(v[0])] + [str(x) for x in v[1:]]
    return pstr(v)
names = {}
def nametree(n):
    n = d(n) or {}
    a = n.get("/Names", [])
    for i in range(0, len(a) - 1, 2): names[pstr(a[i])] = dest(a[i + 1])
    for k in n.get("/Kids", []): nametree(k)
nametree((d(p.catalog.get("/Names")) or {}).get("/Dests"))
def target(v):
    if isinstance(v, str) and (v.startswith("u:") or v.startswith("b:")): return ("named", pstr(v), names.get(pstr(v)))
    return dest(v)
cat = p.catalog
out.append("catalog: Lang=%r MarkInfo=%r ViewerPreferences=%r Version=%r" % (
    pstr(cat.get("/Lang")), d(cat.get("/MarkInfo")), d(cat.get("/ViewerPreferences")), cat.get("/Version")))
meta = cat.get("/Metadata")
out.append("xmp: %r" % (p.sdata(meta) if meta else None))
out.append("labels: %r" % (p.labels()[0],))
out.append("names: %r" % sorted(names.items()))
for i, ref in enumerate(p.pages):
    pg = p.obj(ref)
    out.append("page %d: Tabs=%r MediaBox=%r" % (i, pg.get("/Tabs"), pg.get("/MediaBox")))
    for a in d(pg.get("/Annots")) or []:
        a = d(a)
        act = d(a.get("/A")) or {}
        out.append("  annot %s Rect=%r Contents=%r dest=%r uri=%r" % (a.get("/Subtype"), a.get("/Rect"),
                   pstr(a.get("/Contents")), target(a.get("/Dest")) if "/Dest" in a else target(act.get("/D")),
                   pstr(act.get("/URI"))))
def outline(ref, depth):
    while ref:
        o = d(ref)
        act = d(o.get("/A")) or {}
        out.append("outline %s%r -> %r" % ("  " * depth, pstr(o.get("/Title")),
                   target(o.get("/Dest")) if "/Dest" in o else target(act.get("/D"))))
        if o.get("/First"): outline(o["/First"], depth + 1)
        ref = o.get("/Next")
outline((d(cat.get("/Outlines")) or {}).get("/First"), 0)
def kid(k, pg, depth, seen):
    if isinstance(k, int):
        out.append("  " * depth + ("mcid" if nomcid else "mcid %d p%s" % (k, page_of(pg))))
    elif isinstance(k, dict) and k.get("/Type") == "/MCR":
        out.append("  " * depth + ("mcid" if nomcid else "mcid %d p%s" % (k.get("/MCID"), page_of(k.get("/Pg", pg)))))
    elif isinstance(k, dict) and k.get("/Type") == "/OBJR":
        a = d(k.get("/Obj")) or {}
        out.append("  " * depth + "objr %s %r" % (a.get("/Subtype"), pstr(a.get("/Contents"))))
    elif isref(k):
        e = d(k)
        if k in seen or not isinstance(e, dict): out.append("  " * depth + "?"); return
        seen.add(k)
        pg = e.get("/Pg", pg)
        out.append("  " * depth + "%s Alt=%r ActualText=%r Lang=%r T=%r" % (e.get("/S"), pstr(e.get("/Alt")),
                   pstr(e.get("/ActualText")), pstr(e.get("/Lang")), pstr(e.get("/T"))))
        ks = e.get("/K")
        for x in ks if isinstance(ks, list) else [] if ks is None else [ks]:
            if nomcid and (isinstance(x, int) or (isinstance(x, dict) and x.get("/Type") == "/MCR")):
                continue  # cairo 1.16 and 1.18 mark different runs
            kid(x, pg, depth + 1, seen)
root = d(cat.get("/StructTreeRoot")) or {}
ks = root.get("/K")
for x in ks if isinstance(ks, list) else [ks]: kid(x, None, 0, set())
print("\n".join(out))
EOF
}

# struct_text: `pdfinfo -struct-text` without object numbers, each element's pieces of text
# joined, a Figure's " " as ""
struct_text() {
  python3 -c '
import re, sys
out = []
for line in sys.stdin.read().splitlines():
    if re.fullmatch(r" *Object \d+ \d+", line): continue
    m = re.fullmatch(r"( *)\"(.*)\"", line)
    if m and out and out[-1][0] == "s" and out[-1][1] == m.group(1):
        out[-1] = ("s", m.group(1), out[-1][2] + m.group(2))
    elif m:
        t = m.group(2)
        if t == " " and out and out[-1][0] == "e" and out[-1][2].strip() == "Figure": t = ""
        out.append(("s", m.group(1), t))
    else:
        out.append(("e", "", line))
for k, ind, t in out: print(ind + "\"" + t + "\"" if k == "s" else t)
'
}

# ---- 1. xref and object streams made by qpdf ---------------------------------
filter="qpdf --object-streams=generate --compress-streams=y"
for book in chapters tests/books/commonmark tests/books/images; do
  name=$(basename "$book"); [ "$name" = chapters ] && name=goodiebag
  build "$GB" "$name (normal)" "$tmp/n-$name" "$book"
  GOODIEBAG_PDFPOST_INPUT_FILTER="$filter" build "$GB" "$name (input with xref and object streams)" "$tmp/s-$name" "$book"
  N=$tmp/n-$name/$name.pdf S=$tmp/s-$name/$name.pdf
  [ -f "$N" ] && [ -f "$S" ] || { nok "$name: both PDFs written"; continue; }
  if qpdf --check "$S" >"$tmp/check" 2>&1; then ok "$name (streams): qpdf --check passes without warnings"
  else nok "$name (streams): qpdf --check"; indent <"$tmp/check"; fi
  if python3 - "$S" >"$tmp/tail" 2>&1 <<'EOF'
import re, sys, zlib
d = open(sys.argv[1], "rb").read()
at = int(re.findall(rb"startxref\s+(\d+)", d)[-1])
m = re.match(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", d[at:], re.S)
assert m, "startxref does not point at an xref stream: %r" % d[at:at + 40]
dic = m.group(2)
assert b"/Type /XRef" in dic, dic
prev = int(re.search(rb"/Prev (\d+)", dic).group(1))
assert re.match(rb"\d+ 0 obj\s*<<[^>]*/Type\s*/XRef", d[prev:prev + 400], re.S), "/Prev is not qpdf's xref stream"
assert b"/Type /ObjStm" in d, "no object streams left"
print("update at %d, /Prev %d" % (at, prev))
EOF
  then ok "$name (streams): the update ends in an xref stream whose /Prev is qpdf's; object streams kept"
  else nok "$name (streams): the update ends in an xref stream"; indent <"$tmp/tail"; fi
  dump "$N" >"$tmp/dn" 2>&1; dump "$S" >"$tmp/ds" 2>&1
  if [ -s "$tmp/dn" ] && cmp -s "$tmp/dn" "$tmp/ds"; then
    ok "$name (streams): same structure tree, marked content, links, outline, labels, catalog, XMP ($(wc -l <"$tmp/dn") lines)"
  else nok "$name (streams): same accessibility data as the normal build"; diff "$tmp/dn" "$tmp/ds" | indent; fi
  # (object numbers differ: qpdf renumbers what it puts in object streams)
  pdfinfo -struct-text "$N" 2>&1 | grep -v '^ *Object [0-9]* [0-9]*$' >"$tmp/pn"
  pdfinfo -struct-text "$S" 2>&1 | grep -v '^ *Object [0-9]* [0-9]*$' >"$tmp/ps"
  if [ -s "$tmp/pn" ] && cmp -s "$tmp/pn" "$tmp/ps"; then ok "$name (streams): same pdfinfo -struct-text"
  else nok "$name (streams): same pdfinfo -struct-text"; diff "$tmp/pn" "$tmp/ps" | indent; fi
  pdftotext "$N" "$tmp/tn" 2>/dev/null; pdftotext "$S" "$tmp/ts" 2>/dev/null
  if [ -s "$tmp/tn" ] && cmp -s "$tmp/tn" "$tmp/ts"; then ok "$name (streams): same text"
  else nok "$name (streams): same text"; diff "$tmp/tn" "$tmp/ts" | indent; fi
done

# a filter that fails is an error, never a half-written PDF
rc=0; GOODIEBAG_PDFPOST_INPUT_FILTER=false timeout 60 "$GB" build tests/books/commonmark -o "$tmp/f" >"$tmp/f.log" 2>&1 || rc=$?
if [ "$rc" = 1 ] && grep -q "GOODIEBAG_PDFPOST_INPUT_FILTER" "$tmp/f.log" && [ ! -e "$tmp/f/commonmark.pdf" ]; then
  ok "a failing input filter: exit 1, reported, no PDF"
else nok "a failing input filter: exit 1, reported, no PDF (exit $rc)"; indent <"$tmp/f.log"; fi

# ---- 2. a build against cairo 1.18 --------------------------------------------
G118=build/cairo118/goodiebag
prefix=${CAIRO118_PREFIX:-/work/cairo118/prefix}
if [ "$GB" != ./goodiebag ] && [ "$GB" != "$PWD/goodiebag" ]; then
  ok "skipped: the cairo 1.18 build is tested in the normal suite"
  exit 0
fi
if [ -f "$prefix/lib/pkgconfig/cairo.pc" ]; then
  timeout 600 make -s CAIRO118_PREFIX="$prefix" "$G118" >"$tmp/make.log" 2>&1 || { nok "make $G118"; indent <"$tmp/make.log"; exit 0; }
fi
if [ ! -x "$G118" ]; then
  ok "skipped: no cairo 1.18 build (make cairo118 && make $G118)"
  exit 0
fi
v=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion cairo 2>/dev/null)
if ldd "$G118" | grep -q "libcairo.so.2 => $prefix/lib/" && [ "${v%.*}" = 1.18 ]; then ok "$G118 runs with cairo $v from $prefix"
else nok "$G118 runs with cairo 1.18 from $prefix (pkg-config says ${v:-nothing})"; ldd "$G118" | grep cairo | indent; fi
for t in t_pdf t_a11y; do
  GOODIEBAG=$G118 bash tests/$t.sh 2>&1 | sed -n 's/^\(not ok\|ok\) - /\1 - cairo 1.18: /p; /^#/p'
done
for book in chapters tests/books/commonmark tests/books/images; do
  name=$(basename "$book"); [ "$name" = chapters ] && name=goodiebag
  build "$G118" "$name with cairo 1.18" "$tmp/c-$name" "$book"
  N=$tmp/n-$name/$name.pdf C=$tmp/c-$name/$name.pdf
  [ -f "$C" ] || continue
  if qpdf --check "$C" >"$tmp/check" 2>&1; then ok "$name with cairo 1.18: qpdf --check passes without warnings"
  else nok "$name with cairo 1.18: qpdf --check"; indent <"$tmp/check"; fi
  dump "$N" nomcid | grep -v "^xmp:" >"$tmp/dn" 2>&1; dump "$C" nomcid | grep -v "^xmp:" >"$tmp/dc" 2>&1
  if [ -s "$tmp/dn" ] && cmp -s "$tmp/dn" "$tmp/dc"; then
    ok "$name with cairo 1.18: same structure tree, links, outline, labels, catalog as with cairo 1.16"
  else nok "$name with cairo 1.18: same accessibility structure as with cairo 1.16"; diff "$tmp/dn" "$tmp/dc" | indent; fi
  # the text of every structure element: running feet are artifacts, not part of a chapter's Sect.
  # Compared with the pieces of one element's text joined (1.18 puts a code block's wrap arrows in
  # Artifact tags, which cut its text in two) and a Figure's own text " " taken for "" (with 1.18
  # the invisible space glyph that makes cairo mark the picture, src/pdf/pdf.c; its empty /ActualText
  # is ignored by poppler's structure text)
  pdfinfo -struct-text "$N" 2>&1 | struct_text >"$tmp/pn"
  pdfinfo -struct-text "$C" 2>&1 | struct_text >"$tmp/pc"
  if [ -s "$tmp/pn" ] && cmp -s "$tmp/pn" "$tmp/pc"; then ok "$name with cairo 1.18: same pdfinfo -struct-text as with cairo 1.16"
  else nok "$name with cairo 1.18: same pdfinfo -struct-text as with cairo 1.16"; diff "$tmp/pn" "$tmp/pc" | indent; fi
done
