#!/usr/bin/env bash
# t_cli.sh — the command line: exit statuses (0 success, 1 bad input,
# 2 bad usage), compiler-style diagnostics, and publishing that never
# damages a previous good output: failed builds, an output folder that
# cannot be made, a file size limit, SIGTERM in the middle of a build;
# watch mode: builds again after a change, with the same bytes as a fresh
# build, keeps the last good output through an error, follows a style
# change, and stops on SIGINT without leaving temporary files.
# Books are generated in a temporary folder. Prints "ok - ..." /
# "not ok - ..." lines; always exits 0.
cd "$(dirname "$0")/.." || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gb-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset SOURCE_DATE_EPOCH

. tests/lib.sh
# expect WHAT CONDITION... : ok if the command succeeds
expect() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }
G=${GOODIEBAG:-$PWD/goodiebag}
if [ ! -x "$G" ]; then
  nok "./goodiebag exists (run make goodiebag first)"
  exit 0
fi

# run ARGS...: sets rc, out (stdout) and err (stderr)
run() {
  { "$G" "$@" >"$tmp/out" 2>"$tmp/err"; } 2>/dev/null
  rc=$?
  out=$(cat "$tmp/out") err=$(cat "$tmp/err")
}
# temp files left by publish() in folder $1
leftovers() { find "$1" -maxdepth 1 -name '.*.tmp-*' | head -5; }

# ---- usage ---------------------------------------------------------------
run --help
expect "--help exits 0" [ "$rc" -eq 0 ]
expect "--help prints the usage on stdout" grep -q 'usage: goodiebag build' "$tmp/out"
run -h
expect "-h exits 0" [ "$rc" -eq 0 ]
run --version
expect "--version exits 0" [ "$rc" -eq 0 ]
expect "--version prints 'goodiebag X.Y.Z' ('$out')" eval '[[ "$out" =~ ^goodiebag\ [0-9]+\.[0-9]+\.[0-9]+$ ]]'
run build --frobnicate
expect "an unknown option exits 2" [ "$rc" -eq 2 ]
expect "an unknown option is named on stderr" grep -q -- "unknown option '--frobnicate'" "$tmp/err"
expect "nothing on stdout for bad usage" [ -z "$out" ]
run
expect "no command exits 2" [ "$rc" -eq 2 ]
run bouw chapters
expect "an unknown command exits 2" [ "$rc" -eq 2 ]
run build chapters extra
expect "an extra argument exits 2" [ "$rc" -eq 2 ]
run build chapters -o
expect "-o without a value exits 2" [ "$rc" -eq 2 ]
run build chapters --epub --pdf -o "$tmp/never"
expect "--epub with --pdf exits 2" [ "$rc" -eq 2 ]
run build chapters --paper a3 -o "$tmp/never"
expect "--paper a3 exits 2" [ "$rc" -eq 2 ]
expect "bad usage writes nothing" [ ! -e "$tmp/never" ]

# ---- a small book generated here -----------------------------------------
bk=$tmp/boek
mkdir -p "$bk"
cat >"$bk/book.yaml" <<'EOF'
name: klein
title: Klein boek
author: Tester
publisher: Uitgever
lang: nl
date: 2024-05-01
chapters:
  - 01-a.md
  - 02-b.md
EOF
printf '# Eerste\n\nTekst met een [link](02-b.md#tweede).\n' >"$bk/01-a.md"
printf '# Tweede\n\nMeer tekst.\n\n<script>alert(1)</script>\n' >"$bk/02-b.md"
good_yaml=$(cat "$bk/book.yaml")
o=$tmp/out1
run build "$bk" -o "$o" --epub
expect "a good book builds: exit 0" [ "$rc" -eq 0 ]
expect "the output is OUTDIR/NAME.epub" [ -s "$o/klein.epub" ]
expect "a warning is printed as file:line:col: warning:" grep -qF "$bk/02-b.md:5:1: warning: " "$tmp/err"
expect "no error lines for a good book" eval '! grep -q ": error:" "$tmp/err"'
cp "$o/klein.epub" "$tmp/good.epub"

# bad input: exit 1 and file:line:col: error:
printf '# Eerste\n\nTekst met een [link](02-b.md#bestaat-niet).\n\nEn [nog een](weg.md).\n' >"$bk/01-a.md"
run build "$bk" -o "$o" --epub
expect "bad input exits 1 (got $rc)" [ "$rc" -eq 1 ]
expect "the error is 'file:line:col: error: ...' at $bk/01-a.md:3:15" grep -qF "$bk/01-a.md:3:15: error: " "$tmp/err"
expect "every error is reported in one run (the second at 5:4)" grep -qF "$bk/01-a.md:5:4: error: " "$tmp/err"
expect "every error line has the file:line:col: error: form" \
  eval '[ "$(grep -c ": error: " "$tmp/err")" -eq "$(grep -cE "^[^:]+:[0-9]+:[0-9]+: error: " "$tmp/err")" ]'
expect "a summary says nothing was written" grep -q "nothing written" "$tmp/err"
expect "nothing on stdout for bad input" [ -z "$out" ]
expect "a failing build leaves the previous EPUB untouched" cmp -s "$o/klein.epub" "$tmp/good.epub"
printf '# Eerste\n\nTekst met een [link](02-b.md#tweede).\n' >"$bk/01-a.md"

# break book.yaml: exit 1, previous EPUB untouched, no temp files
printf 'name: klein\ntitle: [kapot\n' >"$bk/book.yaml"
run build "$bk" -o "$o" --epub
expect "a broken book.yaml exits 1" [ "$rc" -eq 1 ]
expect "the YAML error points into book.yaml" grep -qE "^$bk/book.yaml:[0-9]+:[0-9]+: error: " "$tmp/err"
expect "after a failed build the previous EPUB has the same bytes" cmp -s "$o/klein.epub" "$tmp/good.epub"
expect "after a failed build no .*.tmp-* file is left" [ -z "$(leftovers "$o")" ]
printf '%s\n' "$good_yaml" >"$bk/book.yaml"

run build "$tmp/bestaat-niet" -o "$o" --epub
expect "a missing book folder exits 1" [ "$rc" -eq 1 ]
expect "a missing book folder is named" grep -qF "$tmp/bestaat-niet" "$tmp/err"

# ---- output folders --------------------------------------------------------
run build "$bk" -o /proc/goodiebag-x --epub
expect "an output folder that cannot be created exits 1 (got $rc)" [ "$rc" -eq 1 ]
expect "... with a clear message" grep -q "/proc/goodiebag-x: error: cannot create the output folder" "$tmp/err"
: >"$tmp/a-file"
run build "$bk" -o "$tmp/a-file" --epub
expect "an output 'folder' that is a file exits 1" [ "$rc" -eq 1 ]
expect "... and the file is untouched" [ ! -s "$tmp/a-file" ]
run build "$bk" -o "$tmp/diep/er/in" --epub
expect "missing parent folders of the output are created" eval '[ "$rc" -eq 0 ] && [ -s "$tmp/diep/er/in/klein.epub" ]'

# ---- a file size limit -------------------------------------------------------
# (EPUB only: the PDF back end has its own tests, and the publishing code
# is the same for both outputs)
o2=$tmp/out2
run build chapters -o "$tmp/full"
expect "the real book builds, EPUB and PDF (exit $rc)" eval '[ "$rc" -eq 0 ] && [ -s "$tmp/full/goodiebag.epub" ] && [ -s "$tmp/full/goodiebag.pdf" ]'
[ "$rc" -eq 0 ] || indent 3 <"$tmp/err"
run build chapters -o "$o2" --epub
expect "the real book's EPUB builds" eval '[ "$rc" -eq 0 ] && [ -s "$o2/goodiebag.epub" ]'
size=$(stat -c %s "$o2/goodiebag.epub" 2>/dev/null || echo 0)
expect "the EPUB ($size bytes) is larger than the 50 KB limit below" [ "$size" -gt 51200 ]
# the old file must differ from what the limited build would write, to see
# that it was not replaced: a small stand-in
printf 'old epub' >"$o2/goodiebag.epub"
(ulimit -f 50; exec "$G" build chapters -o "$o2" --epub) >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "with ulimit -f 50 the build fails with exit 1 (got $rc)" [ "$rc" -eq 1 ]
expect "... saying it cannot write the output" grep -q "cannot write the output" "$tmp/err"
expect "... and that the previous file is unchanged" grep -q "previous file is unchanged" "$tmp/err"
expect "... no partial temporary file is left" [ -z "$(leftovers "$o2")" ]
expect "... the old EPUB is intact" [ "$(cat "$o2/goodiebag.epub" 2>/dev/null)" = "old epub" ]
expect "... only the old EPUB is in the folder" [ "$(ls -A "$o2" | wc -l)" -eq 1 ]
grep -q "cannot write" "$tmp/err" || indent <"$tmp/err"

# ---- SIGTERM during a build --------------------------------------------------
big=$tmp/groot
mkdir -p "$big"
sed '/^chapters:/,$d' chapters/book.yaml >"$big/book.yaml"
for i in $(seq -w 1 200); do cp chapters/03-integriteit.md "$big/c$i.md"; done
o3=$tmp/out3
t0=$(date +%s%N)
run build "$big" -o "$o3" --epub
t1=$(date +%s%N)
expect "a book of 200 chapters builds" eval '[ "$rc" -eq 0 ] && [ -s "$o3/goodiebag.epub" ]'
cp "$o3/goodiebag.epub" "$tmp/big.epub" 2>/dev/null
ms=$(((t1 - t0) / 1000000))
# Kill builds at several moments: three by time (parsing, layout, near the
# end), then three the moment the temporary output file appears (during
# the write: SIGTERM, SIGINT, SIGHUP). Whatever the moment, the folder must
# hold either the old or a complete new file (the same bytes: builds are
# reproducible) and no temporary file.
bad=0 killed=0 during_write=0
check_out3() { # what
  if [ -n "$(leftovers "$o3")" ]; then
    bad=1; nok "$1 left $(leftovers "$o3")"
    rm -f "$o3"/.*.tmp-*
  fi
  if ! cmp -s "$o3/goodiebag.epub" "$tmp/big.epub"; then
    bad=1; nok "$1 damaged the EPUB"
    cp "$tmp/big.epub" "$o3/goodiebag.epub"
  fi
}
for pct in 30 70 95; do
  "$G" build "$big" -o "$o3" --epub >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v ms="$ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
  kill -TERM "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null
  [ $? -eq 143 ] && killed=$((killed + 1))
  check_out3 "SIGTERM at ${pct}% of the build time"
done
for sig in TERM INT HUP; do
  "$G" build "$big" -o "$o3" --epub >/dev/null 2>&1 &
  pid=$!
  hit=0
  while kill -0 "$pid" 2>/dev/null; do
    if compgen -G "$o3/.*.tmp-*" >/dev/null; then
      kill -"$sig" "$pid" 2>/dev/null
      hit=1
      break
    fi
  done
  { wait "$pid"; } 2>/dev/null
  rc=$?
  [ "$rc" -gt 128 ] && killed=$((killed + 1)) && [ "$hit" -eq 1 ] && during_write=$((during_write + 1))
  check_out3 "SIG$sig while the output is written"
done
[ "$bad" -eq 0 ] && ok "signals during a build (6 moments, $killed killed, $during_write while writing; build ${ms} ms): no temp file left, outputs intact"
expect "signals really interrupted some builds ($killed of 6)" [ "$killed" -ge 1 ]
# ---- watch mode -------------------------------------------------------------
# wait_for CMD...: up to 20 s for a condition
wait_for() { local i; for i in $(seq 200); do "$@" && return 0; sleep 0.1; done; return 1; }
wb=$tmp/watchbook wo=$tmp/watchout
# start_watch ARGS...: goodiebag watch in the background, its log in watch.log
start_watch() { "$G" watch "$@" 2>"$tmp/watch.log" & wpid=$!; }
# stop_watch: SIGINT; prints whether it stopped
stop_watch() {
  kill -INT "$wpid" 2>/dev/null
  { wait "$wpid"; } 2>/dev/null
  if kill -0 "$wpid" 2>/dev/null; then nok "watch: SIGINT stops it"; kill -9 "$wpid"; else ok "watch: SIGINT stops it"; fi
}
rm -rf "$wb" "$wo"; cp -r chapters "$wb"
start_watch "$wb" -o "$wo"
built() { [ "$(grep -c '^goodiebag: built' "$tmp/watch.log")" -ge "$1" ]; }
if wait_for built 1; then
  ok "watch: the first build is written ($(grep '^goodiebag: built' "$tmp/watch.log" | head -1))"
  sleep 0.3
  echo "Een nieuwe zin onderaan het hoofdstuk." >>"$wb/01-productieve-werkomgeving.md"
  if wait_for built 2; then
    ok "watch: a changed chapter is built again ($(grep '^goodiebag: built' "$tmp/watch.log" | sed -n 2p))"
    "$G" build "$wb" -o "$tmp/watchfresh" >/dev/null 2>&1
    if cmp -s "$wo/goodiebag.pdf" "$tmp/watchfresh/goodiebag.pdf" && cmp -s "$wo/goodiebag.epub" "$tmp/watchfresh/goodiebag.epub"; then
      ok "watch: the rebuild has the same bytes as a fresh build (EPUB and PDF)"
    else
      nok "watch: the rebuild has the same bytes as a fresh build (EPUB and PDF)"
    fi
    pdftotext "$wo/goodiebag.pdf" - 2>/dev/null | grep -q "Een nieuwe zin onderaan" &&
      ok "watch: the new sentence is in the PDF" || nok "watch: the new sentence is in the PDF"
    cp "$wo/goodiebag.pdf" "$tmp/watch-good.pdf"
    sleep 0.3
    echo "Een [kapotte link](bestaat-niet.md)." >>"$wb/01-productieve-werkomgeving.md"
    if wait_for grep -q "nothing written" "$tmp/watch.log"; then
      expect "watch: an error is reported with its place" grep -q "01-productieve-werkomgeving.md:[0-9]*:[0-9]*: error: link 'bestaat-niet.md'" "$tmp/watch.log"
      expect "watch: the last good PDF stays" cmp -s "$wo/goodiebag.pdf" "$tmp/watch-good.pdf"
    else
      nok "watch: an error is reported"; indent <"$tmp/watch.log"
    fi
    sleep 0.3
    sed -i 's/Een \[kapotte link\](bestaat-niet.md)\.//' "$wb/01-productieve-werkomgeving.md"
    wait_for built 3 && ok "watch: fixing the error builds again" || nok "watch: fixing the error builds again"
  else
    nok "watch: a changed chapter is built again"; indent <"$tmp/watch.log"
  fi
else
  nok "watch: the first build is written"; indent <"$tmp/watch.log"
fi
stop_watch
expect "watch: no temporary file left" [ -z "$(leftovers "$wo")" ]

run watch "$tmp/no-such-book" -o "$tmp/nowhere"
expect "watch: a missing book folder is an error (exit 1), not a wait" [ "$rc" -eq 1 ]
expect "watch: ... with the folder named" grep -q "no-such-book: error: cannot watch the book folder" "$tmp/err"

# watch with its own style folder: a new accent colour is built in
ws=$tmp/watchstyle; rm -rf "$ws" "$wo"; cp -r styles "$ws"
start_watch "$wb" -o "$wo" --style "$ws"
if wait_for built 1; then
  sleep 0.3
  sed -i 's/#01689B/#C0392B/I' "$ws/style.yaml"
  if wait_for built 2; then
    (cd "$tmp" && rm -rf wx && mkdir wx && cd wx && unzip -q "$wo/goodiebag.epub")
    expect "watch: a changed style is built in (the new accent in the EPUB's CSS)" grep -qi "#C0392B" "$tmp/wx/EPUB/styles/book.css"
  else
    nok "watch: a changed style is built again"; indent <"$tmp/watch.log"
  fi
else
  nok "watch with --style: the first build is written"; indent <"$tmp/watch.log"
fi
stop_watch
exit 0
