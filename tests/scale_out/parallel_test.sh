#!/usr/bin/env bash
# The GNU parallel recipe of docs/scale-out.md, local form: four `mtcnn detect --shard K/4` at
# once over a folder of 19 photos, then `mtcnn merge --expect`, compared byte for byte with a
# single run. Exits 77 (ctest's SKIPPED) without GNU parallel (Debian: parallel;
# scripts/setup.sh --tests installs it).
#
#   tests/scale_out/parallel_test.sh REPO_ROOT MTCNN_BINARY MAKE_BENCH_CORPUS
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 REPO_ROOT MTCNN_BINARY MAKE_BENCH_CORPUS" >&2
  exit 2
fi
repo_root=$(cd "$1" && pwd)
mtcnn_dir=$(cd "$(dirname "$2")" && pwd)
make_corpus=$3

if ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
  echo "SKIPPED: GNU parallel is not installed (Debian: apt-get install parallel)"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mtcnn-parallel-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$repo_root/tests/scale_out/make_photos.sh" "$make_corpus" "$repo_root/samples" "$work/photos"
cd "$work"
export PATH="$mtcnn_dir:$PATH"

# As in docs/scale-out.md (with --halt: a failed task fails the test at once). One thread per
# task: four tasks share the test machine's cores.
parallel --halt now,fail=1 \
  mtcnn detect photos --shard {}/4 --threads 1 -o 'out/faces-{shard}.jsonl' --resume ::: 0 1 2 3
ls out
mtcnn merge out/faces-*.jsonl --expect photos -o faces.jsonl
mtcnn detect photos -o single.jsonl -q
if ! cmp faces.jsonl single.jsonl; then
  echo "FAILED: the merged output differs from a single run" >&2
  exit 1
fi
echo "merged == single run: $(wc -l <single.jsonl) records, $(wc -c <single.jsonl) bytes"
