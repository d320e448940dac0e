#!/usr/bin/env bash
# t_tables.sh — GFM pipe tables in both editions (issue 12), checked by
# reading the outputs (EPUBCheck, unzip, qpdf, poppler-utils, python3 with
# the standard library), never by comparing files as strings. The test book
# tests/books/tables has a small table with the three alignments and inline
# formatting in its cells (bold, italic, code, a link), a wide one (8
# columns of long text and a URL) and one of 80 rows that crosses pages,
# each with a caption (": ", "Table: ", "Tabel: "), and a raw HTML table
# with a <caption>, <thead> and <tbody>.
#   - the book builds without a message; EPUBCheck 0 errors, 0 warnings;
#   - EPUB: <thead> with <th scope="col"> (15; the HTML table's 2 as written), <tbody>, the alignment
#     classes, each caption in <caption> without its prefix and not as a
#     paragraph;
#   - PDF: qpdf --check; the structure tree has Table (4, the HTML one too), Caption, THead,
#     TBody, TR, TH with /Scope /Column, TD; every page that shows a row of
#     the long table shows its header row; no caption prefix printed;
#   - no text outside the text block and no two words of one line overlapping
#     (a cell's text never runs into the next column), from pdftotext -bbox,
#     on A4 and on A5 (where the wide table's narrowest widths do not fit);
#   - the CommonMark book has no table elements in either edition;
#   - a table of 41 columns warns at file:line:col and builds; a row taller
#     than a page is set line by line and builds (qpdf --check).
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-tab.XXXXXX")
bgpids=()
trap 'for p in "${bgpids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require qpdf pdftotext pdfinfo unzip python3
BOOK=tests/books/tables

if "$GB" build "$BOOK" -o "$tmp/o" >"$tmp/o.out" 2>"$tmp/o.err" && [ ! -s "$tmp/o.err" ]; then
  ok "build: the tables book (exit 0, no messages)"
else
  nok "build: the tables book"; indent <"$tmp/o.err"
fi
E=$tmp/o/tables.epub P=$tmp/o/tables.pdf

JOPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
ec=
if [ -f "$E" ] && command -v java >/dev/null && [ -f /usr/bin/epubcheck ]; then
  java $JOPTS -jar /usr/bin/epubcheck "$E" >"$tmp/ec.log" 2>&1 &
  ec=$!; bgpids+=("$ec")
fi

# ---- EPUB ---------------------------------------------------------------------
unzip -p "$E" EPUB/text/01-tabellen.xhtml >"$tmp/ch.xhtml" 2>/dev/null
python3 - "$tmp/ch.xhtml" >"$tmp/x.out" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
ns = {'h': 'http://www.w3.org/1999/xhtml'}
t = ET.parse(sys.argv[1]).getroot()
tables = t.findall('.//h:table', ns)
bad = []
if len(tables) != 4: bad.append(f'{len(tables)} tables, not 4')
ths = t.findall('.//h:thead/h:tr/h:th', ns)
if len(ths) != 17 or sum(th.get('scope') == 'col' for th in ths) != 15: bad.append(f'{len(ths)} th in thead, or a pipe table\'s without scope="col"')
if len(t.findall('.//h:table/h:tbody', ns)) != 4: bad.append('a table without tbody')
rows = t.findall('.//h:table/h:tbody/h:tr', ns)
if len(rows) != 3 + 3 + 80 + 3: bad.append(f'{len(rows)} body rows, not 89')
cls = [c.get('class') for c in t.iter() if c.get('class', '').startswith('align-')]
for a in ('align-left', 'align-center', 'align-right'):
    if a not in cls: bad.append(f'no cell of class {a}')
caps = [''.join(c.itertext()).strip() for c in t.findall('.//h:table/h:caption', ns)]
want = ['Uitlijning en opmaak in cellen', 'Acht kolommen die samen breder zijn dan het tekstblok', 'Tachtig regels', 'Een tabel in ruwe HTML']
if caps != want: bad.append(f'captions {caps}')
for tb in tables:
    if tb[0].tag != '{http://www.w3.org/1999/xhtml}caption': bad.append('a caption that is not the first child of its table')
    break
paras = [''.join(p.itertext()) for p in t.findall('.//h:p', ns)]
if any(p.startswith(('Table:', 'Tabel:', ': ')) for p in paras): bad.append('a caption written as a paragraph')
cell = t.findall('.//h:tbody/h:tr', ns)[1]
if cell.find('.//h:strong', ns) is None or cell.find('.//h:code', ns) is None or cell.find('.//h:a', ns) is None:
    bad.append('the second row lacks strong, code or a link')
print('\n'.join(bad) if bad else 'fine')
EOF
if [ "$(cat "$tmp/x.out")" = fine ]; then
  ok "EPUB: thead/th scope=col, tbody, alignment classes, captions first in their tables, cells keep inline markup"
else
  nok "EPUB: table markup"; indent <"$tmp/x.out"
fi

# ---- PDF ----------------------------------------------------------------------
if qpdf --check "$P" >"$tmp/q.out" 2>&1; then ok "PDF: qpdf --check"; else nok "PDF: qpdf --check"; indent <"$tmp/q.out"; fi
pdfinfo -struct-text "$P" >"$tmp/st.txt" 2>&1
python3 - "$tmp/st.txt" >"$tmp/st.out" 2>&1 <<'EOF'
import sys, re
lines = open(sys.argv[1]).read().split('\n')
count = {}
for l in lines:
    m = re.match(r'\s*(\w+)', l)
    if m: count[m.group(1)] = count.get(m.group(1), 0) + 1
bad = []
for tag, n in (('Table', 4), ('THead', 4), ('TBody', 4), ('TH', 17), ('TR', 4 + 89), ('TD', 3*3 + 3*8 + 80*4 + 3*2)):
    if count.get(tag, 0) != n: bad.append(f'{count.get(tag, 0)} {tag}, not {n}')
if count.get('Caption', 0) < 4: bad.append('fewer than 4 Caption')
scopes = sum(1 for l in lines if '/Scope /Column' in l)
if scopes != 17: bad.append(f'{scopes} /Scope /Column, not 17')
print('\n'.join(bad) if bad else 'fine')
EOF
if [ "$(cat "$tmp/st.out")" = fine ]; then
  ok "PDF: structure Table/Caption/THead/TBody/TR/TH (/Scope /Column)/TD, as many as the Markdown has"
else
  nok "PDF: table structure"; indent <"$tmp/st.out"
fi

pdftotext -layout "$P" "$tmp/p.txt" 2>/dev/null
python3 - "$tmp/p.txt" >"$tmp/rep.out" 2>&1 <<'EOF'
import sys, re
pages = open(sys.argv[1]).read().split('\f')
bad, shown = [], 0
for i, p in enumerate(pages):
    if re.search(r'Regel \d+ van de lange tabel', p):
        shown += 1
        if not re.search(r'Nr\s+Omschrijving\s+Actief\s+Bedrag', p): bad.append(f'page {i+1}: rows without the header row')
if shown < 2: bad.append(f'the long table is on {shown} page(s), not several')
if re.search(r'(Table|Tabel):', ''.join(pages)) or re.search(r'^\s*: ', ''.join(pages), re.M): bad.append('a caption prefix printed')
print('\n'.join(bad) if bad else f'fine {shown}')
EOF
if grep -q '^fine' "$tmp/rep.out"; then
  ok "PDF: the 80-row table crosses $(cut -d' ' -f2 "$tmp/rep.out") pages, each with the header row on top; no caption prefix printed"
else
  nok "PDF: header row repeated"; indent <"$tmp/rep.out"
fi

# text block: margins of 32 mm left and right (styles/style.yaml), on A4 and A5
"$GB" build "$BOOK" -o "$tmp/a5" --pdf --paper a5 >/dev/null 2>&1
for paper in a4 a5; do
  pdf=$P; [ $paper = a5 ] && pdf=$tmp/a5/tables.pdf
  pdftotext -bbox "$pdf" "$tmp/bb.html" 2>/dev/null
  python3 - "$tmp/bb.html" >"$tmp/bb.out" 2>&1 <<'EOF2'
import sys, re
bad = []
page = 0
lines = {}
left = 32 / 25.4 * 72
for l in open(sys.argv[1]):
    if '<page ' in l:
        page += 1
        right = float(re.search(r'width="([\d.]+)"', l).group(1)) - left
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', l)
    if not m: continue
    x0, y0, x1, y1 = (float(m.group(k)) for k in range(1, 5))
    if page >= 4 and (x0 < left - 1 or x1 > right + 1): bad.append(f'page {page}: "{m.group(5)}" outside the text block ({x0:.1f}..{x1:.1f})')
    lines.setdefault((page, round(y1)), []).append((x0, x1, m.group(5)))
for (pg, y), ws in lines.items():
    ws.sort()
    for a, b in zip(ws, ws[1:]):
        if b[0] < a[1] - 0.5: bad.append(f'page {pg}: "{a[2]}" runs into "{b[2]}"')
print('\n'.join(bad[:10]) if bad else 'fine')
EOF2
  if [ "$(cat "$tmp/bb.out")" = fine ]; then
    ok "PDF ($paper): no word outside the text block, no two words of a line overlapping (no cell runs into the next)"
  else
    nok "PDF ($paper): cell text overflows"; indent <"$tmp/bb.out"
  fi
done

# ---- the CommonMark book: no tables appear ------------------------------------
"$GB" build tests/books/commonmark -o "$tmp/cm" >/dev/null 2>"$tmp/cm.err"
n=$(pdfinfo -struct-text "$tmp/cm/commonmark.pdf" 2>/dev/null | grep -cE '^\s*(Table|TR|TH|TD)\b')
m=$(unzip -p "$tmp/cm/commonmark.epub" 'EPUB/text/*.xhtml' 2>/dev/null | grep -c '<thead')
if [ "$n" = 0 ] && [ "$m" = 0 ]; then ok "CommonMark book: no table elements in the PDF or EPUB"; else nok "CommonMark book: $n PDF table elements, $m thead"; fi

# ---- limits: 41 columns; a row taller than a page ------------------------------
mkdir -p "$tmp/lim"
python3 - "$tmp/lim" <<'EOF'
import sys
d = sys.argv[1]
open(f'{d}/book.yaml', 'w').write('name: lim\ntitle: "Grenzen"\nauthor: t\npublisher: t\ndate: 2026-01-01\nlang: nl\nchapters:\n  - a.md\n')
wide = '| ' + ' | '.join(f'k{i}' for i in range(41)) + ' |\n|' + '---|' * 41 + '\n|' + ' x |' * 41 + '\n'
tall = '| a | b |\n|---|---|\n| ' + ' '.join(['woord'] * 4000) + ' | kort |\n'
open(f'{d}/a.md', 'w').write('# Grenzen\n\nTekst.\n\n' + wide + '\nTekst.\n\n' + tall)
EOF
if "$GB" build "$tmp/lim" -o "$tmp/lim/o" >/dev/null 2>"$tmp/lim.err" && grep -q 'a.md:5:1: warning: a table of 41 columns' "$tmp/lim.err" \
   && qpdf --check "$tmp/lim/o/lim.pdf" >/dev/null 2>&1 && [ "$(pdftotext "$tmp/lim/o/lim.pdf" - | grep -o woord | wc -l)" -ge 4000 ]; then
  ok "limits: 41 columns warn at a.md:5:1 and are set one below the other; a row taller than a page is set line by line (all its text there)"
else
  nok "limits: wide and tall tables"; indent <"$tmp/lim.err"
fi

if [ -n "$ec" ]; then
  wait "$ec"
  if grep -q "0 fatals / 0 errors / 0 warnings" "$tmp/ec.log"; then ok "EPUBCheck: 0 errors, 0 warnings"; else nok "EPUBCheck"; indent <"$tmp/ec.log"; fi
else
  nok "EPUBCheck is installed"
fi
