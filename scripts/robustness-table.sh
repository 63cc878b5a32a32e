#!/usr/bin/env bash
# The table of docs/robustness.md: each hostile input of the test battery
# (tests/robustness/test_hostile_battery.cpp) run on its own through mtcnn detect, with the
# record's error code, the wall time and the peak memory of the whole process.
#
#   scripts/robustness-table.sh [BUILD_DIR]      (after scripts/setup.sh --tests)
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$repo_root/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

MTCNN_BATTERY_DIR="$work" "$build/tests/mtcnn_tests" "[battery-files]" >/dev/null
echo "| input | code | time | peak memory |"
echo "|---|---|---|---|"
cd "$work"
for input in in/* animation.gif; do
  /usr/bin/time -f "%e %M" -o time.txt "$build/app/mtcnn" detect -q --threads 1 "$input" \
    >record.json 2>/dev/null || true
  read -r seconds kilobytes < <(tail -n 1 time.txt)
  code=$(python3 -c 'import json,sys; r=json.load(open("record.json")); print(r["error"]["code"] if r["error"] else "ok (%d faces)" % len(r["faces"]))')
  name=$(printf '%s' "$input" | python3 -c 'import sys; print(repr(sys.stdin.buffer.read().decode("utf-8", "backslashreplace"))[1:-1])')
  printf '| `%s` | %s | %.2f s | %d MB |\n' "$name" "$code" "$seconds" "$((kilobytes / 1024))"
done
