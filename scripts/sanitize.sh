#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer in its own build directory
# and runs the whole test suite there, the `mtcnn` processes the tests start included
# (docs/fuzzing.md). Exits with ctest's status: any sanitizer report fails its test.
#
#   scripts/sanitize.sh                      build-sanitize/, address,undefined, all tests
#   scripts/sanitize.sh -R merge             extra arguments go to ctest
#   BUILD_DIR=dir SANITIZE=thread JOBS=4 scripts/sanitize.sh
#
# Needs what `scripts/setup.sh --tests` installs and fetches (the weights and sample photos).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$repo_root/build-sanitize}
sanitizers=${SANITIZE:-address,undefined}
jobs=${JOBS:-2}
say() { echo "sanitize: $*" >&2; }

if ! ls "$repo_root"/weights/det{1,2,3}.caffemodel >/dev/null 2>&1; then
  say "no weights in weights/: run scripts/setup.sh --tests first"
  exit 2
fi

# RelWithDebInfo: optimised as users run it (the vector kernels included), with line numbers in
# the reports. File by file (no unity build): a file that forgets an include of its own, which a
# unity build hides behind its neighbours', fails here.
say "building with -fsanitize=$sanitizers in $build_dir"
cmake -S "$repo_root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMTCNN_BUILD_TESTS=ON \
  -DMTCNN_WERROR=ON -DMTCNN_UNITY_BUILD=OFF "-DMTCNN_SANITIZE=$sanitizers" >&2
cmake --build "$build_dir" -j "$jobs" >&2

# Inherited by the mtcnn processes the tests start. The first report ends the process with an
# error (halt_on_error; UBSan's is also fatal at compile time, -fno-sanitize-recover), so the
# test fails instead of printing and passing. Not detect_stack_use_after_return: its 11 MB
# "fake stack" per thread cannot be mapped in the test that caps the address space so that a
# second worker thread cannot start (tests/detect/test_pipeline.cpp), and ASan then aborts.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:print_stacktrace=1:strict_string_checks=1:check_initialization_order=1:strict_init_order=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"

say "running the test suite under $sanitizers"
start=$(date +%s)
status=0
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" "$@" || status=$?
say "done in $(($(date +%s) - start)) s, ctest status $status"
exit "$status"
