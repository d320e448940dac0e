#!/usr/bin/env bash
# t_gfm_limits.sh — inputs that take cmark-gfm time growing with the square
# of their size (Debian 12's 0.29.0.gfm.6 predates upstream's fixes of
# CVE-2023-22483..22486, -24824, -26485, -37463), parsed with the table,
# strikethrough, autolink and tasklist extensions and footnotes:
#   - where 0.29.0.gfm.6 IS quadratic (measured: many seconds at these
#     sizes), model/mdlimits.c stops before parsing with a located error:
#     a row of 40 000 '|', a 2 000-column header, 200 columns x 100 000
#     short rows (autocompleted cells), 60 000 unclosed '<![CDATA[', '<!A',
#     '<?'; 20 000 '*t ' then 20 000 '_t*_ ' (emphasis, cmark #389);
#   - the other published patterns (nested emphasis, brackets, '<!--',
#     '![', autolinks, footnotes...) are linear in 0.29.0.gfm.6: they build.
# Each build: `timeout 20`, exit 0 or 1 (never a crash). Prints "ok - ..." /
# "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-gfmlim.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. tests/lib.sh
require python3
G=$GB
case $G in /*) ;; *) G=$PWD/$G ;; esac

# case NAME EXPECT PYTHON-EXPR: EXPECT is "ok" (builds) or a pattern the
# located error must match (file:line:col: error: ...)
case_() {
  local name=$1 expect=$2 expr=$3 d=$tmp/$1
  mkdir -p "$d"
  printf 'name: t\ntitle: T\nauthor: A\npublisher: P\nlang: en\ndate: 2024-01-01\n' >"$d/book.yaml"
  python3 -c "import sys; sys.stdout.write($expr)" >"$d/a.md"
  local t0=$(date +%s%N) rc
  timeout 20 "$G" build "$d" -o "$d/out" --epub >"$d/log" 2>&1
  rc=$?
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    nok "$name: exit $rc (${ms} ms)"; indent 5 <"$d/log"; return
  fi
  if [ "$expect" = ok ]; then
    if [ $rc -eq 0 ]; then ok "$name: builds in ${ms} ms"; else nok "$name: exit $rc"; indent 5 <"$d/log"; fi
  elif grep -Eq "^$d/a.md:[0-9]+:[0-9]+: error: .*$expect" "$d/log"; then
    ok "$name: located error in ${ms} ms: $(grep -o 'a.md:[0-9]*:[0-9]*' "$d/log" | head -1)"
  else
    nok "$name: no located error matching '$expect' (exit $rc, ${ms} ms)"; indent 5 <"$d/log"
  fi
}

# quadratic in 0.29.0.gfm.6: a limit
case_ row_pipes "more than 256 '\\|'" '"a|b\n-|-\n" + "|"*40000 + "\n"'
case_ wide_header "more than 256 '\\|'" '"x|"*2000 + "\n" + "-|"*2000 + "\n" + "x\n"*2000'
case_ autocomplete "more than 500000 cells" '"x|"*200 + "\n" + "-|"*200 + "\n" + "x\n"*100000'
case_ html_cdata "'<!\\[CDATA\\['" '"a" + "<![CDATA["*60000'
case_ html_decl "'<!'" '"a" + "<!A "*60000'
case_ html_pi "'<\\?'" '"a" + "<?"*60000'
case_ emphasis "so many '\\*' and '_'" '"*t "*20000 + "_t*_ "*20000 + "\n"'
# linear in 0.29.0.gfm.6: read as usual
case_ nested_strong ok '"*a **a "*5000 + "b" + " a** a*"*5000'
case_ emph_openers ok '"_a "*10000'
case_ emph_closers ok '"a_ "*10000'
case_ mismatched_emph ok '"*a_ "*10000'
case_ link_openers ok '"[a"*10000'
case_ link_closers ok '"a]"*10000'
case_ nested_brackets ok '"["*10000 + "a" + "]"*10000'
case_ unclosed_links ok '"[a](<b"*10000'
case_ html_comment ok '"a" + "<!--"*10000'
case_ image_openers ok '"![l"*10000'
case_ autolink ok '"_"*10000 + "." + "_"*10000 + "\n\n" + "a@"*10000 + "\n\n" + "www."*10000'
case_ strikethrough ok '"~~a "*10000'
case_ footnotes ok '"".join("[^%d]\n" % i for i in range(1500)) + "".join("\n[^%d]: x\n" % i for i in range(1500))'
case_ table_rows ok '"a|b\n-|-\n" + "a|b\n"*10000'
case_ nested_quotes "nested more than 64 deep" '"> "*10000 + "a"'
