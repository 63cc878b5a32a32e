#!/usr/bin/env bash
# Throughput, per-image latency and peak memory of `mtcnn detect`, end to end (decode, detect,
# write JSON), with 1 and 2 threads, on a fixed corpus and on any folders given.
#
#   scripts/bench.sh [-b BUILD_DIR] [-r RUNS] [--against COMMIT [--precision P] [--only-against]]
#                    [FOLDER...]
#
# Builds Release into BUILD_DIR (default build-bench/), makes the corpus once under out/bench/
# (from samples/, see scripts/make_bench_corpus.cpp: 640/ with 24 photos at about 640x480, and
# 4000x3000/ with one photo),
# runs each set RUNS times (default 3) per thread count, interleaving the thread counts, and
# prints medians. Each summary is appended to out/bench/results.jsonl, and the ratio to the last
# earlier summary of the same set and thread count is printed: a ratio is only meaningful between
# runs on the same machine under the same load, so compare within one sitting.
#
# With ../shared/data/fddb present, FDDB folds 1-5 (1408 news photos of about 450x330) are a set
# too. --against COMMIT builds that commit side by side (out/bench/against-COMMIT/) and runs both
# binaries alternately on every set with 2 threads, whole process, the same weights: the ratio of
# the median wall times is the speed-up, measured in one sitting; one photo of the 640 set, run
# alone 21 times, shows the start-up. --precision P (bf16) adds this
# build at `--precision P` to that alternation, so both precisions are compared with the commit
# in the same sitting; --only-against skips everything else.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build-bench"
runs=3
against=
precision=
only_against=
usage() {
  echo "usage: scripts/bench.sh [-b BUILD_DIR] [-r RUNS] [--against COMMIT [--precision P] [--only-against]] [FOLDER...]" >&2
  exit 2
}
args=()
while (($#)); do
  case $1 in
    --against) (($# >= 2)) || usage; against=$2; shift 2 ;;
    --against=*) against=${1#--against=}; shift ;;
    --precision) (($# >= 2)) || usage; precision=$2; shift 2 ;;
    --only-against) only_against=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
while getopts "b:r:" flag; do
  case $flag in
    b) build=$(realpath -m "$OPTARG") ;;
    r) runs=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))

out="$repo_root/out/bench"
corpus="$out/corpus"
results="$out/results.jsonl"
mkdir -p "$out/runs"
[[ -d $repo_root/samples ]] || { echo "bench: no samples/; run scripts/setup.sh first" >&2; exit 2; }

cmake -S "$repo_root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j 2 --target mtcnn make_bench_corpus >/dev/null
mtcnn="$build/app/mtcnn"
[[ -d $corpus/640 ]] || "$build/make_bench_corpus" "$repo_root/samples" "$corpus"

# FDDB folds 1-5 as a folder of links (the photos keep their tree, so names never collide).
fddb_root="$repo_root/../shared/data/fddb"
fddb_set=
if [[ -d $fddb_root/originalPics && -d $fddb_root/FDDB-folds ]]; then
  fddb_set="$corpus/fddb-folds-1-5"
  if [[ ! -d $fddb_set ]]; then
    for fold in 01 02 03 04 05; do
      while read -r photo; do
        mkdir -p "$fddb_set/$(dirname "$photo")"
        ln -sf "$(realpath "$fddb_root/originalPics/$photo.jpg")" "$fddb_set/$photo.jpg"
      done <"$fddb_root/FDDB-folds/FDDB-fold-$fold.txt"
    done
  fi
fi

# The earlier commit, built once from its own tree (git worktree) with the same build type.
baseline=
if [[ -n $against ]]; then
  sha=$(git -C "$repo_root" rev-parse --short "$against^{commit}") || usage
  tree="$out/against-$sha/src"
  if [[ ! -d $tree ]]; then
    git -C "$repo_root" worktree add --detach "$tree" "$sha" >/dev/null
  fi
  cmake -S "$tree" -B "$out/against-$sha/build" -DCMAKE_BUILD_TYPE=Release \
    -DMTCNN_BUILD_TESTS=OFF >/dev/null
  cmake --build "$out/against-$sha/build" -j 2 --target mtcnn >/dev/null
  baseline="$out/against-$sha/build/app/mtcnn"
fi

# One run: records, per-image timings, and /usr/bin/time's report with the peak RSS.
run_once() {
  local set_dir=$1 threads=$2 tag=$3
  /usr/bin/time -v -o "$out/runs/$tag.time" "$mtcnn" detect -v --threads "$threads" \
    --timings "$out/runs/$tag.timings" -o "$out/runs/$tag.jsonl" "$set_dir" 2>"$out/runs/$tag.log"
}

summarise() {
  local name=$1 threads=$2
  shift 2
  python3 - "$name" "$threads" "$results" "$(git -C "$repo_root" rev-parse --short HEAD)" "$@" <<'PY'
import json, re, statistics, sys, datetime
name, threads, results, commit, *tags = sys.argv[1:]
threads = int(threads)
rates, walls, rss, per_image = [], [], [], []
for tag in tags:
    log = open(tag + ".log").read()
    m = re.search(r"(\d+) inputs? in ([\d.]+) s", log)
    images, batch_s = int(m.group(1)), float(m.group(2))
    rates.append(images / batch_s)
    t = open(tag + ".time").read()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    walls.append(int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)))
    rss.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024)
    per_image += [json.loads(line)["total_ms"] for line in open(tag + ".timings")]
per_image.sort()
q = lambda p: per_image[min(len(per_image) - 1, int(p * len(per_image)))]
row = {
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "commit": commit, "set": name, "threads": threads, "images": images, "runs": len(tags),
    "images_per_s": round(statistics.median(rates), 2),
    "end_to_end_images_per_s": round(images / statistics.median(walls), 2),
    "ms_p50": round(q(0.50), 2), "ms_p95": round(q(0.95), 2),
    "peak_rss_mb": round(max(rss), 1),
}
previous = None
try:
    for line in open(results):
        r = json.loads(line)
        if r["set"] == name and r["threads"] == threads:
            previous = r
except FileNotFoundError:
    pass
ratio = ""
if previous:
    ratio = "  vs {} ({}): x{:.2f} images/s, x{:.2f} RSS".format(
        previous["commit"], previous["date"], row["images_per_s"] / previous["images_per_s"],
        row["peak_rss_mb"] / previous["peak_rss_mb"])
print("{set:>12} -j{threads}: {images_per_s:7.2f} images/s (with start-up {end_to_end_images_per_s:.2f}), "
      "per image p50 {ms_p50:.1f} ms p95 {ms_p95:.1f} ms, peak RSS {peak_rss_mb:.0f} MB".format(**row) + ratio)
with open(results, "a") as f:
    f.write(json.dumps(row) + "\n")
PY
}

bench_set() {
  local name=$1 dir=$2 tags1=() tags2=()
  for ((i = 0; i < runs; i++)); do
    run_once "$dir" 1 "$name-j1-$i" && tags1+=("$out/runs/$name-j1-$i")
    run_once "$dir" 2 "$name-j2-$i" && tags2+=("$out/runs/$name-j2-$i")
  done
  # The records must not depend on the number of threads.
  cmp -s "$out/runs/$name-j1-0.jsonl" "$out/runs/$name-j2-0.jsonl" ||
    echo "bench: $name: records differ between --threads 1 and 2" >&2
  summarise "$name" 1 "${tags1[@]}"
  summarise "$name" 2 "${tags2[@]}"
}

# What aligned crops cost: the same set with and without --crops (ArcFace, 112, PNG), 2 threads,
# runs interleaved, the ratio of the median wall times (issue goal: at most 1.10).
bench_crops() {
  local name=$1 dir=$2 plain=() cropped=()
  for ((i = 0; i < runs; i++)); do
    rm -rf "$out/runs/crops-$name"
    plain+=("$( { /usr/bin/time -f %e "$mtcnn" detect -q --threads 2 -o "$out/runs/crops-plain.jsonl" "$dir"; } 2>&1 >/dev/null | tail -n 1)")
    cropped+=("$( { /usr/bin/time -f %e "$mtcnn" detect -q --threads 2 -o "$out/runs/crops-with.jsonl" \
                      --crops "$out/runs/crops-$name" "$dir"; } 2>&1 >/dev/null | tail -n 1)")
  done
  python3 - "$name" "${plain[*]}" "${cropped[*]}" <<'PY'
import statistics, sys
name, plain, cropped = sys.argv[1], list(map(float, sys.argv[2].split())), list(map(float, sys.argv[3].split()))
p, c = statistics.median(plain), statistics.median(cropped)
print(f"{name:>12} -j2: --crops {c:.2f} s vs plain {p:.2f} s (medians of {len(plain)}): x{c / p:.3f} wall time")
PY
}

# This build against the earlier commit on one set: both alternately, 2 threads, whole process
# (start-up included), the same weights; medians of the wall times (of RUNS runs, or of the
# third argument's count).
bench_against() {
  local name=$1 dir=$2 count=${3:-$runs} ours=() theirs=() reduced=()
  timed() { { /usr/bin/time -f "%e %M" "$@" -q --threads 2 --models "$repo_root/weights" "$dir"; } 2>&1 >/dev/null | tail -n 1; }
  for ((i = 0; i < count; i++)); do
    theirs+=("$(timed "$baseline" detect -o "$out/runs/against-$name.jsonl")")
    ours+=("$(timed "$mtcnn" detect -o "$out/runs/ours-$name.jsonl")")
    [[ -n $precision ]] && reduced+=("$(timed "$mtcnn" detect --precision "$precision" -o "$out/runs/ours-$precision-$name.jsonl")")
  done
  python3 - "$name" "$sha" "$precision" "$(printf '%s\n' "${theirs[@]}")" "$(printf '%s\n' "${ours[@]}")" \
    "$(printf '%s\n' "${reduced[@]+"${reduced[@]}"}")" <<'PY'
import statistics, sys
name, sha, precision, theirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split("\n")
wall = lambda runs: statistics.median(float(r.split()[0]) for r in runs)
rss = lambda runs: max(int(r.split()[1]) for r in runs) / 1024
for label, ours in (("", sys.argv[5].split("\n")), (f" --precision {precision}", sys.argv[6].split("\n"))):
    if not ours[0]:
        continue
    print(f"{name:>12} -j2{label}: {wall(ours):.2f} s vs {sha} {wall(theirs):.2f} s (medians of {len(ours)}, "
          f"alternating): speed x{wall(theirs) / wall(ours):.2f}; peak RSS {rss(ours):.0f} vs {rss(theirs):.0f} MB")
PY
}

echo "mtcnn bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $runs runs each"
if [[ -z $only_against ]]; then
  bench_set 640 "$corpus/640"
  bench_set 4000x3000 "$corpus/4000x3000"
  [[ -n $fddb_set ]] && bench_set fddb-1-5 "$fddb_set"
  for folder in "$@"; do bench_set "$(basename "$(realpath "$folder")")" "$(realpath "$folder")"; done
  bench_crops 640 "$corpus/640"
  [[ -n $fddb_set ]] && bench_crops fddb-1-5 "$fddb_set"
fi
if [[ -n $baseline ]]; then
  # One photo of the 640 set, a run that is mostly start-up: 21 runs, for its noise.
  bench_against one-photo "$(find "$corpus/640" -name '*.jpg' | sort | head -n 1)" 21
  bench_against 640 "$corpus/640"
  bench_against 4000x3000 "$corpus/4000x3000"
  [[ -n $fddb_set ]] && bench_against fddb-1-5 "$fddb_set"
  for folder in "$@"; do bench_against "$(basename "$(realpath "$folder")")" "$(realpath "$folder")"; done
fi
