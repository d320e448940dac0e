#!/usr/bin/env bash
# t_dialect.sh — Markdown written in pandoc's dialect (model/dialect.c):
# each construct goodiebag does not read gets one located warning a kind a
# chapter, at its line:col, with the count of the others; a ': ' paragraph
# right after a pipe table (its caption) gets none; ``` {.python} is read
# as python; a div's ':::' lines are left out; the pandoc manual (../shared/corpus) gets the expected counts.
# Prints "ok - ..." / "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-dialect.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. tests/lib.sh
require unzip

SOURCE_DATE_EPOCH=1700000000 "$GB" build tests/books/dialect -o "$tmp/d" >"$tmp/log" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "the dialect book builds" || { nok "the dialect book builds (exit $rc)"; indent <"$tmp/log"; }
f=tests/books/dialect/a.md
expect() { # LINE:COL PATTERN WHAT
  if grep -q "^$f:$1: warning: .*$2" "$tmp/log"; then ok "$3 at $1"; else nok "$3 at $1"; indent <"$tmp/log"; fi
}
expect 3:1 "grid table (+---+) is not read.*write a pipe table.*(and 1 more in this file)" "grid tables: one warning, with the count"
expect 11:1 "definition list.*(and 1 more in this file)" "definition lists (also on the line under the term)"
expect 16:1 "fenced div (:::) is not read: its ':::' lines are left out.*(and 5 more in this file)" "fenced divs"
expect 20:17 "attributes ({.class}.*(and 1 more in this file)" "attributes after [text] and after a link"
expect 21:8 "inline note (^\[...\]) is not read.*\[^1\]" "inline note"
expect 27:1 "raw block" "raw block"
n=$(grep -c 'warning: a pandoc\|warning: pandoc' "$tmp/log")
[ "$n" = 6 ] && ok "one warning a kind: 6" || { nok "one warning a kind: $n, not 6"; indent <"$tmp/log"; }
grep -q "^$f:3[4-9]:" "$tmp/log" && nok "the table caption (: ...) is not warned" || ok "the table caption (: ...) is not warned"
unzip -p "$tmp/d/dialect.epub" '*a.xhtml' | grep -q '<code class="language-python">' &&
  ok '``` {.python .numberLines} is read as python' || nok '``` {.python .numberLines} is read as python'

x=$(unzip -p "$tmp/d/dialect.epub" '*a.xhtml' | tr -d '\n' | sed 's/>[[:space:]]*</></g')
case $x in *:::*) nok "the ':::' lines are left out" ;; *) ok "the ':::' lines are left out" ;; esac
case $x in *"<p>A fenced div.</p>"*"<p>Inside a div.</p><p>Text after.</p>"*) ok "what the divs hold is read" ;;
  *) nok "what the divs hold is read"; echo "$x" | indent ;; esac

m=../shared/corpus/pandoc-manual
if [ -d $m ]; then
  "$GB" build $m -o "$tmp/m" --epub >"$tmp/mlog" 2>&1
  sum() { grep "$1" "$tmp/mlog" | sed -n 's/.*(and \([0-9]*\) more in this file).*/\1/p; t; s/.*/0/p' |
          awk '{s += $1 + 1} END {print s + 0}'; }
  g=$(sum 'grid table'); dl=$(sum 'definition list'); at=$(sum 'pandoc attributes')
  [ "$g" = 8 ] && ok "the manual: 8 grid tables warned" || nok "the manual: $g grid tables warned, not 8"
  [ "$dl" = 323 ] && ok "the manual: 323 definitions warned (7 chapters)" || nok "the manual: $dl definitions, not 323"
  [ "$at" = 1 ] && ok "the manual: 1 attribute block warned" || nok "the manual: $at attribute blocks, not 1"
  w=$(grep -c ': warning: a pandoc\|: warning: pandoc' "$tmp/mlog")
  [ "$w" = 9 ] && ok "the manual: 9 dialect warnings in all" || nok "the manual: $w dialect warnings, not 9"
fi
