#!/usr/bin/env bash
# Makes docs/alignment-samples.png: the sample photos' aligned crops (mtcnn detect --crops) in a
# grid beside the ArcFace template at 4x (scripts/make_contact_sheet.cpp).
#
#   scripts/contact-sheet.sh [OUT.png]     (after scripts/setup.sh)
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$repo_root/build}
out=${1:-$repo_root/docs/alignment-samples.png}
cmake --build "$build" -j 2 --target mtcnn make_contact_sheet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/app/mtcnn" detect -q "$repo_root/samples" --crops "$work/crops" >/dev/null
"$build/make_contact_sheet" "$work/crops" "$out"
