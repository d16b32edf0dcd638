#!/usr/bin/env bash
# Runs each libFuzzer target of BUILD_DIR (default build-fuzz) for FUZZ_SECONDS
# (default 60), one after the other, and prints the executions and the
# crashes of each. Exits non-zero when a target crashed, leaked, timed out or
# ran out of memory; the input that did it is in BUILD_DIR/artifacts/<target>/.
# The working corpora grow in BUILD_DIR/corpus/<target>/ from run to run.
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-build-fuzz}" && pwd)"
seconds="${FUZZ_SECONDS:-60}"
data="$root/tests/data"

# Per target: its longest input and its seed folders (read, never written).
# DCMTK is slow on big files: 1 MiB holds every test file.
declare -A max_len=([volume]=1048576 [multipart]=65536 [credentials]=8192 [json]=65536)
declare -A seeds=(
  [volume]="$data/corpus $data/pydicom $data/charset $data/regressions/volume"
  [multipart]="$root/tests/fuzz/seeds/multipart $data/regressions/multipart"
  [credentials]="$root/tests/fuzz/seeds/credentials $data/regressions/credentials"
  [json]="$root/tests/fuzz/seeds/json $data/regressions/json"
)
# 1-101.dcm sits beside the README in tests/data: give it as a single file.
declare -A seed_files=([volume]="$data/1-101.dcm")

summary=()
failed=0
for target in volume multipart credentials json; do
  binary="$build/fuzz-$target"
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  log="$build/logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  touch "$build/logs/$target.start"  # older artifacts are not this run's
  options=(-max_total_time="$seconds" -print_final_stats=1 -max_len="${max_len[$target]}"
           -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$artifacts/")
  [ -n "${seed_files[$target]:-}" ] && options+=(-seed_inputs="${seed_files[$target]}")
  echo "== fuzz-$target for ${seconds}s (log: $log)"
  # shellcheck disable=SC2086  # the seed folders are a word list
  "$binary" "${options[@]}" "$corpus" ${seeds[$target]} >"$log" 2>&1
  status=$?
  executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  crashes="$(find "$artifacts" -type f -newer "$build/logs/$target.start" | wc -l)"
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "fuzz-$target failed (exit $status); the end of its log:"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -n 20
  fi
  summary+=("$(printf '%-12s %12s executions  %3s crash input(s)  corpus %s' \
    "$target" "${executions:-?}" "$crashes" "$(find "$corpus" -type f | wc -l)")")
done

echo "== fuzzing summary (${seconds}s per target; crash inputs in $build/artifacts/)"
printf '%s\n' "${summary[@]}"
exit "$failed"
