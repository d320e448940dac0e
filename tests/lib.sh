# tests/lib.sh — what the shell tests share (sourced from the repository
# root): TAP-like result lines, an indented excerpt for details, the
# program under test and the tools a test needs.
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
# indent [N]: standard input as "#   " detail lines, at most N (20)
indent() { sed 's/^/#   /' | head -"${1:-20}"; }
GB=${GOODIEBAG:-./goodiebag}
# require TOOL...: without ./goodiebag or one of the tools the test reports
# one failure and stops
require() {
  if [ ! -x "$GB" ]; then
    nok "./goodiebag exists (run make goodiebag first)"
    exit 0
  fi
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || { nok "$t is installed (make test-deps)"; exit 0; }
  done
}
