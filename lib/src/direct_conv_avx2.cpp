// The direct convolution's AVX2 + FMA kernels: the AVX-512 scheme with 8 lanes and 16 registers.
// No mask registers: partial loads and stores use vmaskmovps, which is slow on AMD, so whole
// vectors inside one row take plain stores. The tiling drivers repeat the AVX-512 ones: a
// driver carries its path's target attribute, and only a block of that same target can be
// inlined into it.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "direct_conv_kernels.hpp"

#if MTCNN_X86_PATHS
#include <immintrin.h>

namespace mtcnn::detail::conv_kernels::avx2 {
namespace {

constexpr int kLanes = 8;
constexpr int kMaxBlock = 4;  // 4 x 3 accumulators + 3 inputs + 1 weight = 16 registers

constexpr int vectors_for(int ocb) { return std::min(6, 12 / ocb); }

// Lanes [first, end) set.
MTCNN_TARGET_AVX2 inline __m256i lane_mask(int first, int end) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(end), idx),
                          _mm256_cmpgt_epi32(idx, _mm256_set1_epi32(first - 1)));
}

template <int K, int OCB, int NB, bool Masked>
MTCNN_TARGET_AVX2 inline __attribute__((always_inline)) void block(const Shape& s, int oc0, int p,
                                                                   int limit) {
  const int k = K > 0 ? K : s.k;
  const int taps = k * k;
  const std::ptrdiff_t wstride = static_cast<std::ptrdiff_t>(s.channels) * taps;
  const float* wbase = s.weights + oc0 * wstride;
  __m256 acc[OCB][NB];
  for (int o = 0; o < OCB; ++o) {
    const __m256 b = _mm256_set1_ps(s.bias[oc0 + o]);
    for (int j = 0; j < NB; ++j) acc[o][j] = b;
  }
  __m256i mask[NB];
  for (int j = 0; j < NB; ++j) mask[j] = lane_mask(0, limit - p - j * kLanes);
  for (int c = 0; c < s.channels; ++c) {
    const float* ic = s.in + static_cast<std::ptrdiff_t>(c) * s.in_plane + p;
    const float* wc = wbase + c * taps;
    for (int ky = 0; ky < k; ++ky) {
      for (int kx = 0; kx < k; ++kx) {
        const float* ip = ic + ky * s.width + kx;
        const float* wp = wc + ky * k + kx;
        __m256 x[NB];
        for (int j = 0; j < NB; ++j) {
          x[j] = Masked ? _mm256_maskload_ps(ip + j * kLanes, mask[j])
                        : _mm256_loadu_ps(ip + j * kLanes);
        }
        for (int o = 0; o < OCB; ++o) {
          const __m256 wv = _mm256_broadcast_ss(wp + o * wstride);
          for (int j = 0; j < NB; ++j) acc[o][j] = _mm256_fmadd_ps(x[j], wv, acc[o][j]);
        }
      }
    }
  }
  if (s.slopes != nullptr) {
    const __m256 zero = _mm256_setzero_ps();
    for (int o = 0; o < OCB; ++o) {
      const __m256 a = _mm256_set1_ps(s.slopes[oc0 + o]);
      for (int j = 0; j < NB; ++j) {
        const __m256 neg = _mm256_cmp_ps(acc[o][j], zero, _CMP_LT_OQ);
        acc[o][j] = _mm256_blendv_ps(acc[o][j], _mm256_mul_ps(acc[o][j], a), neg);
      }
    }
  }
  float* out = s.out + static_cast<std::ptrdiff_t>(oc0) * s.out_plane;
  for (int j = 0; j < NB; ++j) {
    const int pj = p + j * kLanes;
    const int lanes = std::min(kLanes, limit - pj);
    if (lanes <= 0) break;
    for_each_row(s, pj, lanes, [&](int offset, int first, int end) MTCNN_TARGET_AVX2 {
      if (first == 0 && end == kLanes) {
        for (int o = 0; o < OCB; ++o) {
          _mm256_storeu_ps(out + offset + static_cast<std::ptrdiff_t>(o) * s.out_plane, acc[o][j]);
        }
        return;
      }
      const __m256i m = lane_mask(first, end);
      // Masked-off lanes may lie outside the output; address them as integers.
      const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(out + offset);
      for (int o = 0; o < OCB; ++o) {
        const std::uintptr_t at = base + static_cast<std::uintptr_t>(o) * s.out_plane * 4;
        _mm256_maskstore_ps(reinterpret_cast<float*>(at), m, acc[o][j]);
      }
    });
  }
}

template <int K, int OCB, int NB>
MTCNN_TARGET_AVX2 void partial_block(const Shape& s, int oc0, int p, int limit) {
  if constexpr (NB > 1) {
    if (limit - p <= (NB - 1) * kLanes) return partial_block<K, OCB, NB - 1>(s, oc0, p, limit);
  }
  block<K, OCB, NB, true>(s, oc0, p, limit);
}

template <int K, int OCB>
MTCNN_TARGET_AVX2 void run_block(const Shape& s, int oc0, int begin, int end) {
  constexpr int NB = vectors_for(OCB);
  int p = begin;
  for (; p + NB * kLanes <= end; p += NB * kLanes) block<K, OCB, NB, false>(s, oc0, p, end);
  if (p < end) partial_block<K, OCB, NB>(s, oc0, p, end);
}

template <int K>
MTCNN_TARGET_AVX2 void run_channels(const Shape& s, int ocb, int oc0, int begin, int end) {
  switch (ocb) {
    case 1:
      return run_block<K, 1>(s, oc0, begin, end);
    case 2:
      return run_block<K, 2>(s, oc0, begin, end);
    case 3:
      return run_block<K, 3>(s, oc0, begin, end);
    default:
      return run_block<K, 4>(s, oc0, begin, end);
  }
}

}  // namespace

MTCNN_TARGET_AVX2 void by_positions(const Shape& s) {
  const int ocb = channel_block(s.out_channels, kMaxBlock);
  const int tile = tile_length(s, 96);  // 96: a multiple of every block's NB * kLanes
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

// Vectorised over output channels as avx512::by_channel, each vector holding one 8-channel half
// of a by_tap group of 16.
namespace by_channel {

// 2 halves x 6 positions: 12 accumulators + 2 weights + 1 broadcast input of the 16 registers.
// 3 x 4 fits too but measured slower (fewer positions share each weight load).
constexpr int kMaxHalves = 2;

constexpr int positions_for(int halves) { return halves == 1 ? 8 : 6; }

// OB halves from h0, PB consecutive output positions from q.
template <int OB, int PB>
MTCNN_TARGET_AVX2 void block(const Shape& s, const PackedConv& l, const int* tap_offset, int h0,
                             int q) {
  const int taps = s.channels * s.k * s.k;
  const float* src[PB];
  for (int i = 0; i < PB; ++i) {
    const int y = (q + i) / s.wo;
    src[i] = s.in + y * s.width + (q + i - y * s.wo);
  }
  const float* wh[OB];
  __m256 acc[OB][PB];
  for (int h = 0; h < OB; ++h) {
    const int c0 = (h0 + h) * 8;
    wh[h] = l.by_tap.data() + static_cast<std::ptrdiff_t>(c0 / 16) * taps * 16 + c0 % 16;
    const __m256 b = _mm256_loadu_ps(l.bias16.data() + c0);
    for (int i = 0; i < PB; ++i) acc[h][i] = b;
  }
  for (int t = 0; t < taps; ++t) {
    const int d = tap_offset[t];
    __m256 w[OB];
    for (int h = 0; h < OB; ++h) w[h] = _mm256_loadu_ps(wh[h] + t * 16);
    for (int i = 0; i < PB; ++i) {
      const __m256 x = _mm256_broadcast_ss(src[i] + d);
      for (int h = 0; h < OB; ++h) acc[h][i] = _mm256_fmadd_ps(w[h], x, acc[h][i]);
    }
  }
  // Fully unrolled, or GCC keeps acc in memory (stored back on every tap).
  alignas(32) float tmp[OB][PB][8];
#pragma GCC unroll 16
  for (int h = 0; h < OB; ++h) {
    const __m256 a = _mm256_loadu_ps(l.slopes16.data() + (h0 + h) * 8);
#pragma GCC unroll 16
    for (int i = 0; i < PB; ++i) {
      __m256 v = acc[h][i];
      if (l.has_slopes) {
        const __m256 neg = _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_LT_OQ);
        v = _mm256_blendv_ps(v, _mm256_mul_ps(v, a), neg);
      }
      _mm256_store_ps(tmp[h][i], v);
    }
  }
  for (int h = 0; h < OB; ++h) {
    const int c0 = (h0 + h) * 8;
    const int channels = std::min(8, s.out_channels - c0);
    for (int o = 0; o < channels; ++o) {
      float* out = s.out + static_cast<std::ptrdiff_t>(c0 + o) * s.out_plane + q;
      for (int i = 0; i < PB; ++i) out[i] = tmp[h][i][o];
    }
  }
}

// A block of n <= PB positions.
template <int OB, int PB>
MTCNN_TARGET_AVX2 void block_upto(const Shape& s, const PackedConv& l, const int* tap_offset,
                                  int h0, int q, int n) {
  if constexpr (PB > 1) {
    if (n < PB) return block_upto<OB, PB - 1>(s, l, tap_offset, h0, q, n);
  }
  block<OB, PB>(s, l, tap_offset, h0, q);
}

// Blocks of even sizes: a short last block would have too few accumulators to hide the FMA
// latency.
template <int OB>
MTCNN_TARGET_AVX2 void run_halves(const Shape& s, const PackedConv& l, const int* tap_offset,
                                  int h0) {
  constexpr int PB = positions_for(OB);
  const int blocks = (s.out_plane + PB - 1) / PB;
  for (int b = 0, q = 0; b < blocks; ++b) {
    const int n = (s.out_plane - q + blocks - b - 1) / (blocks - b);
    if (n == PB) {
      block<OB, PB>(s, l, tap_offset, h0, q);
    } else {
      block_upto<OB, PB>(s, l, tap_offset, h0, q, n);
    }
    q += n;
  }
}

}  // namespace by_channel
}  // namespace

MTCNN_TARGET_AVX2 void by_channels(const Shape& s, const PackedConv& l) {
  const std::vector<int> offsets = tap_offsets(s);
  const int* tap_offset = offsets.data();
  const int halves = (s.out_channels + 7) / 8;
  const int ob = channel_block(halves, by_channel::kMaxHalves);
  for (int h0 = 0; h0 < halves; h0 += ob) {
    switch (std::min(ob, halves - h0)) {
      case 1:
        by_channel::run_halves<1>(s, l, tap_offset, h0);
        break;
      default:
        by_channel::run_halves<2>(s, l, tap_offset, h0);
        break;
    }
  }
}

}  // namespace mtcnn::detail::conv_kernels::avx2
#endif  // MTCNN_X86_PATHS
