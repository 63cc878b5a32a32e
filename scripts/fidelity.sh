#!/usr/bin/env bash
# Agreement with the reference MTCNN (facenet-pytorch, same weights) on the images it was run on:
# FDDB folds 1-5, the CUHK 5-point images and the sample photos. Needs the shared evaluation
# data, which the product and its tests never need.
#
#   scripts/fidelity.sh [SHARED_DIR]      (default: ../shared beside the checkout)
#
# Runs `mtcnn detect` twice per set, as shipped and with --clip-crops (the reference's way of
# cropping at the border), and prints `mtcnn compare` for each. Results go to out/fidelity/.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(cd "${1:-$repo_root/../shared}" && pwd)
mtcnn=${MTCNN:-$repo_root/build/app/mtcnn}
out="$repo_root/out/fidelity"
mkdir -p "$out"
[[ -x $mtcnn ]] || { echo "fidelity: no $mtcnn; run scripts/setup.sh first" >&2; exit 2; }

# name, directory to run in, input (relative to it), reference file
sets=(
  "fddb $shared/data fddb/originalPics fddb-folds-1-5.jsonl"
  "cuhk5 $shared/data cuhk5/images cuhk5-dev.jsonl"
  "samples $repo_root/samples . samples.jsonl"
)

run_set() {
  local name=$1 dir=$2 input=$3 reference=$4 mode=$5 flags=()
  [[ $mode == clip-crops ]] && flags=(--clip-crops)
  local result="$out/$name-$mode.jsonl"
  (cd "$dir" && "$mtcnn" detect -q "${flags[@]}" "$input" -o "$result") || true
  echo "== $name, $mode: $result"
  "$mtcnn" compare "$result" "$shared/reference/detections/$reference" || true
  echo
}

for set in "${sets[@]}"; do
  read -r name dir input reference <<<"$set"
  for mode in default clip-crops; do run_set "$name" "$dir" "$input" "$reference" "$mode"; done
done
