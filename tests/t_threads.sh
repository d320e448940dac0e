#!/usr/bin/env bash
# Chapters are laid out in parallel: the outputs must not depend on the
# number of threads.
cd "$(dirname "$0")/.."
GB=${GOODIEBAG:-./goodiebag}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for book in chapters tests/books/commonmark; do
  name=$(sed -n 's/^name: *//p' "$book/book.yaml")
  for t in 1 2 3; do
    GOODIEBAG_THREADS=$t "$GB" build "$book" -o "$tmp/t$t" >/dev/null 2>&1 || echo "not ok - $book builds with $t thread(s)"
  done
  for t in 2 3; do
    if cmp -s "$tmp/t1/$name.pdf" "$tmp/t$t/$name.pdf" && cmp -s "$tmp/t1/$name.epub" "$tmp/t$t/$name.epub"; then
      echo "ok - $book: the same PDF and EPUB with 1 and $t threads"
    else
      echo "not ok - $book: outputs differ between 1 and $t threads"
    fi
  done
done
