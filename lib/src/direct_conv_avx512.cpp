// The direct convolution's AVX-512 kernels: 16 lanes, 32 registers, mask registers for the
// partial vectors at row ends.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "direct_conv_avx512_blocks.hpp"
#include "direct_conv_kernels.hpp"

#if MTCNN_X86_PATHS
#include <immintrin.h>

namespace mtcnn::detail::conv_kernels::avx512 {
namespace {

constexpr int kLanes = 16;
constexpr int kMaxBlock = 8;  // output channels per block; 8 x 3 vectors of accumulators

constexpr int vectors_for(int ocb) { return std::min(8, 24 / ocb); }

// One block: OCB output channels x NB vectors of positions from p. Masked: lanes at or past
// `limit` are neither read nor written (the tile's last, partial block).
template <int K, int OCB, int NB, bool Masked>
MTCNN_TARGET_AVX512 inline __attribute__((always_inline)) void block(const Shape& s, int oc0, int p,
                                                                     int limit) {
  const int k = K > 0 ? K : s.k;
  const int taps = k * k;
  const std::ptrdiff_t wstride = static_cast<std::ptrdiff_t>(s.channels) * taps;
  const float* wbase = s.weights + oc0 * wstride;
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
  for (int c = 0; c < s.channels; ++c) {
    const float* ic = s.in + static_cast<std::ptrdiff_t>(c) * s.in_plane + p;
    const float* wc = wbase + c * taps;
    for (int ky = 0; ky < k; ++ky) {
      for (int kx = 0; kx < k; ++kx) {
        const float* ip = ic + ky * s.width + kx;
        const float* wp = wc + ky * k + kx;
        __m512 x[NB];
        for (int j = 0; j < NB; ++j) {
          x[j] = Masked ? _mm512_maskz_loadu_ps(mask[j], ip + j * kLanes)
                        : _mm512_loadu_ps(ip + j * kLanes);
        }
        for (int o = 0; o < OCB; ++o) {
          const __m512 wv = _mm512_set1_ps(wp[o * wstride]);
          for (int j = 0; j < NB; ++j) acc[o][j] = _mm512_fmadd_ps(x[j], wv, acc[o][j]);
        }
      }
    }
  }
  store_position_block<OCB, NB>(s, acc, oc0, p, limit);
}

// The last, partial block of a tile: as few vectors as it needs.
template <int K, int OCB, int NB>
MTCNN_TARGET_AVX512 void partial_block(const Shape& s, int oc0, int p, int limit) {
  if constexpr (NB > 1) {
    if (limit - p <= (NB - 1) * kLanes) return partial_block<K, OCB, NB - 1>(s, oc0, p, limit);
  }
  block<K, OCB, NB, true>(s, oc0, p, limit);
}

template <int K, int OCB>
MTCNN_TARGET_AVX512 void run_block(const Shape& s, int oc0, int begin, int end) {
  constexpr int NB = vectors_for(OCB);
  int p = begin;
  for (; p + NB * kLanes <= end; p += NB * kLanes) block<K, OCB, NB, false>(s, oc0, p, end);
  if (p < end) partial_block<K, OCB, NB>(s, oc0, p, end);
}

template <int K>
MTCNN_TARGET_AVX512 void run_channels(const Shape& s, int ocb, int oc0, int begin, int end) {
  switch (ocb) {
    case 1:
      return run_block<K, 1>(s, oc0, begin, end);
    case 2:
      return run_block<K, 2>(s, oc0, begin, end);
    case 3:
      return run_block<K, 3>(s, oc0, begin, end);
    case 4:
      return run_block<K, 4>(s, oc0, begin, end);
    case 5:
      return run_block<K, 5>(s, oc0, begin, end);
    case 6:
      return run_block<K, 6>(s, oc0, begin, end);
    case 7:
      return run_block<K, 7>(s, oc0, begin, end);
    default:
      return run_block<K, 8>(s, oc0, begin, end);
  }
}

}  // namespace

MTCNN_TARGET_AVX512 void by_positions(const Shape& s) {
  const int ocb = channel_block(s.out_channels, kMaxBlock);
  const int tile = tile_length(s, 384);  // 384: a multiple of every block's NB * kLanes
  for (int begin = 0; begin < s.np; begin += tile) {
    const int end = std::min(s.np, begin + tile);
    for (int oc0 = 0; oc0 < s.out_channels; oc0 += ocb) {
      const int n = std::min(ocb, s.out_channels - oc0);
      switch (s.k) {
        case 2:
          run_channels<2>(s, n, oc0, begin, end);
          break;
        case 3:
          run_channels<3>(s, n, oc0, begin, end);
          break;
        default:
          run_channels<0>(s, n, oc0, begin, end);
          break;
      }
    }
  }
}

namespace {

// Vectorised over output channels: 16 channels per vector, one broadcast input value per
// position and tap, so only valid positions are computed, however small the plane. Needs the
// weights regrouped by tap (PackedConv::by_tap).
namespace by_channel {

constexpr int kMaxGroups = 4;  // 4 groups x 6 positions of accumulators

constexpr int positions_for(int groups) { return std::min(16, 24 / groups); }

// OB groups of 16 channels from g0, PB consecutive output positions from q.
template <int OB, int PB>
MTCNN_TARGET_AVX512 void block(const Shape& s, const PackedConv& l, const int* tap_offset, int g0,
                               int q) {
  const int taps = s.channels * s.k * s.k;
  const float* src[PB];
  for (int i = 0; i < PB; ++i) {
    const int y = (q + i) / s.wo;
    src[i] = s.in + y * s.width + (q + i - y * s.wo);
  }
  const float* wg[OB];
  __m512 acc[OB][PB];
  for (int g = 0; g < OB; ++g) {
    wg[g] = l.by_tap.data() + static_cast<std::ptrdiff_t>(g0 + g) * taps * 16;
    const __m512 b = _mm512_loadu_ps(l.bias16.data() + (g0 + g) * 16);
    for (int i = 0; i < PB; ++i) acc[g][i] = b;
  }
  for (int t = 0; t < taps; ++t) {
    const int d = tap_offset[t];
    __m512 w[OB];
    for (int g = 0; g < OB; ++g) w[g] = _mm512_loadu_ps(wg[g] + t * 16);
    for (int i = 0; i < PB; ++i) {
      const __m512 x = _mm512_set1_ps(src[i][d]);
      for (int g = 0; g < OB; ++g) acc[g][i] = _mm512_fmadd_ps(w[g], x, acc[g][i]);
    }
  }
  store_channel_block<OB, PB>(s, l, acc, g0, q);
}

template <int OB, int PB>
MTCNN_TARGET_AVX512 void partial_block(const Shape& s, const PackedConv& l, const int* tap_offset,
                                       int g0, int q, int n) {
  if constexpr (PB > 1) {
    if (n < PB) return partial_block<OB, PB - 1>(s, l, tap_offset, g0, q, n);
  }
  block<OB, PB>(s, l, tap_offset, g0, q);
}

template <int OB>
MTCNN_TARGET_AVX512 void run_groups(const Shape& s, const PackedConv& l, const int* tap_offset,
                                    int g0) {
  constexpr int PB = positions_for(OB);
  int q = 0;
  for (; q + PB <= s.out_plane; q += PB) block<OB, PB>(s, l, tap_offset, g0, q);
  if (q < s.out_plane) partial_block<OB, PB>(s, l, tap_offset, g0, q, s.out_plane - q);
}

}  // namespace by_channel
}  // namespace

MTCNN_TARGET_AVX512 void by_channels(const Shape& s, const PackedConv& l) {
  const std::vector<int> tap_offset = tap_offsets(s);
  const int groups = (s.out_channels + 15) / 16;
  const int ob = channel_block(groups, by_channel::kMaxGroups);
  for (int g0 = 0; g0 < groups; g0 += ob) {
    switch (std::min(ob, groups - g0)) {
      case 1:
        by_channel::run_groups<1>(s, l, tap_offset.data(), g0);
        break;
      case 2:
        by_channel::run_groups<2>(s, l, tap_offset.data(), g0);
        break;
      case 3:
        by_channel::run_groups<3>(s, l, tap_offset.data(), g0);
        break;
      default:
        by_channel::run_groups<4>(s, l, tap_offset.data(), g0);
        break;
    }
  }
}

}  // namespace mtcnn::detail::conv_kernels::avx512
#endif  // MTCNN_X86_PATHS
