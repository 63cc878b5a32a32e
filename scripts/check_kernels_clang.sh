#!/bin/sh
# Compiles the convolution kernels and their CPU dispatch with Clang, so that a GCC build notices
# code only GCC accepts (Clang ignores `#pragma GCC target`). Clang reports an intrinsic used
# outside its target only while generating code, hence -c rather than -fsyntax-only; -O0 keeps
# it to seconds.
# Usage: check_kernels_clang.sh LIB_SRC_DIR. Exits 77 (the ctest's SKIP_RETURN_CODE) when no
# clang++ is installed; $CLANGXX picks one.
set -eu

src=${1:?usage: check_kernels_clang.sh LIB_SRC_DIR}
clang=${CLANGXX:-$(command -v clang++ || true)}
if [ -z "$clang" ]; then
  # Debian and Ubuntu may install versioned names only (clang++-14): any of them will do.
  for candidate in /usr/bin/clang++-[0-9]*; do
    if [ -x "$candidate" ]; then clang=$candidate; fi
  done
fi
if [ -z "$clang" ]; then
  echo "SKIPPED: no clang++ (set CLANGXX to use one)"
  exit 77
fi
if ! command -v "$clang" >/dev/null; then
  echo "CLANGXX=$clang: not found" >&2
  exit 2
fi

"$clang" --version | head -n 1
for file in direct_conv.cpp direct_conv_avx2.cpp direct_conv_avx512.cpp \
  direct_conv_avx512bf16.cpp isa_targets.cpp max_pool.cpp; do
  echo "$file"
  "$clang" -std=c++20 -O0 -Wall -Wextra -Wpedantic -Werror -c "$src/$file" -o /dev/null
done
