// The direct convolution's AVX512_BF16 kernels. vdpbf16ps multiplies 32 pairs of bf16 values
// and adds each lane's two products to one of 16 fp32 accumulators: twice the multiply-adds of
// an fp32 FMA per instruction. Both schemes of direct_conv_avx512.cpp, with the input channels
// taken two at a time: the input is rounded to bf16 once per call into planes of dwords, one per
// channel pair (channel 2j in the low half, 2j + 1 in the high half), so that a tap of two
// channels is one dword per pixel, and the weights are packed the same way (PackedConv::pair_oihw,
// pair_by_tap). An odd last channel gets a plane of its own pixels paired with their right
// neighbours, (x, x + 1), which serves taps kx and kx + 1 at once: k * ceil(k / 2) products of two
// instead of k * k with a zero channel (6 instead of 9 for the first layers' third channel).
// Bias and PReLU stay fp32.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "direct_conv_avx512_blocks.hpp"
#include "direct_conv_kernels.hpp"

#if MTCNN_X86_PATHS
#include <immintrin.h>

namespace mtcnn::detail::conv_kernels::avx512bf16 {
namespace {

constexpr int kLanes = 16;
constexpr int kMaxBlock = 8;  // output channels per block; 8 x 3 vectors of accumulators

constexpr int vectors_for(int ocb) { return std::min(8, 24 / ocb); }

int pair_count(const Shape& s) { return (s.channels + 1) / 2; }

// The input as bf16 channel pairs (and the odd last channel's neighbour pairs), in a buffer of this
// thread's that only grows (a buffer allocated per call would be paged in on every call: megabytes
// for P-Net's large levels).
MTCNN_TARGET_AVX512BF16 const std::uint32_t* to_pairs(const Shape& s) {
  thread_local std::vector<std::uint32_t> buffer;
  const int pairs = pair_count(s);
  const std::size_t size = static_cast<std::size_t>(pairs) * s.in_plane;
  if (buffer.size() < size) buffer.resize(size);
  // vcvtne2ps2bf16 gives the 16 low channel's values then the 16 high channel's; vpermw
  // interleaves them, low then high of each pixel.
  alignas(64) static constexpr std::uint16_t kInterleave[32] = {
      0, 16, 1, 17, 2,  18, 3,  19, 4,  20, 5,  21, 6,  22, 7,  23,
      8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};
  const __m512i interleave = _mm512_load_si512(kInterleave);
  for (int j = 0; j < pairs; ++j) {
    const float* low = s.in + static_cast<std::ptrdiff_t>(2 * j) * s.in_plane;
    // The next channel, or for the odd last one its next pixel (the plane's last has none: 0).
    const bool neighbours = 2 * j + 1 == s.channels;
    const float* high = neighbours ? low + 1 : low + s.in_plane;
    const int high_end = neighbours ? s.in_plane - 1 : s.in_plane;
    std::uint32_t* out = buffer.data() + static_cast<std::ptrdiff_t>(j) * s.in_plane;
    for (int p = 0; p < s.in_plane; p += kLanes) {
      const auto m = static_cast<__mmask16>((1u << std::min(kLanes, s.in_plane - p)) - 1);
      const auto mh = static_cast<__mmask16>((1u << std::clamp(high_end - p, 0, kLanes)) - 1);
      const __m512 a = _mm512_maskz_loadu_ps(m, low + p);
      const __m512 b = _mm512_maskz_loadu_ps(mh, high + p);
      const __m512i both = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(b, a));
      _mm512_mask_storeu_epi32(out + p, m, _mm512_permutexvar_epi16(interleave, both));
    }
  }
  return buffer.data();
}

// What a by-position block reads: the input's channel pairs and the weights as pair_oihw.
struct Pairs {
  const std::uint32_t* in;
  const std::uint32_t* weights;
  int whole;  // channel pairs; the odd last channel's plane follows them when `odd`
  bool odd;
};

// One pair tap of a block: NB vectors of input dwords from ip, times the weight dwords of OCB
// output channels from wp (wstride apart).
template <int OCB, int NB, bool Masked>
MTCNN_TARGET_AVX512BF16 inline __attribute__((always_inline)) void step(__m512 (&acc)[OCB][NB],
                                                                        const __mmask16 (&mask)[NB],
                                                                        const std::uint32_t* ip,
                                                                        const std::uint32_t* wp,
                                                                        std::ptrdiff_t wstride) {
  __m512bh x[NB];
  for (int j = 0; j < NB; ++j) {
    x[j] = reinterpret_cast<__m512bh>(Masked ? _mm512_maskz_loadu_epi32(mask[j], ip + j * kLanes)
                                             : _mm512_loadu_si512(ip + j * kLanes));
  }
  for (int o = 0; o < OCB; ++o) {
    const __m512bh wv =
        reinterpret_cast<__m512bh>(_mm512_set1_epi32(static_cast<int>(wp[o * wstride])));
    for (int j = 0; j < NB; ++j) acc[o][j] = _mm512_dpbf16_ps(acc[o][j], x[j], wv);
  }
}

// One block: OCB output channels x NB vectors of positions from p. Masked: lanes at or past
// `limit` are neither read nor written (the tile's last, partial block).
template <int K, int OCB, int NB, bool Masked>
MTCNN_TARGET_AVX512BF16 inline __attribute__((always_inline)) void block(const Shape& s,
                                                                         const Pairs& x_in, int oc0,
                                                                         int p, int limit) {
  const int k = K > 0 ? K : s.k;
  const int taps = k * k;
  const int half = (k + 1) / 2;  // neighbour pairs per row of the odd channel
  const std::ptrdiff_t wstride = bf16_pair_taps(s.channels, k);
  const std::uint32_t* wbase = x_in.weights + oc0 * wstride;
  __m512 acc[OCB][NB];
  for (int o = 0; o < OCB; ++o) {
    const __m512 b = _mm512_set1_ps(s.bias[oc0 + o]);
    for (int j = 0; j < NB; ++j) acc[o][j] = b;
  }
  __mmask16 mask[NB];
  for (int j = 0; j < NB; ++j) {
    const int n = std::clamp(limit - p - j * kLanes, 0, kLanes);
    mask[j] = static_cast<__mmask16>((1u << n) - 1);
  }
  for (int c = 0; c < x_in.whole; ++c) {
    const std::uint32_t* ic = x_in.in + static_cast<std::ptrdiff_t>(c) * s.in_plane + p;
    const std::uint32_t* wc = wbase + c * taps;
    for (int ky = 0; ky < k; ++ky) {
      for (int kx = 0; kx < k; ++kx) {
        step<OCB, NB, Masked>(acc, mask, ic + ky * s.width + kx, wc + ky * k + kx, wstride);
      }
    }
  }
  if (x_in.odd) {
    const std::uint32_t* ic = x_in.in + static_cast<std::ptrdiff_t>(x_in.whole) * s.in_plane + p;
    const std::uint32_t* wc = wbase + x_in.whole * taps;
    for (int ky = 0; ky < k; ++ky) {
      for (int h = 0; h < half; ++h) {
        step<OCB, NB, Masked>(acc, mask, ic + ky * s.width + 2 * h, wc + ky * half + h, wstride);
      }
    }
  }
  avx512::store_position_block<OCB, NB>(s, acc, oc0, p, limit);
}

// The last, partial block of a tile: as few vectors as it needs.
template <int K, int OCB, int NB>
MTCNN_TARGET_AVX512BF16 void partial_block(const Shape& s, const Pairs& x_in, int oc0, int p,
                                           int limit) {
  if constexpr (NB > 1) {
    if (limit - p <= (NB - 1) * kLanes)
      return partial_block<K, OCB, NB - 1>(s, x_in, oc0, p, limit);
  }
  block<K, OCB, NB, true>(s, x_in, oc0, p, limit);
}

template <int K, int OCB>
MTCNN_TARGET_AVX512BF16 void run_block(const Shape& s, const Pairs& x_in, int oc0, int begin,
                                       int end) {
  constexpr int NB = vectors_for(OCB);
  int p = begin;
  for (; p + NB * kLanes <= end; p += NB * kLanes) block<K, OCB, NB, false>(s, x_in, oc0, p, end);
  if (p < end) partial_block<K, OCB, NB>(s, x_in, oc0, p, end);
}

template <int K>
MTCNN_TARGET_AVX512BF16 void run_channels(const Shape& s, const Pairs& x_in, int ocb, int oc0,
                                          int begin, int end) {
  switch (ocb) {
    case 1:
      return run_block<K, 1>(s, x_in, oc0, begin, end);
    case 2:
      return run_block<K, 2>(s, x_in, oc0, begin, end);
    case 3:
      return run_block<K, 3>(s, x_in, oc0, begin, end);
    case 4:
      return run_block<K, 4>(s, x_in, oc0, begin, end);
    case 5:
      return run_block<K, 5>(s, x_in, oc0, begin, end);
    case 6:
      return run_block<K, 6>(s, x_in, oc0, begin, end);
    case 7:
      return run_block<K, 7>(s, x_in, oc0, begin, end);
    default:
      return run_block<K, 8>(s, x_in, oc0, begin, end);
  }
}

}  // namespace

MTCNN_TARGET_AVX512BF16 void by_positions(const Shape& s, const PackedConv& l) {
  const Pairs x_in{to_pairs(s), l.pair_oihw.data(), s.channels / 2, s.channels % 2 == 1};
  const int ocb = channel_block(s.out_channels, kMaxBlock);
  // Positions per tile: the tile's input, 4 bytes per pair and position, about 24 KB (L1).
  constexpr int kQuantum = 384;  // a multiple of every block's NB * kLanes
  const int budget = 6144 / pair_count(s) - (s.k - 1) * s.width;
  const int tile = std::max(kQuantum, budget / kQuantum * kQuantum);
  for (int begin = 0; begin < s.np; begin += tile) {
    const int end = std::min(s.np, begin + tile);
    for (int oc0 = 0; oc0 < s.out_channels; oc0 += ocb) {
      const int n = std::min(ocb, s.out_channels - oc0);
      switch (s.k) {
        case 2:
          run_channels<2>(s, x_in, n, oc0, begin, end);
          break;
        case 3:
          run_channels<3>(s, x_in, n, oc0, begin, end);
          break;
        default:
          run_channels<0>(s, x_in, n, oc0, begin, end);
          break;
      }
    }
  }
}

namespace {

// Vectorised over output channels: 16 channels per vector, one broadcast dword (a channel pair
// of one pixel) per position and pair tap. Needs PackedConv::pair_by_tap.
namespace by_channel {

constexpr int kMaxGroups = 4;  // 4 groups x 6 positions of accumulators

constexpr int positions_for(int groups) { return std::min(16, 24 / groups); }

// OB groups of 16 channels from g0, PB consecutive output positions from q.
template <int OB, int PB>
MTCNN_TARGET_AVX512BF16 void block(const Shape& s, const PackedConv& l, const std::uint32_t* in,
                                   const std::vector<int>& tap_offset, int g0, int q) {
  const int taps = static_cast<int>(tap_offset.size());
  const std::uint32_t* src[PB];
  for (int i = 0; i < PB; ++i) {
    const int y = (q + i) / s.wo;
    src[i] = in + y * s.width + (q + i - y * s.wo);
  }
  const std::uint32_t* wg[OB];
  __m512 acc[OB][PB];
  for (int g = 0; g < OB; ++g) {
    wg[g] = l.pair_by_tap.data() + static_cast<std::ptrdiff_t>(g0 + g) * taps * 16;
    const __m512 b = _mm512_loadu_ps(l.bias16.data() + (g0 + g) * 16);
    for (int i = 0; i < PB; ++i) acc[g][i] = b;
  }
  for (int t = 0; t < taps; ++t) {
    const int d = tap_offset[t];
    __m512bh w[OB];
    for (int g = 0; g < OB; ++g)
      w[g] = reinterpret_cast<__m512bh>(_mm512_loadu_si512(wg[g] + t * 16));
    for (int i = 0; i < PB; ++i) {
      const __m512bh x = reinterpret_cast<__m512bh>(_mm512_set1_epi32(static_cast<int>(src[i][d])));
      for (int g = 0; g < OB; ++g) acc[g][i] = _mm512_dpbf16_ps(acc[g][i], w[g], x);
    }
  }
  avx512::store_channel_block<OB, PB>(s, l, acc, g0, q);
}

template <int OB, int PB>
MTCNN_TARGET_AVX512BF16 void partial_block(const Shape& s, const PackedConv& l,
                                           const std::uint32_t* in,
                                           const std::vector<int>& tap_offset, int g0, int q,
                                           int n) {
  if constexpr (PB > 1) {
    if (n < PB) return partial_block<OB, PB - 1>(s, l, in, tap_offset, g0, q, n);
  }
  block<OB, PB>(s, l, in, tap_offset, g0, q);
}

template <int OB>
MTCNN_TARGET_AVX512BF16 void run_groups(const Shape& s, const PackedConv& l,
                                        const std::uint32_t* in, const std::vector<int>& tap_offset,
                                        int g0) {
  constexpr int PB = positions_for(OB);
  int q = 0;
  for (; q + PB <= s.out_plane; q += PB) block<OB, PB>(s, l, in, tap_offset, g0, q);
  if (q < s.out_plane) partial_block<OB, PB>(s, l, in, tap_offset, g0, q, s.out_plane - q);
}

}  // namespace by_channel
}  // namespace

MTCNN_TARGET_AVX512BF16 void by_channels(const Shape& s, const PackedConv& l) {
  const std::uint32_t* in = to_pairs(s);
  // Where each pair tap reads, in the order of PackedConv::pair_by_tap: the offsets of a layer of
  // as many channels as whole pairs, then the odd channel's plane at even kx.
  Shape pair_shape = s;
  pair_shape.channels = s.channels / 2;
  std::vector<int> tap_offset = tap_offsets(pair_shape);
  if (s.channels % 2 == 1) {
    for (int ky = 0; ky < s.k; ++ky) {
      for (int kx = 0; kx < s.k; kx += 2)
        tap_offset.push_back(s.channels / 2 * s.in_plane + ky * s.width + kx);
    }
  }
  const int groups = (s.out_channels + 15) / 16;
  const int ob = channel_block(groups, by_channel::kMaxGroups);
  for (int g0 = 0; g0 < groups; g0 += ob) {
    switch (std::min(ob, groups - g0)) {
      case 1:
        by_channel::run_groups<1>(s, l, in, tap_offset, g0);
        break;
      case 2:
        by_channel::run_groups<2>(s, l, in, tap_offset, g0);
        break;
      case 3:
        by_channel::run_groups<3>(s, l, in, tap_offset, g0);
        break;
      default:
        by_channel::run_groups<4>(s, l, in, tap_offset, g0);
        break;
    }
  }
}

}  // namespace mtcnn::detail::conv_kernels::avx512bf16
#endif  // MTCNN_X86_PATHS
