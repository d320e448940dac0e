#!/usr/bin/env bash
# A short fuzzing run (CI's smoke test): no crash, no leak, no hang.
cd "$(dirname "$0")/../.."
secs=${1:-60}
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cp tests/fuzz/corpus/* "$dir/"
out=$(ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp \
  build/fuzz/fuzz_build -max_total_time="$secs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix="$dir/crash-" -print_final_stats=1 "$dir" 2>&1)
rc=$?
execs=$(printf '%s\n' "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
cov=$(printf '%s\n' "$out" | grep -o 'cov: [0-9]*' | tail -1)
if [ $rc -eq 0 ]; then
  echo "ok - fuzzing $secs s: ${execs:-?} inputs, $cov, no crash"
else
  echo "not ok - the fuzzer found a problem (exit $rc); the input is in the fuzzer log:"
  printf '%s\n' "$out" | grep -E "ERROR|SUMMARY|Test unit written" | head -10 | sed 's/^/# /'
  for f in "$dir"/crash-*; do [ -f "$f" ] && { mkdir -p build/fuzz/crashes; cp "$f" build/fuzz/crashes/; }; done
fi
