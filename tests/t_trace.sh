#!/usr/bin/env bash
# t_trace.sh — the layout trace (goodiebag build --trace FILE) as golden
# tests: each small book under tests/trace/NAME/ is built on A5 paper with
# --trace and its trace compared with tests/trace/NAME.expected, so that a
# change in the layout shows as a readable diff. The books are made to show
# the page builder's decisions:
#   dutch   Dutch text with hyphenation; a widow, then an orphan
#   keep    a heading pushed to the next page by keep-with-next
#   code    a list, and a code block: its first line would be an orphan,
#           a wrapped line is not split over two pages (cost)
#   figure  a figure whose caption does not fit: both go on (keep)
# Also: the trace changes no output (EPUB and PDF byte-identical without
# it), it is the same with 1 and 2 threads, and its option's errors.
#
# After a deliberate change in the layout, look at the diffs, then write
# the new traces as the expected ones:
#   UPDATE=1 bash tests/t_trace.sh
cd "$(dirname "$0")/.." || exit 0
source tests/lib.sh
require diff cmp
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-trace.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000

# build BOOK OUTDIR THREADS [ARGS...]
build() {
  local book=$1 out=$2 threads=$3
  shift 3
  mkdir -p "$(dirname "$out")"
  GOODIEBAG_THREADS=$threads "$GB" build "tests/trace/$book" -o "$out" --paper a5 "$@" >/dev/null 2>"$out.err"
}

for dir in tests/trace/*/; do
  b=$(basename "$dir")
  exp=tests/trace/$b.expected
  if ! build "$b" "$tmp/t2/$b" 2 --trace "$tmp/$b.2.trace"; then
    nok "$b: builds with --trace"
    indent <"$tmp/t2/$b.err"
    continue
  fi
  if [ -n "$UPDATE" ]; then
    cp "$tmp/$b.2.trace" "$exp"
    ok "$b: $exp written"
  elif [ ! -f "$exp" ]; then
    nok "$b: $exp exists (UPDATE=1 bash tests/t_trace.sh writes it)"
  elif diff -u "$exp" "$tmp/$b.2.trace" >"$tmp/$b.diff"; then
    ok "$b: the trace is the expected one"
  else
    nok "$b: the trace differs from $exp (- expected, + now)"
    indent 60 <"$tmp/$b.diff"
  fi

  build "$b" "$tmp/t1/$b" 1 --trace "$tmp/$b.1.trace"
  if cmp -s "$tmp/$b.1.trace" "$tmp/$b.2.trace"; then
    ok "$b: the same trace with 1 and 2 threads"
  else
    nok "$b: the trace differs between 1 and 2 threads"
    diff "$tmp/$b.1.trace" "$tmp/$b.2.trace" | indent
  fi

  build "$b" "$tmp/n/$b" 2
  name=$(sed -n 's/^name: *//p' "$dir/book.yaml")
  if cmp -s "$tmp/n/$b/$name.pdf" "$tmp/t2/$b/$name.pdf" && cmp -s "$tmp/n/$b/$name.epub" "$tmp/t2/$b/$name.epub"; then
    ok "$b: --trace leaves the PDF and the EPUB byte-identical"
  else
    nok "$b: the PDF or the EPUB differs with --trace"
  fi
done

# the option's errors: no value (bad usage), a file that cannot be written
"$GB" build tests/trace/keep -o "$tmp/e" --trace >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then ok "--trace without a file exits 2"; else nok "--trace without a file exits 2 (got $rc)"; fi
"$GB" build tests/trace/keep -o "$tmp/e" --trace "$tmp/no/such/dir/x.trace" >/dev/null 2>"$tmp/e.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q "cannot write the trace" "$tmp/e.err"; then
  ok "a trace that cannot be written: exit 1 and a message"
else
  nok "a trace that cannot be written: exit 1 and a message (got $rc)"
  indent <"$tmp/e.err"
fi
exit 0
