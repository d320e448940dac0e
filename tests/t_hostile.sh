#!/usr/bin/env bash
# t_hostile.sh — the robustness promise over a broad set of hostile and unusual
# books (tests/hostile.py): every build ends within 30 s with exit 0 or 1 and
# under 2 GB, every diagnostic is one located line, a failed build writes
# nothing, no outside byte reaches an output, and a served book's EPUB holds
# only well-formed, script-free XHTML and SVG and its PDF passes qpdf --check.
# The sanitizer build runs the quick set (heavy books left out).
cd "$(dirname "$0")/.." || exit 0
. tests/lib.sh
require python3 qpdf /usr/bin/time
case "$GB" in *asan*) export HOSTILE_QUICK=1 ;; esac
# librsvg drawing SVG text leaves fontconfig's caches (as in t_safe_media)
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp}
GB_REPO=$PWD python3 tests/hostile.py "$GB"
exit 0
