#!/usr/bin/env bash
# t_safe_text.sh — the typesetter with hostile text and styles (issue 17):
#   - flag emoji (regional indicators), ZWJ sequences, skin-tone modifiers
#     in the title, a heading and the text: no abort in libunibreak;
#     noncharacters (U+FFFE, U+10FFFF, U+FDD0) in headings and text: a
#     valid PDF (cairo refuses them), also in the title (PDF metadata);
#   - a title with characters no font has: warned, no use after free;
#   - a title of 100 kB, a heading of 100 kB, a word of 300 kB without a
#     break opportunity: built within the timeout;
#   - a paragraph of 2 MB, a code block of 1.3 MB: an error at its line:col
#     (limit 1 MB), in little memory; 5,000 headings with the same text: ids numbered in
#     linear time and memory;
#   - list and quote indents of 0 and of more than the text width, and 30
#     nested lists: every word still in the PDF, a located warning;
#   - margins that leave no text area, a heading size larger than the page:
#     errors at style.yaml:LINE:COL;
#   - Hebrew and Arabic text: a located warning that the PDF sets it left
#     to right.
# Every build runs under `timeout 30`; memory is measured with
# /usr/bin/time (normal build only: ASan's shadow memory would count).
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-safetext.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
require qpdf pdftotext python3
G=$GB
case $G in /*) ;; *) G=$PWD/$G ;; esac
asan=0
case $G in *asan*) asan=1 ;; esac

# book DIR TITLE: a one-chapter book (chapter DIR/a.md written by the caller)
book() {
  mkdir -p "$1"
  cat >"$1/book.yaml" <<EOF
name: t
title: "$2"
author: Tester
publisher: Uitgever
lang: nl
date: 2024-05-01
chapters:
  - a.md
EOF
}
# build DIR [ARGS...]: rc, err (stderr), mem (KB, normal build), secs
build() {
  local d=$1; shift
  rm -rf "$d/out"
  /usr/bin/time -f '%e %M' -o "$tmp/time" timeout 30 "$G" build "$d" -o "$d/out" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  err=$(cat "$tmp/err")
  read -r secs mem < <(tail -1 "$tmp/time")
  [ -n "$mem" ] || mem=0
  [ "$asan" = 1 ] && mem=0
  [ -n "$secs" ] || secs=0
}
# check WHAT CONDITION...
check() { local w=$1; shift; if "$@"; then ok "$w"; else nok "$w"; indent 8 <"$tmp/err"; fi; }
mem_below() { [ "$asan" = 1 ] || [ "$mem" -lt "$1" ]; }
pdf_ok() { [ -f "$1/out/t.pdf" ] && qpdf --check "$1/out/t.pdf" >/dev/null 2>&1; }
# words W in the PDF's text (one per line) equal to N
words() { pdftotext "$1/out/t.pdf" - 2>/dev/null | tr -s ' \n' '\n\n' | grep -c -- "$2"; }

# ---- 1. flag emoji ---------------------------------------------------------
b=$tmp/flags
book "$b" "Vlaggen 🇳🇱🇧🇪 en 🏴‍☠️"
printf '# Kop 🇳🇱🇧🇪🇩 \xef\xbf\xbe \xf4\x8f\xbf\xbf\n\n## Sub \xef\xb7\x90\n\nTekst 🇳🇱 en 👩‍👩‍👧‍👦 en 👍🏽 en 🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱🇳🇱 e\xcc\x81\xef\xbf\xbe\xee\x80\x80.\n' >"$b/a.md"
build "$b"
check "flag emoji (regional indicators), ZWJ, modifiers in title, heading, text: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "flag emoji: the PDF passes qpdf --check" pdf_ok "$b"
check "flag emoji: the missing characters are warned at a.md:1:1 (the heading)" grep -qF "$b/a.md:1:1: warning: character U+1F1F3" "$tmp/err"

b=$tmp/nonchar
book "$b" $'Titel \xef\xb7\x90 \xf0\x9f\xbf\xbe'
printf '# Kop\n\nTekst.\n' >"$b/a.md"
build "$b"
check "noncharacters in the title (PDF metadata, cover, title page): exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "noncharacters in the title: the PDF passes qpdf --check" pdf_ok "$b"

# ---- 2. a title with characters no font has ---------------------------------
b=$tmp/cjk
book "$b" "Boek 中文 titel"
printf '# Kop\n\nTekst.\n\n# Twee\n\nMeer.\n' >"$b/a.md"
build "$b"
check "a title with CJK characters: exit 0 (got $rc; 86 = AddressSanitizer)" [ "$rc" -eq 0 ]
check "a title with CJK characters: warned once about U+4E2D" [ "$(grep -c 'U+4E2D' "$tmp/err")" -ge 1 ]
check "a title with CJK characters: the PDF passes qpdf --check" pdf_ok "$b"

# ---- 3. very long title, heading, word --------------------------------------
b=$tmp/long
long=$(python3 -c "print(('woord ' * 17000)[:100000].strip())")
book "$b" "$long"
python3 -c "
import sys
t = ('woord ' * 17000)[:100000].strip()
open(sys.argv[1], 'w').write('# Kop\n\nTekst.\n\n# ' + t + '\n\nTekst ' + 'x' * 300000 + ' einde.\n')" "$b/a.md"
build "$b"
check "a 100 kB title, a 100 kB heading, a 300 kB word: exit 0 within 30 s (got $rc, ${secs} s)" [ "$rc" -eq 0 ]
check "long title, heading, word: memory ${mem} KB < 400 MB" mem_below 400000
check "long title, heading, word: the PDF passes qpdf --check" pdf_ok "$b"
check "long title, heading, word: the word is in the PDF" [ "$(pdftotext "$b/out/t.pdf" - 2>/dev/null | tr -cd x | wc -c)" -ge 300000 ]

# ---- 4. a 2 MB paragraph; 5,000 equal headings ------------------------------
b=$tmp/para
book "$b" "Lang"
python3 -c "
import sys
open(sys.argv[1], 'w').write('# Kop\n\nKort.\n\n' + 'woord ' * 350000 + '\n')" "$b/a.md"
build "$b"
check "a 2 MB paragraph: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "a 2 MB paragraph: error at a.md:5:1 naming the 1 MB limit" \
  grep -qE "^$b/a.md:5:1: error: this paragraph is [0-9]+ bytes long, more than the limit of 1 MB" "$tmp/err"
check "a 2 MB paragraph: memory ${mem} KB < 200 MB" mem_below 200000
check "a 2 MB paragraph: nothing written" [ ! -e "$b/out/t.pdf" ]
python3 -c "
import sys
open(sys.argv[1], 'w').write('# Kop\n\n\x60\x60\x60\n' + 'code regel\n' * 120000 + '\x60\x60\x60\n')" "$b/a.md"
build "$b"
check "a 1.3 MB code block: exit 1 and an error at a.md:3:1 (got $rc)" \
  eval "[ $rc -eq 1 ] && grep -qE '^$b/a.md:3:1: error: this code block is [0-9]+ bytes long, more than the limit of 1 MB' '$tmp/err'"

b=$tmp/heads
book "$b" "Koppen"
python3 -c "
import sys
open(sys.argv[1], 'w').write('# Kop\n\n' * 5000)" "$b/a.md"
build "$b"
check "5,000 headings with the same text: exit 0 (got $rc, ${secs} s)" [ "$rc" -eq 0 ]
check "5,000 equal headings: memory ${mem} KB < 300 MB" mem_below 300000
check "5,000 equal headings: ids kop .. kop-5000 in the EPUB" \
  eval "unzip -p '$b/out/t.epub' '*text/a.xhtml' | grep -q 'id=\"kop-5000\"'"

# ---- 5. list and quote indents; nesting; style values ----------------------
b=$tmp/lists
book "$b" "Lijsten"
python3 -c "
import sys
s = '# Lijsten\n\n'
for d in range(30):
    s += '  ' * d + '- item%d tekst\n' % d
s += '\n> citaat tekst\n\n- lijstje tekst\n\n999999999. groot\n'
open(sys.argv[1], 'w').write(s)" "$b/a.md"
for v in 0 400mm 1.6em; do
  rm -rf "$b/st"
  cp -r styles "$b/st"
  sed -i -E "s/^(  list-indent: ).*/\1$v/; s/^(  quote-indent: ).*/\1$v/" "$b/st/style.yaml"
  build "$b" --style "$b/st"
  check "list-indent and quote-indent $v, 30 nested lists: exit 0 (got $rc)" [ "$rc" -eq 0 ]
  n=$(words "$b" '^item[0-9]*$'); q=$(words "$b" '^citaat$'); l=$(words "$b" '^lijstje$')
  m=$(words "$b" '^999999999\.$')
  check "indents $v: all 30 items, the quote, the list and the marker 999999999. are in the PDF ($n, $q, $l, $m)" \
    [ "$n" -eq 30 ] && [ "$q" -eq 1 ] && [ "$l" -eq 1 ] && [ "$m" -eq 1 ]
  if [ "$v" != 0 ]; then
    check "indents $v: a located warning where the nesting leaves too little width" \
      grep -qE "^$b/a.md:[0-9]+:[0-9]+: warning: lists and quotes nested here" "$tmp/err"
  fi
done
printf '# Kop\n\nTekst.\n' >"$b/a.md"
# style VALUES... expecting an error at KEY's line: a copy of styles/
style_err() {
  local key=$1 want=$2; shift 2
  rm -rf "$b/st"
  cp -r styles "$b/st"
  local kv
  for kv in "$@"; do sed -i -E "s/^(  ${kv%%=*}: ).*/\1${kv#*=}/" "$b/st/style.yaml"; done
  local line
  line=$(grep -n "^  ${key#*-}: " "$b/st/style.yaml" | head -1 | cut -d: -f1)
  [ "$key" = page-margin-inner ] && line=$(grep -n '^  margin-inner: ' "$b/st/style.yaml" | cut -d: -f1)
  build "$b" --style "$b/st"
  check "style $*: exit 1 (got $rc)" [ "$rc" -eq 1 ]
  check "style $*: error at style.yaml:$line: naming '$key' ($want)" \
    eval "grep -qE '^$b/st/style.yaml:$line:[0-9]+: error: .$key.*$want' '$tmp/err'"
}
style_err text-list-indent "not negative" list-indent=-5em
style_err text-quote-indent "not negative" quote-indent=-2mm
style_err page-margin-inner "text width" margin-inner=105mm margin-outer=104mm
style_err page-margin-bottom "text height" margin-top=20mm margin-bottom=270mm
style_err headings-h1-size "does not fit" h1-size=70em
style_err headings-space-before "half the text height" space-before=100em
style_err text-paragraph-indent "half the text width" paragraph-indent=300mm

# ---- 6. right-to-left text ----------------------------------------------
b=$tmp/rtl
book "$b" "Talen"
printf '# Kop\n\nTekst.\n\nשלום עולם, dit is Hebreeuws.\n\nמילה נוספת.\n' >"$b/a.md"
build "$b"
check "Hebrew text: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "Hebrew text: a warning at a.md:5:1 says it is set left to right" \
  grep -qF "$b/a.md:5:1: warning: right-to-left text (Hebrew" "$tmp/err"
check "Hebrew text: warned once per chapter" [ "$(grep -c 'right-to-left' "$tmp/err")" -eq 1 ]
printf '# Kop\n\nمرحبا بالعالم\n' >"$b/a.md"
build "$b"
check "Arabic text: a warning at a.md:3:1 names Arabic" \
  grep -qF "$b/a.md:3:1: warning: right-to-left text (Arabic" "$tmp/err"
