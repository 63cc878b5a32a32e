#!/usr/bin/env bash
# The Slurm job array of docs/examples/slurm-array.sh, run for real: brings up a one-node
# cluster with scripts/slurm-local.sh (installing slurm-wlm and munge if needed), submits the
# example with `sbatch --wait --array=0-3` over a folder of 19 photos, merges the tasks' files
# with `mtcnn merge --expect` and compares the bytes with a single run of the same command.
# Stops the daemons it started, whatever happens. Exits 77 (ctest's SKIPPED) without root, or
# without the packages and apt-get to install them.
#
#   tests/scale_out/slurm_array_test.sh REPO_ROOT MTCNN_BINARY MAKE_BENCH_CORPUS
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 REPO_ROOT MTCNN_BINARY MAKE_BENCH_CORPUS" >&2
  exit 2
fi
repo_root=$(cd "$1" && pwd)
mtcnn=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
make_corpus=$3
started=$(date +%s.%N)
elapsed() { awk -v now="$(date +%s.%N)" -v then="$1" 'BEGIN { printf "%.1f", now - then }'; }
skip() { echo "SKIPPED: $*"; exit 77; }

[[ $(id -u) -eq 0 ]] || skip "a local Slurm cluster (scripts/slurm-local.sh) needs root"
if ! command -v sbatch >/dev/null || ! command -v slurmd >/dev/null ||
   ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || skip "slurm-wlm and munge are not installed, and no apt-get"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mtcnn-slurm-test.XXXXXX")
chmod 755 "$work"  # munged wants every folder above its socket open to all
export SLURM_LOCAL_DIR="$work/slurm"
cleanup() {
  local status=$?
  "$repo_root/scripts/slurm-local.sh" stop || status=1
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# Two free ports, in case another cluster (or another run of this test) is up.
port=
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null &&
     ! (exec 3<>"/dev/tcp/127.0.0.1/$((candidate + 1))") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n $port ]] || { echo "no free port pair found" >&2; exit 1; }
export SLURM_LOCAL_PORT=$port

if ! "$repo_root/scripts/slurm-local.sh" 2>"$work/slurm-local.log"; then
  cat "$work/slurm-local.log" >&2
  if grep -q "installing" "$work/slurm-local.log" && ! command -v slurmd >/dev/null; then
    skip "installing slurm-wlm and munge failed (no package archive?)"
  fi
  echo "FAILED: the local cluster did not come up" >&2
  exit 1
fi
export SLURM_CONF="$work/slurm/slurm.conf"
echo "cluster up in $(elapsed "$started") s (installation included when it was needed)"

"$repo_root/tests/scale_out/make_photos.sh" "$make_corpus" "$repo_root/samples" "$work/run/photos"
cd "$work/run"

# The example as users submit it, pointed at the binary and the photos through its environment
# variables. One CPU per task (two tasks at a time on two cores) and less memory than its
# defaults, so that it fits any test machine.
submitted=$(date +%s.%N)
if ! MTCNN="$mtcnn" PHOTOS=photos OUT=out \
     sbatch --wait --array=0-3 --cpus-per-task=1 --mem=500M --time=10 \
       "$repo_root/docs/examples/slurm-array.sh" >sbatch.out 2>&1; then
  echo "FAILED: the job array did not succeed" >&2
  cat sbatch.out mtcnn-*.log >&2 || true
  exit 1
fi
echo "job array: $(elapsed "$submitted") s from submission to the end of the last task"
cat sbatch.out

shards=(out/faces-0.jsonl out/faces-1.jsonl out/faces-2.jsonl out/faces-3.jsonl)
for shard in "${shards[@]}"; do
  [[ -f $shard ]] || { echo "FAILED: $shard is missing" >&2; cat mtcnn-*.log >&2; exit 1; }
  echo "$shard: $(wc -l <"$shard") records"
done
leftovers=$(find out -name '*.partial*')
[[ -z $leftovers ]] || { echo "FAILED: unfinished files left: $leftovers" >&2; exit 1; }

"$mtcnn" merge "${shards[@]}" --expect photos -o merged.jsonl
"$mtcnn" detect photos -o single.jsonl -q
if ! cmp merged.jsonl single.jsonl; then
  echo "FAILED: the merged output differs from a single run" >&2
  diff <(cut -c1-120 merged.jsonl) <(cut -c1-120 single.jsonl) >&2 || true
  exit 1
fi
echo "merged == single run: $(wc -l <single.jsonl) records, $(wc -c <single.jsonl) bytes"

# Each task logged its share (exec'd mtcnn's summary line) into the log the example names.
cat mtcnn-*.log
echo "total $(elapsed "$started") s"
