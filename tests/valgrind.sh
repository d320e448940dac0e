#!/usr/bin/env bash
# The real book's full build under valgrind: no errors, no leaks.
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
  --show-leak-kinds=definite,indirect --track-origins=no --quiet \
  ./goodiebag build chapters -o "$tmp" >"$tmp/log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
  echo "ok - the real book builds under valgrind without memory errors or leaks"
else
  echo "not ok - valgrind reported problems (exit $rc):"
  grep -E "==[0-9]+==" "$tmp/log" | head -30 | sed 's/^/# /'
fi
[ -s "$tmp/goodiebag.pdf" ] && [ -s "$tmp/goodiebag.epub" ] && echo "ok - ... and writes both outputs" || echo "not ok - outputs missing after the valgrind build"
