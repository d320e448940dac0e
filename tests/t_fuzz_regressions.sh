#!/usr/bin/env bash
# Inputs the fuzzer once crashed on (tests/fuzz/regressions/), rebuilt as
# books the way tests/fuzz/fuzz_build.c reads them (first byte even: the
# rest is a chapter; odd: the rest is book.yaml) and built with the program
# under test: it must end with 0 or 1, never a crash. In the suite's
# sanitizer pass, ASan and UBSan check every one of them too.
cd "$(dirname "$0")/.."
GB=${GOODIEBAG:-./goodiebag}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0
for f in tests/fuzz/regressions/*; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  d="$tmp/$n"; mkdir -p "$d"
  first=$(head -c 1 "$f" | od -An -tu1 | tr -d ' ')
  if [ $((first % 2)) -eq 0 ]; then
    printf 'name: fuzz\ntitle: Fuzz\nauthor: A\npublisher: P\nlang: nl\ndate: 2026-01-01\nchapters:\n  - a.md\n  - file: b.md\n    label: "1"\n    theme: 1\n' > "$d/book.yaml"
    tail -c +2 "$f" > "$d/a.md"
  else
    tail -c +2 "$f" > "$d/book.yaml"
    printf '# Een\n\nTekst met een [link](b.md#twee) en *nadruk*.\n\n- lijst\n' > "$d/a.md"
  fi
  printf '# Twee\n\nNog een alinea met ideeën.\n' > "$d/b.md"
  "$GB" build "$d" -o "$d/out" >"$d/log" 2>&1
  rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then
    echo "ok - fuzz regression $(basename "$f"): exit $rc, no crash"
  else
    echo "not ok - fuzz regression $(basename "$f"): exit $rc"
    tail -5 "$d/log" | sed 's/^/# /'
  fi
done
[ $n -gt 0 ] || echo "not ok - no regression inputs found"
