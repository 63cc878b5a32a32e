#!/usr/bin/env bash
# How well aligned crops are aligned: crops a folder of face photos (mtcnn detect --crops),
# detects again on the 112x112 crops, and reports the mean distance in crop pixels between the
# landmarks found there and ArcFace's template. (docs/alignment.md; CUHK by default.)
#
#   scripts/alignment-check.sh [PHOTOS_DIR]     default: ../shared/data/cuhk5/images
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mtcnn=${MTCNN:-$repo_root/build/app/mtcnn}
photos=${1:-$repo_root/../shared/data/cuhk5/images}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$mtcnn" detect -q --largest --crops "$work/crops" "$photos" -o "$work/photos.jsonl" || true
# The crops hold one face each, filling most of the 112 pixels: a small --min-face finds it.
"$mtcnn" detect -q --min-face 40 "$work/crops" -o "$work/crops.jsonl" || true
python3 - "$work/photos.jsonl" "$work/crops.jsonl" <<'PY'
import json, math, sys
template = [(38.2946, 51.6963), (73.5318, 51.5014), (56.0252, 71.7366), (41.5493, 92.3655),
            (70.7299, 92.2041)]
names = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"]
photos = [json.loads(line) for line in open(sys.argv[1])]
cropped = sum(1 for r in photos for f in r["faces"] if f.get("crop"))
distances, per_point, missed = [], [[] for _ in names], 0
for record in map(json.loads, open(sys.argv[2])):
    if not record["faces"]:
        missed += 1
        continue
    face = record["faces"][0]
    for i, name in enumerate(names):
        x, y = face["landmarks"][name]
        d = math.hypot(x - template[i][0], y - template[i][1])
        distances.append(d)
        per_point[i].append(d)
found = len(distances) // 5
print(f"photos {len(photos)}, crops {cropped}, faces found again in crops {found}, not found {missed}")
print(f"mean landmark distance to the template: {sum(distances) / len(distances):.2f} px of 112")
print("per point: " + ", ".join(f"{n} {sum(p) / len(p):.2f}" for n, p in zip(names, per_point)))
PY
