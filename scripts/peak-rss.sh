#!/usr/bin/env bash
# Peak memory (maximum RSS from /usr/bin/time -v) and wall time of `mtcnn detect` on large
# photos, with one worker (--threads 1), for one or more builds side by side.
#
#   scripts/peak-rss.sh [-r RUNS] [LABEL=]MTCNN [[LABEL=]MTCNN...]
#
# The photos are made on the fly from samples/ under out/peak-rss/photos/ (see
# scripts/make_big_photos.cpp; never committed): 5001x3333 (at --min-face 20 and 5), 30x1000000,
# 1000000x30 and 4000x3000. For each case the builds run interleaved, RUNS times (default 1);
# the table gives the largest RSS and the median wall time, and whether every build wrote the
# same records as the first. The weights come from $MTCNN_MODELS, else this tree's weights/.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=1
while getopts "r:" flag; do
  case $flag in
    r) runs=$OPTARG ;;
    *) echo "usage: scripts/peak-rss.sh [-r RUNS] [LABEL=]MTCNN..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
(($# > 0)) || { echo "usage: scripts/peak-rss.sh [-r RUNS] [LABEL=]MTCNN..." >&2; exit 2; }
[[ -d $repo_root/samples ]] || { echo "peak-rss: no samples/; run scripts/setup.sh first" >&2; exit 2; }
export MTCNN_MODELS=${MTCNN_MODELS:-$repo_root/weights}

labels=() binaries=()
for arg in "$@"; do
  if [[ $arg == *=* ]]; then labels+=("${arg%%=*}"); binaries+=("${arg#*=}")
  else labels+=("$arg"); binaries+=("$arg"); fi
done

out="$repo_root/out/peak-rss"
photos="$out/photos"
mkdir -p "$out/runs"
generator="$out/make_big_photos"
if [[ ! -x $generator || $repo_root/scripts/make_big_photos.cpp -nt $generator ]]; then
  # OpenCV's headers as system headers: they warn under -Wpedantic with C++20.
  read -ra cflags <<<"$(pkg-config --cflags opencv4 | sed 's/-I/-isystem /g')"
  read -ra libs <<<"$(pkg-config --libs opencv4)"
  g++ -std=c++20 -O2 -Wall -Wextra -Wpedantic "$repo_root/scripts/make_big_photos.cpp" \
    "${cflags[@]}" "${libs[@]}" -o "$generator"
fi
[[ -f $photos/1000000x30.png ]] || "$generator" "$repo_root/samples" "$photos"

cases=("5001x3333.jpg 20" "5001x3333.jpg 5" "30x1000000.png 20" "1000000x30.png 20"
  "4000x3000.jpg 20")

header="| photo | --min-face |"
rule="|---|---|"
for label in "${labels[@]}"; do
  header+=" $label peak RSS | $label wall |"
  rule+="---|---|"
done
echo "$header records |"
echo "$rule---|"

for entry in "${cases[@]}"; do
  read -r photo min_face <<<"$entry"
  declare -A rss=() walls=()
  for ((run = 0; run < runs; ++run)); do
    for i in "${!binaries[@]}"; do
      tag="$out/runs/${photo%.*}-$min_face-$i"
      /usr/bin/time -v -o "$tag.time" "${binaries[$i]}" detect -q --threads 1 \
        --min-face "$min_face" "$photos/$photo" >"$tag.jsonl"
      kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tag.time")
      wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tag.time")
      seconds=$(awk -F: '{ s = 0; for (k = 1; k <= NF; ++k) s = s * 60 + $k; print s }' <<<"$wall")
      ((kb > ${rss[$i]:-0})) && rss[$i]=$kb
      walls[$i]+="$seconds "
    done
  done
  row="| $photo | $min_face |"
  records=same
  for i in "${!binaries[@]}"; do
    median=$(tr ' ' '\n' <<<"${walls[$i]}" | sed '/^$/d' | sort -g |
      awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    row+=" $((rss[$i] / 1024)) MB | ${median} s |"
    cmp -s "$out/runs/${photo%.*}-$min_face-0.jsonl" "$out/runs/${photo%.*}-$min_face-$i.jsonl" ||
      records=differ
  done
  echo "$row $records |"
  unset rss walls
done
