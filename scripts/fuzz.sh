#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ with Clang (-DMTCNN_FUZZ=ON, in build-fuzz/) and
# runs each for SECONDS on a copy of its seed corpus (tests/fuzz/corpus/<harness>/), then prints
# per harness its executions, its corpus size and any crash file (docs/fuzzing.md).
#
#   scripts/fuzz.sh                       every harness, 60 s each, one after another
#   scripts/fuzz.sh 600 tflite mat_file   those two, 10 minutes each
#   PARALLEL=2 nice -n 10 scripts/fuzz.sh 600
#
# BUILD_DIR (build-fuzz), OUT (BUILD_DIR/runs: each harness's corpus, log and crash files),
# JOBS (compile jobs, 2), PARALLEL (harnesses at a time, 1). Exits 1 when a harness found
# something, 0 otherwise.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$repo_root/build-fuzz}
out=${OUT:-$build_dir/runs}
jobs=${JOBS:-2}
parallel=${PARALLEL:-1}
say() { echo "fuzz: $*" >&2; }

seconds=60
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
harnesses=("$@")
if ((${#harnesses[@]} == 0)); then
  for source in "$repo_root"/tests/fuzz/fuzz_*.cc; do
    name=$(basename "$source" .cc)
    harnesses+=("${name#fuzz_}")
  done
fi
for h in "${harnesses[@]}"; do
  if [[ ! -f $repo_root/tests/fuzz/fuzz_$h.cc ]]; then
    say "no harness '$h' (tests/fuzz/fuzz_$h.cc)"
    exit 2
  fi
done

# --- 1. Clang and libFuzzer's runtime (Debian: clang, libclang-rt-14-dev), as setup.sh installs
# what the build needs. A probe link proves -fsanitize=fuzzer works with what is installed.
probe() {
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' |
    clang++ -x c++ -fsanitize=fuzzer,address,undefined - -o /dev/null 2>/dev/null
}
if ! command -v clang++ >/dev/null || ! probe; then
  packages=(clang libclang-rt-14-dev)
  if [[ $(id -u) -eq 0 ]]; then
    say "installing ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
  else
    say "libFuzzer needs Clang and its runtime; run this once, then run fuzz.sh again:"
    echo "sudo apt-get install -y ${packages[*]}" >&2
    exit 2
  fi
fi

# --- 2. Build ------------------------------------------------------------------------------
say "building ${harnesses[*]} in $build_dir"
cmake -S "$repo_root" -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTCNN_FUZZ=ON -DMTCNN_BUILD_TESTS=OFF -DMTCNN_WERROR=ON >&2
targets=()
for h in "${harnesses[@]}"; do targets+=(--target "fuzz_$h"); done
cmake --build "$build_dir" -j "$jobs" "${targets[@]}" >&2

# --- 3. Run --------------------------------------------------------------------------------
# -rss_limit_mb=2048 (malloc_limit_mb follows it): an input that makes a parser allocate more,
# such as a header declaring a huge image the limits should have refused, is a finding.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:print_stacktrace=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
run() {
  local h=$1 dir=$out/$1
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  cp "$repo_root/tests/fuzz/corpus/$h/"* "$dir/corpus/"
  local status=0
  "$build_dir/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
    -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1 || status=$?
  echo "$status" >"$dir/status"
}
say "running each harness for $seconds s, $parallel at a time; logs in $out/<harness>/log"
pids=()
for h in "${harnesses[@]}"; do
  run "$h" &
  pids+=($!)
  # At most $parallel at a time: wait for one to end before starting the next.
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
done
for pid in "${pids[@]}"; do wait "$pid" || true; done

# --- 4. Report -----------------------------------------------------------------------------
found=0
printf '%-20s %12s %8s %10s %8s  %s\n' harness executions exec/s seconds corpus findings
for h in "${harnesses[@]}"; do
  dir=$out/$h
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
  time=$(grep -a -o 'Done [0-9]* runs in [0-9]* second' "$dir/log" | awk '{print $5}' | tail -n 1 ||
    true)  # no "Done" line when it stopped at a finding
  corpus=$(find "$dir/corpus" -type f | wc -l)
  artifacts=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o \
    -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) | sort | tr '\n' ' ')
  status=$(cat "$dir/status" 2>/dev/null || echo none)
  if [[ -n $artifacts || $status != 0 ]]; then
    found=1
    [[ -n $artifacts ]] || artifacts="exit status $status, see $dir/log"
  else
    artifacts=none
  fi
  printf '%-20s %12s %8s %10s %8s  %s\n' "$h" "${execs:-?}" "${rate:-?}" "${time:-?}" \
    "$corpus" "$artifacts"
done
exit "$found"
