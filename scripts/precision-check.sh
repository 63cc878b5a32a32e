#!/usr/bin/env bash
# Whether a reduced precision stays within the tolerance that decides if it may be the default
# (docs/performance.md, "Reduced precision"): on FDDB folds 1-5, at least 99.5% of the fp32 faces
# found by it at IoU >= 0.95 with a landmark difference of at most 0.5% of the box width; FDDB's
# discrete TPR at 100 false positives (`mtcnn eval fddb`) moved by at most 0.002; CUHK's NME
# (`mtcnn eval landmarks`) by at most 0.001. Needs the shared evaluation data.
#
#   scripts/precision-check.sh [--precision bf16] [--threads N] [SHARED_DIR]
#
# Prints the figures and one line per criterion, and exits 0 when all hold, 1 when one does not.
# Detections and reports go to out/precision/.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
precision=bf16
threads=2
while (($#)); do
  case $1 in
    --precision) precision=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
shared=$(cd "${1:-$repo_root/../shared}" && pwd)
mtcnn=${MTCNN:-$repo_root/build/app/mtcnn}
out="$repo_root/out/precision"
fddb="$shared/data/fddb"
cuhk="$shared/data/cuhk5"
[[ -x $mtcnn ]] || { echo "precision-check: no $mtcnn; run scripts/setup.sh first" >&2; exit 2; }
[[ -d $fddb && -d $cuhk ]] || { echo "precision-check: no FDDB or CUHK data in $shared/data" >&2; exit 2; }
mkdir -p "$out"

# The photos of folds 1-5, as paths relative to the FDDB folder (which eval pairs by suffix).
for fold in 01 02 03 04 05; do sed 's|^|originalPics/|; s|$|.jpg|' "$fddb/FDDB-folds/FDDB-fold-$fold.txt"; done \
  >"$out/fddb-folds-1-5.txt"

for p in fp32 "$precision"; do
  echo "precision-check: $p: detecting FDDB folds 1-5 and the CUHK images" >&2
  (cd "$fddb" && "$mtcnn" detect -q --threads "$threads" --precision "$p" \
    --files-from "$out/fddb-folds-1-5.txt" -o "$out/fddb-$p.jsonl")
  (cd "$cuhk" && "$mtcnn" detect -q --threads "$threads" --precision "$p" images -o "$out/cuhk-$p.jsonl")
  "$mtcnn" eval fddb -q --data "$fddb" --folds 1-5 --detections "$out/fddb-$p.jsonl" \
    -o "$out/fddb-eval-$p" | tail -n 1 >"$out/fddb-eval-$p.json"
  "$mtcnn" eval landmarks -q --list "$cuhk/landmarks.txt" --images "$cuhk/images" \
    --detections "$out/cuhk-$p.jsonl" | tail -n 1 >"$out/cuhk-eval-$p.json"
done

python3 - "$out" "$precision" <<'EOF'
import json, math, sys

out, precision = sys.argv[1], sys.argv[2]

def records(name):
    with open(f"{out}/{name}") as f:
        return {r["path"]: r for r in map(json.loads, f)}

def iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    inter = max(w, 0) * max(h, 0)
    return inter / (aw * ah + bw * bh - inter) if inter > 0 else 0.0

def landmark_difference(a, b):
    # Mean distance over the five points, over the fp32 box's width (as `mtcnn compare`).
    names = a["landmarks"].keys()
    d = sum(math.dist(a["landmarks"][n], b["landmarks"][n]) for n in names) / len(names)
    return d / a["box"][2]

exact, reduced = records("fddb-fp32.jsonl"), records(f"fddb-{precision}.jsonl")
faces = kept = 0
ious, diffs = [], []
for path, r in exact.items():
    theirs = reduced[path]["faces"]
    # One to one, greedily by the highest IoU, as `mtcnn compare` matches.
    pairs = sorted(((iou(f["box"], g["box"]), i, j) for i, f in enumerate(r["faces"])
                    for j, g in enumerate(theirs)), reverse=True)
    used_i, used_j, match = set(), set(), {}
    for v, i, j in pairs:
        if v > 0 and i not in used_i and j not in used_j:
            used_i.add(i); used_j.add(j); match[i] = (v, j)
    for i, f in enumerate(r["faces"]):
        faces += 1
        v, j = match.get(i, (0.0, None))
        d = landmark_difference(f, theirs[j]) if j is not None else math.inf
        ious.append(v); diffs.append(d)
        kept += v >= 0.95 and d <= 0.005

def tpr(p):
    return json.load(open(f"{out}/fddb-eval-{p}.json"))["discrete_tpr"]["100"]

def nme(p):
    return json.load(open(f"{out}/cuhk-eval-{p}.json"))["nme"]

found = kept / faces
reduced_faces = sum(len(r["faces"]) for r in reduced.values())
ious.sort(); diffs.sort()
print(f"FDDB folds 1-5: {faces} fp32 faces, {reduced_faces} {precision} faces")
print(f"  fp32 faces found by {precision} at IoU >= 0.95 with landmarks within 0.5% of the box "
      f"width: {kept} ({found:.4%})")
print(f"  IoU: median {ious[len(ious) // 2]:.4f}, 1st percentile {ious[len(ious) // 100]:.4f}; "
      f"landmark difference: median {diffs[len(diffs) // 2]:.5f}, "
      f"99th percentile {diffs[len(diffs) * 99 // 100]:.5f} of the box width")
print(f"FDDB discrete TPR at 100 FP: fp32 {tpr('fp32'):.4f}, {precision} {tpr(precision):.4f}")
print(f"CUHK NME: fp32 {nme('fp32'):.5f}, {precision} {nme(precision):.5f}")
checks = [
    (found >= 0.995, f"faces found {found:.4%} >= 99.5%"),
    (abs(tpr(precision) - tpr("fp32")) <= 0.002,
     f"FDDB TPR moved {tpr(precision) - tpr('fp32'):+.4f}, at most 0.002"),
    (abs(nme(precision) - nme("fp32")) <= 0.001,
     f"CUHK NME moved {nme(precision) - nme('fp32'):+.5f}, at most 0.001"),
]
for ok, text in checks:
    print(("ok      " if ok else "FAILED  ") + text)
sys.exit(0 if all(ok for ok, _ in checks) else 1)
EOF
