// What direct_conv.cpp shares with its vector kernels, one file per instruction set
// (direct_conv_avx512.cpp, direct_conv_avx2.cpp): a layer's shape, the tiling helpers, and each
// kernel's entry points.
#pragma once

#include <algorithm>
#include <vector>

#include "direct_conv.hpp"
#include "isa_targets.hpp"

// How the vector paths work: output pixel p = y * width + x is computed on the "full-width" grid
// (x over the whole input width), so the input of tap (c, ky, kx) for consecutive p is one
// contiguous run at in[c] + p + ky * width + kx: one unaligned load per tap and vector, shared
// by a block of output channels whose weights are broadcast. Only p < (ho - 1) * width + wo is
// computed (nothing past the input is read) and the k - 1 garbage columns of each row are
// dropped by masked stores, one per output row a vector touches.

namespace mtcnn::detail::conv_kernels {

struct Shape {
  const float* in;
  const float* weights;
  const float* bias;
  const float* slopes;
  float* out;
  int channels, width, k, out_channels;
  int wo;        // output width
  int in_plane;  // floats per input plane
  int out_plane;
  int np;  // full-width positions computed: (ho - 1) * width + wo
};

// Output-channel blocks as even as possible, at most max_block each (8 channels of 10 then 2
// would waste most of the second block's registers).
inline int channel_block(int out_channels, int max_block) {
  const int blocks = (out_channels + max_block - 1) / max_block;
  return (out_channels + blocks - 1) / blocks;
}

// Positions per tile: the input a tile reads for all channels stays about L1-sized, so it is
// reused from L1 by every output-channel block. A multiple of `quantum` (whole vector blocks).
inline int tile_length(const Shape& s, int quantum) {
  const int budget = 6144 / s.channels - (s.k - 1) * s.width;  // ~24 KB of floats
  return std::max(quantum, budget / quantum * quantum);
}

// For the by-channel schemes: where tap (c, ky, kx) reads, relative to the output position's
// input pixel.
std::vector<int> tap_offsets(const Shape& s);

// Calls f(offset, first, end) for each output row that lanes [0, lanes) of the vector starting
// at position p touch: lanes [first, end) are valid there and lane i goes to out[offset + i].
template <class F>
inline __attribute__((always_inline)) void for_each_row(const Shape& s, int p, int lanes, F f) {
  int y = p / s.width;
  int row_start = y * s.width - p;  // lane of x = 0 in row y (<= 0 for the first row)
  while (row_start < lanes) {
    const int first = std::max(0, row_start);
    const int end = std::min(lanes, row_start + s.wo);
    if (first < end) f(p - y * (s.k - 1), first, end);
    ++y;
    row_start += s.width;
  }
}

#if MTCNN_X86_PATHS
// Each kernel vectorised over positions of the full-width grid, or over output channels with
// the weights regrouped by tap (PackedConv::by_tap). Callable only where cpu_has_features() says
// the CPU has the kernel's extensions.
namespace avx512 {
MTCNN_TARGET_AVX512 void by_positions(const Shape& s);
MTCNN_TARGET_AVX512 void by_channels(const Shape& s, const PackedConv& layer);
}  // namespace avx512

namespace avx2 {
MTCNN_TARGET_AVX2 void by_positions(const Shape& s);
MTCNN_TARGET_AVX2 void by_channels(const Shape& s, const PackedConv& layer);
}  // namespace avx2

// The bf16 kernels: the input is rounded to bf16 once per call, channel pairs interleaved per
// pixel, and each vdpbf16ps takes a tap of two channels (PackedConv::pair_oihw, pair_by_tap).
namespace avx512bf16 {
MTCNN_TARGET_AVX512BF16 void by_positions(const Shape& s, const PackedConv& layer);
MTCNN_TARGET_AVX512BF16 void by_channels(const Shape& s, const PackedConv& layer);
}  // namespace avx512bf16
#endif

}  // namespace mtcnn::detail::conv_kernels
