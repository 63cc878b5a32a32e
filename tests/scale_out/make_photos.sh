#!/usr/bin/env bash
# Makes the photo folder of the scale-out tests from the sample photos: the six originals
# (1920 px wide), each shrunk to 640 px wide and cut to 640x480 (scripts/make_bench_corpus.cpp),
# and a copy under a name with spaces: 19 photos in four folders.
#
#   tests/scale_out/make_photos.sh MAKE_BENCH_CORPUS SAMPLES_DIR DEST
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 MAKE_BENCH_CORPUS SAMPLES_DIR DEST" >&2
  exit 2
fi
make_corpus=$1 samples=$2 dest=$3

mkdir -p "$dest/originals" "$dest/640" "$dest/with space"
cp "$samples"/sample[1-6].jpg "$dest/originals/"
corpus=$(mktemp -d "${TMPDIR:-/tmp}/mtcnn-corpus.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
"$make_corpus" "$samples" "$corpus"
cp "$corpus"/640/sample[1-6]-640.jpg "$corpus"/640/sample[1-6]-crop1-640x480.jpg "$dest/640/"
cp "$samples/sample1.jpg" "$dest/with space/sample 1 (copy).jpg"
