#!/usr/bin/env bash
# t_safe_output.sh — outputs that are safe to publish and to read:
# 1. the outputs of one build are published together or not at all: a
#    full disk (ulimit -f, and a tiny tmpfs when we may mount one) while the
#    PDF is written leaves BOTH previous outputs byte-identical and no
#    other file; SIGKILL at several moments of a build leaves nothing but
#    the previous outputs (unnamed temporary files); the same in watch mode
#    and with the named-file fallback (GOODIEBAG_NO_TMPFILE);
# 2. reader-safe EPUB styles: no body text colour or line height, links
#    underlined, @namespace epub for epub|type, the NCX's page counts;
# 3. the accessibility conformance claim only for a book that passes the
#    checks (alt text or {.decorative}, no heading gaps, language), with a
#    located warning when it does not.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
. tests/lib.sh
require unzip python3 pdftotext
G=${GOODIEBAG:-$PWD/goodiebag}
case $G in /*) ;; *) G=$PWD/$G ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-safe.XXXXXX")
mnt=
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
unset SOURCE_DATE_EPOCH GOODIEBAG_NO_TMPFILE

expect() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
# run ARGS...: a build under timeout; sets rc and err (stderr in $tmp/err)
run() {
  { timeout 60 "$G" "$@" >"$tmp/out" 2>"$tmp/err"; } 2>/dev/null
  rc=$?
  err=$(cat "$tmp/err")
}
# only_previous DIR: the folder holds exactly the two previous outputs,
# byte-identical to $tmp/prev/
only_previous() {
  [ "$(ls -A "$1" | sort | tr '\n' ' ')" = "pandoc-manual.epub pandoc-manual.pdf " ] &&
    cmp -s "$1/pandoc-manual.epub" "$tmp/prev/pandoc-manual.epub" &&
    cmp -s "$1/pandoc-manual.pdf" "$tmp/prev/pandoc-manual.pdf"
}
# only_new DIR: DIR holds the new outputs of the manual and nothing else
only_new() {
  [ "$(ls -A "$1" | sort | tr '\n' ' ')" = "pandoc-manual.epub pandoc-manual.pdf " ] &&
    cmp -s "$1/pandoc-manual.epub" "$tmp/new/pandoc-manual.epub" &&
    cmp -s "$1/pandoc-manual.pdf" "$tmp/new/pandoc-manual.pdf"
}
# restore DIR: the previous outputs (and nothing else) in DIR
restore() { rm -rf "$1"; mkdir -p "$1"; cp "$tmp/prev/"* "$1/"; }

# ---- 1. publishing: all outputs or none --------------------------------------
man=../shared/corpus/pandoc-manual
if [ ! -f "$man/book.yaml" ]; then
  nok "the pandoc manual is in $man"
else
  # the previous outputs: another build (another timestamp), so that a
  # build that published anything would change their bytes
  SOURCE_DATE_EPOCH=1600000000 timeout 60 "$G" build "$man" -o "$tmp/prev" >/dev/null 2>&1
  run build "$man" -o "$tmp/new"
  es=$(stat -c %s "$tmp/new/pandoc-manual.epub" 2>/dev/null || echo 0)
  ps=$(stat -c %s "$tmp/new/pandoc-manual.pdf" 2>/dev/null || echo 0)
  expect "the pandoc manual builds (exit $rc): EPUB $es bytes, PDF $ps bytes" \
    eval '[ "$rc" -eq 0 ] && [ "$es" -gt 0 ] && [ "$ps" -gt "$((es + 200000))" ]'
  expect "... its outputs differ from the previous ones (another date)" \
    eval '! cmp -s "$tmp/new/pandoc-manual.epub" "$tmp/prev/pandoc-manual.epub" && ! cmp -s "$tmp/new/pandoc-manual.pdf" "$tmp/prev/pandoc-manual.pdf"'
  lim=$(((es + ps) / 2 / 1024)) # KB: the EPUB fits, the PDF does not

  for mode in tmpfile named; do
    o=$tmp/full-$mode
    restore "$o"
    if [ $mode = named ]; then export GOODIEBAG_NO_TMPFILE=1; fi
    { (ulimit -f "$lim"; exec timeout 60 "$G" build "$man" -o "$o") >/dev/null 2>"$tmp/err"; } 2>/dev/null
    rc=$?
    unset GOODIEBAG_NO_TMPFILE
    what="disk full while the PDF is written (ulimit -f $lim KB, $mode temporary files)"
    expect "$what: exit 1 (got $rc)" [ "$rc" -eq 1 ]
    expect "$what: the message names the PDF and says nothing is published" \
      grep -qF "$o/pandoc-manual.pdf: error: cannot write the output: File too large; nothing is published (the previous files are unchanged)" "$tmp/err"
    expect "$what: BOTH previous outputs byte-identical, no other file" only_previous "$o"
    only_previous "$o" || { ls -la "$o" | indent; indent <"$tmp/err"; }
  done

  # a tiny file system that fills up (root only: mount a tmpfs)
  mnt=$tmp/mnt
  mkdir -p "$mnt"
  prevkb=$(du -sk "$tmp/prev" | cut -f1)
  if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=$((prevkb + lim + 8))k tmpfs "$mnt" 2>/dev/null; then
    cp "$tmp/prev/"* "$mnt/"
    run build "$man" -o "$mnt"
    expect "a full tmpfs while the PDF is written: exit 1 (got $rc)" [ "$rc" -eq 1 ]
    expect "... the message: No space left on device, nothing is published" \
      grep -qF "$mnt/pandoc-manual.pdf: error: cannot write the output: No space left on device; nothing is published" "$tmp/err"
    expect "... BOTH previous outputs byte-identical, no other file" only_previous "$mnt"
    expect "... and the space of the unnamed files is given back (df: $(df -k --output=used "$mnt" | tail -1) KB used)" \
      eval '[ "$(df -k --output=used "$mnt" | tail -1)" -le "$((prevkb + 8))" ]'
    umount "$mnt" && mnt=
  else
    ok "# skip: a full tmpfs (needs root to mount one)"
    mnt=
  fi

  # SIGKILL at several moments of a build: nothing but the previous outputs
  o=$tmp/killed
  restore "$o"
  bad=0 killed=0
  for ms in 50 100 200 300 400 600; do
    "$G" build "$man" -o "$o" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v m=$ms 'BEGIN { printf "%.3f", m / 1000 }')"
    kill -KILL "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
    if [ $? -eq 137 ]; then
      killed=$((killed + 1))
      # killed before publishing: the previous outputs; killed after it
      # (while the process ends): both new ones; never a mixture
      if ! only_previous "$o" && ! only_new "$o"; then
        bad=1; nok "SIGKILL after $ms ms left: $(ls -A "$o" | tr '\n' ' ')"
      fi
    elif ! cmp -s "$o/pandoc-manual.pdf" "$tmp/new/pandoc-manual.pdf" ||
         ! cmp -s "$o/pandoc-manual.epub" "$tmp/new/pandoc-manual.epub" ||
         [ "$(ls -A "$o" | wc -l)" -ne 2 ]; then
      bad=1; nok "a build that finished before SIGKILL ($ms ms) published both new outputs, nothing else"
    fi
    restore "$o"
  done
  [ "$bad" -eq 0 ] && ok "SIGKILL after 50 ... 600 ms ($killed of 6 killed): no file but the previous outputs, or both new ones"
  expect "SIGKILL really ended some builds ($killed of 6)" [ "$killed" -ge 2 ]

  # a good build publishes both, and nothing else
  run build "$man" -o "$o"
  expect "then a build publishes both new outputs and nothing else" \
    eval '[ "$rc" -eq 0 ] && cmp -s "$o/pandoc-manual.epub" "$tmp/new/pandoc-manual.epub" && cmp -s "$o/pandoc-manual.pdf" "$tmp/new/pandoc-manual.pdf" && [ "$(ls -A "$o" | wc -l)" -eq 2 ]'

  # watch mode publishes the same way
  o=$tmp/watched
  restore "$o"
  (ulimit -f "$lim"; exec "$G" watch "$man" -o "$o") 2>"$tmp/watch.log" &
  wpid=$!
  for i in $(seq 300); do grep -q "cannot write the output" "$tmp/watch.log" && break; sleep 0.1; done
  kill -INT "$wpid" 2>/dev/null
  { wait "$wpid"; } 2>/dev/null
  expect "watch: disk full while the PDF is written is reported" \
    grep -qF "$o/pandoc-manual.pdf: error: cannot write the output: File too large; nothing is published" "$tmp/watch.log"
  expect "watch: BOTH previous outputs byte-identical, no other file" only_previous "$o"
fi

# a hidden name left by a build killed between link and rename, whose pid
# comes back (a new pid namespace: goodiebag runs as pid 1)
o=$tmp/stale
mkdir -p "$o"
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
   unshare -fp --mount-proc true 2>/dev/null; then
  for mode in tmpfile named; do
    rm -rf "$o"; mkdir -p "$o"
    echo stale >"$o/.goodiebag.epub.tmp-1"; echo stale >"$o/.goodiebag.pdf.tmp-1"
    if [ $mode = named ]; then export GOODIEBAG_NO_TMPFILE=1; fi
    timeout 60 unshare -fp --mount-proc "$G" build chapters -o "$o" >/dev/null 2>"$tmp/err"
    rc=$?
    unset GOODIEBAG_NO_TMPFILE
    expect "a stale .NAME.tmp-PID of our pid ($mode) is replaced: exit $rc, only the two outputs" \
      eval '[ "$rc" -eq 0 ] && [ "$(ls -A "$o" | tr "\n" " ")" = "goodiebag.epub goodiebag.pdf " ]'
  done
else
  ok "# skip: a stale temporary name of our pid (needs root and unshare)"
fi

# ---- 2. reader-safe EPUB styles, the NCX's page counts --------------------------
run build chapters -o "$tmp/gb"
epub=$tmp/gb/goodiebag.epub
expect "the goodiebag builds (exit $rc)" [ "$rc" -eq 0 ]
expect "... without a warning about the accessibility claim" eval '! grep -q "conformance claim" "$tmp/err"'
unzip -p "$epub" EPUB/styles/book.css >"$tmp/book.css" 2>/dev/null
python3 - "$tmp/book.css" <<'EOF'
import re, sys
css = open(sys.argv[1]).read()
text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
def rules(sel):
    out = []
    for m in re.finditer(r"([^{}]+)\{([^}]*)\}", text):
        sels = [s.strip() for s in m.group(1).split(",")]
        if sel in sels: out.append(m.group(2))
    return out
def check(cond, what, detail=""):
    print(("ok - " if cond else "not ok - ") + what)
    if not cond and detail: print("#   " + detail)
body = " ".join(rules("body"))
check(body and not re.search(r"(^|[;\s])color\s*:", body), "CSS: body sets no text colour", body.strip())
check(body and "line-height" not in body, "CSS: body sets no line height", body.strip())
forced = [m.group(0) for m in re.finditer(r"(?:^|[;{\s])(?:html|p)\s*\{[^}]*\b(?:color|line-height)\s*:[^}]*\}", text)]
check(not forced, "CSS: neither html nor p forces a colour or a line height", "; ".join(forced))
a = " ".join(rules("a"))
check(re.search(r"text-decoration\s*:\s*underline", a), "CSS: links are underlined (not colour alone)", a.strip())
first = text.strip().split(";", 1)[0] if text.strip() else ""
ns = re.search(r'@namespace\s+epub\s+(?:url\()?"http://www\.idpf\.org/2007/ops"\)?\s*;', text)
check(ns and text.index("@namespace") < text.index("{"),
      "CSS: @namespace epub \"http://www.idpf.org/2007/ops\" before the first rule (for epub|type)")
check("epub|type" in text, "CSS: the epub|type selectors are still there")
h = " ".join(rules("h1, h2, h3, h4, h5, h6") + rules("h1"))
check(re.search(r"color\s*:\s*#", " ".join(r for m in re.finditer(r"h1, h2, h3, h4, h5, h6\s*\{([^}]*)\}", text) for r in [m.group(1)])),
      "CSS: headings keep their accent colour (the design)")
EOF
python3 - "$epub" <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
N = "{http://www.daisy.org/z3986/2005/ncx/}"
ncx = ET.fromstring(z.read("EPUB/toc.ncx"))
meta = {m.get("name"): m.get("content") for m in ncx.iter(N + "meta")}
targets = list(ncx.iter(N + "pageTarget"))
vals = [int(t.get("value")) for t in targets if (t.get("value") or "").isdigit()]
def check(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
check(targets and meta.get("dtb:totalPageCount") == str(len(targets)),
      "NCX: dtb:totalPageCount %s = the %d pages of the page list" % (meta.get("dtb:totalPageCount"), len(targets)))
check(vals and meta.get("dtb:maxPageNumber") == str(max(vals)),
      "NCX: dtb:maxPageNumber %s = the highest page number %s" % (meta.get("dtb:maxPageNumber"), max(vals) if vals else None))
EOF
run build chapters -o "$tmp/gb-epub" --epub
expect "an EPUB-only build has the same NCX (page counts from the layout)" \
  eval 'cmp -s <(unzip -p "$epub" EPUB/toc.ncx) <(unzip -p "$tmp/gb-epub/goodiebag.epub" EPUB/toc.ncx)'

# ---- 3. the accessibility conformance claim ------------------------------------
# claim FILE: prints "conformsTo|certifiedBy|publisher" of the package
claim() {
  python3 - "$1" <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
O, D = "{http://www.idpf.org/2007/opf}", "{http://purl.org/dc/elements/1.1/}"
opf = ET.fromstring(z.read("EPUB/package.opf"))
md = opf.find(O + "metadata")
p = {}
for m in md.iter(O + "meta"):
    if m.get("property"): p.setdefault(m.get("property"), []).append((m.text or "").strip())
pub = [(e.text or "").strip() for e in md.iter(D + "publisher")]
print("|".join([";".join(p.get("dcterms:conformsTo", [])), ";".join(p.get("a11y:certifiedBy", [])), ";".join(pub)]))
EOF
}
c=$(claim "$epub")
IFS='|' read -r ct cb pub <<<"$c"
expect "the goodiebag claims 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA' (once)" [ "$ct" = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA" ]
expect "... certified by its publisher ($cb)" eval '[ -n "$pub" ] && [ "$cb" = "$pub" ]'

# the images test book has an image without alt text
run build tests/books/images -o "$tmp/img" --epub
c=$(claim "$tmp/img/images.epub")
expect "a book with an image without alt text builds (exit $rc)" [ "$rc" -eq 0 ]
expect "... makes no claim (no conformsTo, no certifiedBy: '$c')" [ "$c" = "||goodiebag" ]
expect "... and warns, located at the image, that the EPUB makes no conformance claim" \
  grep -qF "tests/books/images/02-in-de-tekst.md:10:46: warning: the EPUB makes no accessibility conformance claim (EPUB Accessibility 1.1 - WCAG 2.1 Level AA): 1 image has no alternative text" "$tmp/err"

# a small book: decorative images, then a heading gap, then a missing alt
bk=$tmp/boek
mkdir -p "$bk/img"
cp tests/books/images/images/staafdiagram.png tests/books/images/images/vinkje.svg "$bk/img/"
cat >"$bk/book.yaml" <<'EOF'
name: klein
title: Klein boek
author: Tester
publisher: Uitgeverij Proef
lang: nl
date: 2024-05-01
EOF
printf '# Eerste\n\nEen vinkje ![](img/vinkje.svg){.decorative} in de tekst.\n\n![](img/staafdiagram.png){.decorative}\n\n## Tweede\n\n![Staafdiagram van de cijfers](img/staafdiagram.png)\n' >"$bk/01-a.md"
run build "$bk" -o "$tmp/k1"
c=$(claim "$tmp/k1/klein.epub")
expect "images marked {.decorative}: exit 0, no alt-text warning" eval '[ "$rc" -eq 0 ] && ! grep -q "alternative text" "$tmp/err"'
[ "$rc" -eq 0 ] || indent <"$tmp/err"
expect "... the book claims conformance, certified by its publisher ('$c')" \
  [ "$c" = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA|Uitgeverij Proef|Uitgeverij Proef" ]
x=$(unzip -p "$tmp/k1/klein.epub" EPUB/text/01-a.xhtml)
expect "... decorative images have alt=\"\" in the XHTML" \
  eval '[ "$(grep -o "<img [^>]*alt=\"\"" <<<"$x" | wc -l)" -eq 2 ]'
expect "... and the mark {.decorative} is not in the text of the EPUB or the PDF" \
  eval '! grep -q "decorative" <<<"$x" && ! pdftotext "$tmp/k1/klein.pdf" - | grep -q decorative'
expect "... the decorative figure is still a figure" grep -q '<figure><img src="../images/staafdiagram.png" alt=""' <<<"$x"

printf '# Derde\n\nTekst.\n\n### Te diep\n\nTekst.\n\n## Goed\n\n#### Weer te diep\n' >"$bk/02-b.md"
run build "$bk" -o "$tmp/k2" --epub
c=$(claim "$tmp/k2/klein.epub")
expect "a heading gap (h1 then h3): exit 0, no claim ('$c')" eval '[ "$rc" -eq 0 ] && [ "$c" = "||Uitgeverij Proef" ]'
expect "... a warning located at the first gap says the EPUB makes no claim, and how many more" \
  grep -qF "$bk/02-b.md:5:1: warning: the EPUB makes no accessibility conformance claim (EPUB Accessibility 1.1 - WCAG 2.1 Level AA): the heading levels jump from 1 to 3 here (and 1 more time)" "$tmp/err"
rm "$bk/02-b.md"

printf '# Derde\n\nZonder ![](img/vinkje.svg) en ![ ](img/vinkje.svg).\n' >"$bk/02-b.md"
run build "$bk" -o "$tmp/k3" --epub
c=$(claim "$tmp/k3/klein.epub")
expect "images without alt text (empty, blank): exit 0, no claim ('$c')" eval '[ "$rc" -eq 0 ] && [ "$c" = "||Uitgeverij Proef" ]'
expect "... each image warns where it is, with the {.decorative} hint" \
  eval 'grep -qF "$bk/02-b.md:3:8: warning: image '"'"'img/vinkje.svg'"'"' has no alternative text" "$tmp/err" && grep -qF "$bk/02-b.md:3:31: warning: image" "$tmp/err" && grep -qF "{.decorative}" "$tmp/err"'
expect "... the claim warning is located at the first and counts both" \
  grep -qF "$bk/02-b.md:3:8: warning: the EPUB makes no accessibility conformance claim (EPUB Accessibility 1.1 - WCAG 2.1 Level AA): 2 images have no alternative text" "$tmp/err"
expect "... and the EPUB says not all images have a text alternative" \
  eval '! unzip -p "$tmp/k3/klein.epub" EPUB/package.opf | grep -q alternativeText'
run build "$bk" -o "$tmp/k3p" --pdf
expect "a PDF-only build makes no EPUB claim warning" eval '[ "$rc" -eq 0 ] && ! grep -q "conformance claim" "$tmp/err"'

if command -v java >/dev/null && [ -f /usr/bin/epubcheck ]; then
  # (one run, the slowest check here: the goodiebag has the claim, the
  # page list and its NCX counts, and the style sheet)
  java -jar /usr/bin/epubcheck "$epub" >"$tmp/ec" 2>&1
  expect "EPUBCheck: the goodiebag is clean (with the claim, the CSS and the NCX counts)" \
    grep -q "No errors or warnings detected" "$tmp/ec"
  grep -q "No errors or warnings detected" "$tmp/ec" || grep -E "ERROR|WARNING" "$tmp/ec" | indent 5
else
  ok "# skip: EPUBCheck (java, /usr/bin/epubcheck) not installed"
fi
exit 0
