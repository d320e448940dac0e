#!/usr/bin/env bash
# hashes.sh [REPO] — builds the goodiebag, the pandoc manual (../shared/corpus) and every book
# under tests/books/ with REPO's ./goodiebag (SOURCE_DATE_EPOCH fixed) and prints the sha256 of
# every output. A refactor keeps them byte-identical: run it before and after and diff the two.
repo=${1:-.}; cd "$repo" || exit 2
out=$(mktemp -d)
for b in chapters tests/books/*/ ../shared/corpus/pandoc-manual; do
  b=${b%/}
  n=$(basename "$b")
  SOURCE_DATE_EPOCH=1700000000 GOODIEBAG_THREADS=2 ./goodiebag build "$b" -o "$out/$n" >/dev/null 2>"$out/$n.err" || echo "BUILD FAILED: $b"
done
(cd "$out" && find . -name '*.epub' -o -name '*.pdf' -o -name '*.err' | sort | xargs sha256sum)
rm -rf "$out"
