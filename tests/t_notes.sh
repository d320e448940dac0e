#!/usr/bin/env bash
# t_notes.sh — footnotes in both editions (issue 12), checked by reading the
# outputs (EPUBCheck, qpdf, poppler-utils, python3 standard library). The
# test book tests/books/notes has, in chapter 1, five notes marked in its
# first sentence (many on one page), a note marked twice, a mark that names
# no note, a note marked in a list item, a note marked inside another note,
# a definition never referenced and a note far longer than the rest of its
# page; chapter 2 numbers its own notes from 1.
#   - build: exit 0; located warnings for the unknown mark, the unused
#     definition and the mark inside a note;
#   - EPUB: EPUBCheck 0/0; every mark is <a epub:type="noteref"
#     role="doc-noteref" href="#fn-N" id="fnref-N[-k]">N</a> with nothing
#     inside; each note an <aside epub:type="footnote" role="doc-footnote"
#     id="fn-N"> at the chapter's end whose first link is its number, a
#     role="doc-backlink" to the first mark; every mark's href and every
#     backlink's href names an id of the same document; the note marked
#     twice has two backlinks; the unknown mark is text "[^onbekend]";
#     chapter 2 starts at 1;
#   - PDF: qpdf --check; each note's first words are on the page of its
#     first mark (pdftotext per page: a page's text holds the mark's
#     sentence and the note); the long note starts on its mark's page and
#     ends on the next one; the structure tree has Note elements; the trace
#     lists notes at the foot of their pages.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-notes.XXXXXX")
bgpids=()
trap 'for p in "${bgpids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require qpdf pdftotext pdfinfo python3 unzip
BOOK=tests/books/notes

if "$GB" build "$BOOK" -o "$tmp/o" --trace "$tmp/trace.txt" >"$tmp/o.out" 2>"$tmp/o.err"; then
  ok "build: the notes book (exit 0)"
else
  nok "build: the notes book (exit $?)"; indent <"$tmp/o.err"
fi
E=$tmp/o/notes.epub P=$tmp/o/notes.pdf

JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
ec=
if [ -f "$E" ] && command -v java >/dev/null && [ -f /usr/bin/epubcheck ]; then
  java $JOPTS -jar /usr/bin/epubcheck "$E" >"$tmp/ec.log" 2>&1 &
  ec=$!; bgpids+=("$ec")
fi

# ---- warnings ----------------------------------------------------------------
w() { # w PATTERN DESCRIPTION
  if grep -q -- "$1" "$tmp/o.err"; then ok "warning: $2"; else nok "warning: $2"; indent <"$tmp/o.err"; fi
}
w '01-noten.md:5:113: warning: \[^onbekend\] names no note' "an unknown mark, located, shown as typed"
w '01-noten.md:48:1: warning: the note \[^ongebruikt\] is defined but never referenced: it is not shown' \
  "a definition never referenced, located"
w '01-noten.md:46:[0-9]*: warning: a note mark inside a note is not read' "a mark inside a note, located"

# ---- EPUB ----------------------------------------------------------------------
mkdir -p "$tmp/x" && unzip -q -o "$E" -d "$tmp/x" 2>/dev/null
python3 - "$tmp/x/EPUB/text" >"$tmp/epub.txt" 2>&1 <<'EOF'
import sys, os, re, xml.dom.minidom as M
d = sys.argv[1]
EP = "http://www.idpf.org/2007/ops"
def doc(n): return M.parse(os.path.join(d, n))
def text(e): return "".join(t.data if t.nodeType == t.TEXT_NODE else text(t) for t in e.childNodes)
res = []
def check(c, what): res.append(("ok - " if c else "not ok - ") + what)
x = doc("01-noten.xhtml")
ids = {e.getAttribute("id") for e in x.getElementsByTagName("*") if e.hasAttribute("id")}
marks = [a for a in x.getElementsByTagName("a") if a.getAttributeNS(EP, "type") == "noteref"]
good = all(a.getAttribute("role") == "doc-noteref" and re.fullmatch(r"#fn-\d+", a.getAttribute("href"))
           and re.fullmatch(r"fnref-\d+(-\d+)?", a.getAttribute("id"))
           and len(a.childNodes) == 1 and a.firstChild.nodeType == a.TEXT_NODE
           and a.getAttribute("href") == "#fn-" + text(a) for a in marks)
check(len(marks) == 8 and good, "epub: 8 marks <a epub:type=noteref role=doc-noteref href=#fn-N id=fnref-N>N</a>, text only (%d)" % len(marks))
check([text(a) for a in marks] == ["1", "2", "3", "4", "5", "1", "6", "7"], "epub: numbered by first mark, the note marked twice keeps its number")
asides = [a for a in x.getElementsByTagName("aside")]
good = all(a.getAttributeNS(EP, "type") == "footnote" and a.getAttribute("role") == "doc-footnote"
           and a.getAttribute("id") == "fn-%d" % (i + 1) for i, a in enumerate(asides))
check(len(asides) == 7 and good, "epub: 7 <aside epub:type=footnote role=doc-footnote id=fn-N> (%d)" % len(asides))
sec = x.getElementsByTagName("section")[0]
last = [c for c in sec.childNodes if c.nodeType == c.ELEMENT_NODE][-7:]
check(all(c.tagName == "aside" for c in last), "epub: the notes are at the end of the chapter")
ok1 = True
for i, a in enumerate(asides):
    links = a.getElementsByTagName("a")
    first = links[0] if links else None
    ok1 = ok1 and first is not None and first.getAttribute("role") == "doc-backlink" and text(first) == str(i + 1) \
        and first.getAttribute("href") == "#fnref-%d" % (i + 1)
    p = a.getElementsByTagName("p")[0]
    ok1 = ok1 and p.firstChild is first
check(ok1, "epub: each note begins with its number, a doc-backlink to its first mark")
hrefs = [a.getAttribute("href")[1:] for a in x.getElementsByTagName("a") if a.getAttribute("href").startswith("#")]
check(hrefs and all(h in ids for h in hrefs), "epub: every mark and backlink lands on an id of the chapter")
back1 = [l for l in asides[0].getElementsByTagName("a") if l.getAttribute("role") == "doc-backlink"]
check([l.getAttribute("href") for l in back1] == ["#fnref-1", "#fnref-1-2"], "epub: the note marked twice links back to both marks")
body = text(x.getElementsByTagName("body")[0])
check("[^onbekend]" in body and "nergens genoemd" not in body, "epub: the unknown mark is text, the unused note is not shown")
check("[^twee]" in text(asides[4]), "epub: a mark inside a note is shown as typed")
li = x.getElementsByTagName("li")[0]
check(any(a.getAttributeNS(EP, "type") == "noteref" for a in li.getElementsByTagName("a")), "epub: a mark in a list item")
y = doc("02-verder.xhtml")
m2 = [text(a) for a in y.getElementsByTagName("a") if a.getAttributeNS(EP, "type") == "noteref"]
check(m2 == ["1", "2"], "epub: chapter 2 numbers its notes from 1")
print("\n".join(res))
EOF
grep -E '^(not )?ok - ' "$tmp/epub.txt" || { nok "epub: the checks ran"; indent <"$tmp/epub.txt"; }

# ---- PDF -----------------------------------------------------------------------
if qpdf --check "$P" >"$tmp/qpdf.txt" 2>&1; then ok "pdf: qpdf --check"; else nok "pdf: qpdf --check"; indent <"$tmp/qpdf.txt"; fi
n=$(pdfinfo "$P" 2>/dev/null | awk '/^Pages:/{print $2}')
for ((p = 1; p <= ${n:-0}; p++)); do pdftotext -f $p -l $p "$P" "$tmp/page$p.txt" 2>/dev/null; done
python3 - "$tmp" "${n:-0}" >"$tmp/pdf.txt" 2>&1 <<'EOF'
import sys, re
tmp, n = sys.argv[1], int(sys.argv[2])
pages = [re.sub(r"\s+", " ", open("%s/page%d.txt" % (tmp, p)).read()) for p in range(1, n + 1)]
def where(s): return [i for i, t in enumerate(pages) if s in t]
res = []
def check(c, what): res.append(("ok - " if c else "not ok - ") + what)
# (text near the mark, the note's first words)
notes = [("Een eerste zin met een noot", "1 De eerste noot, kort."),
         ("en nog een", "2 De tweede noot, met"),
         ("en een derde", "3 De derde noot."),
         ("daarna een vierde", "4 De vierde noot, die iets langer"),
         ("en een vijfde", "5 De vijfde noot verwijst"),
         ("Een lijstitem met een noot", "6 Een noot bij een lijstitem."),
         ("Deze alinea heeft een lange noot", "7 De lange noot gaat door"),
         ("begint opnieuw bij een", "1 Noot a van het tweede"),
         ("gaat door met twee", "2 Noot b van het tweede")]
bad = []
for mark, note in notes:
    m, t = where(mark), where(note)
    if not m or not t or t[0] != m[0]:
        bad.append("%r on %s, %r on %s" % (mark, m, note, t))
check(not bad, "pdf: every note starts on the page of its first mark" + ("" if not bad else ": " + "; ".join(bad)))
p1 = where("1 De eerste noot, kort.")
check(p1 and all(s in pages[p1[0]] for _, s in notes[:6]), "pdf: six notes at the foot of one page")
lm, end = where("Deze alinea heeft een lange noot"), where("Een tweede alinea van de lange noot")
check(lm and end and end[0] == lm[0] + 1, "pdf: the long note continues at the next page's foot")
check(not where("nergens genoemd") and where("[^onbekend]"), "pdf: the unused note is not shown, the unknown mark is text")
print("\n".join(res))
EOF
grep -E '^(not )?ok - ' "$tmp/pdf.txt" || { nok "pdf: the checks ran"; indent <"$tmp/pdf.txt"; }
nn=$(pdfinfo -struct-text "$P" 2>/dev/null | grep -c '^ *Note')
if [ "${nn:-0}" -ge 10 ]; then ok "pdf: the structure tree has Note elements ($nn)"; else nok "pdf: Note elements in the structure tree ($nn)"; fi
if grep -q '^  note .*"7.*De lange noot' "$tmp/trace.txt"; then
  ok "trace: the notes placed on each page are listed"
else
  nok "trace: the notes placed on each page are listed"
fi

# ---- a note longer than several pages; marks in a link and in a note -------------
mkdir -p "$tmp/long"
printf 'name: long\ntitle: T\nlang: en\nauthor: a\npublisher: p\ndate: 2026-01-01\n' >"$tmp/long/book.yaml"
{ printf '# Long\n\nText[^h] and [a link[^i]](https://example.org/).\n\n[^i]: I.\n[^h]:'
  for ((k = 0; k < 3000; k++)); do printf ' word%d' $k; done; printf ' LASTWORD\n'; } >"$tmp/long/a.md"
if "$GB" build "$tmp/long" -o "$tmp/lo" --pdf >"$tmp/lo.out" 2>"$tmp/lo.err" && qpdf --check "$tmp/lo/long.pdf" >/dev/null 2>&1; then
  ln=$(pdfinfo "$tmp/lo/long.pdf" | awk '/^Pages:/{print $2}')
  last=$(pdftotext -f "$ln" -l "$ln" "$tmp/lo/long.pdf" - 2>/dev/null)
  if [ "${ln:-0}" -ge 6 ] && grep -q LASTWORD <<<"$last"; then ok "pdf: a note of several pages continues page after page to its end ($ln pages)"
  else nok "pdf: a note of several pages continues to its end ($ln pages)"; fi
else
  nok "pdf: a book with a note of several pages builds and passes qpdf --check"; indent <"$tmp/lo.err"
fi
if grep -q "a.md:3:[0-9]*: warning: a note mark inside a link's or an image's text is not read" "$tmp/lo.err"; then
  ok "warning: a mark inside a link's text, located"
else
  nok "warning: a mark inside a link's text, located"; indent <"$tmp/lo.err"
fi

# ---- a note in a table cell: at the foot of the row's page, linked both ways --
mkdir -p "$tmp/tc"
printf 'name: tc\ntitle: T\nauthor: A\npublisher: P\nlang: nl\ndate: 2026-01-01\nchapters: [a.md]\n' >"$tmp/tc/book.yaml"
printf '# Tabel\n\n| Naam | Uitleg |\n| --- | --- |\n| een | cel met noot[^c] |\n| twee | gewoon |\n\n[^c]: Noot in een tabelcel.\n' >"$tmp/tc/a.md"
if "$GB" build "$tmp/tc" -o "$tmp/tco" >"$tmp/tc.out" 2>"$tmp/tc.err"; then
  pages=$(pdfinfo "$tmp/tco/tc.pdf" | sed -n 's/^Pages: *//p')
  on=""
  for p in $(seq 1 "$pages"); do
    t=$(pdftotext -f "$p" -l "$p" "$tmp/tco/tc.pdf" - 2>/dev/null)
    case $t in *"cel met noot"*"Noot in een tabelcel."*) on=$p ;; esac
  done
  [ -n "$on" ] && ok "a note marked in a table cell is at the foot of the row's page ($on)" ||
    { nok "a note marked in a table cell is at the foot of the row's page"; pdftotext "$tmp/tco/tc.pdf" - | indent; }
  unzip -p "$tmp/tco/tc.epub" '*a.xhtml' | grep -q '<td>cel met noot<a epub:type="noteref"' &&
    ok "EPUB: the mark in the cell is a noteref" || nok "EPUB: the mark in the cell is a noteref"
else
  nok "a book with a note in a table cell builds"; indent <"$tmp/tc.err"
fi

# ---- EPUBCheck -------------------------------------------------------------------
if [ -n "$ec" ]; then
  wait "$ec"
  if grep -q "0 fatals / 0 errors / 0 warnings" "$tmp/ec.log"; then ok "epubcheck: 0 errors, 0 warnings"
  else nok "epubcheck: 0 errors, 0 warnings"; grep -E "ERROR|WARNING|FATAL" "$tmp/ec.log" | indent; fi
else
  nok "epubcheck is installed (java, /usr/bin/epubcheck)"
fi
