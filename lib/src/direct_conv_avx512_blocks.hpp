// What the AVX-512 kernels in fp32 (direct_conv_avx512.cpp) and bf16 (direct_conv_avx512bf16.cpp)
// share: the end of a block, where the accumulators get the PReLU and go to the output planes,
// for the by-position and the by-channel schemes. Both kernels' targets include this one's, so
// these inline into either.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "direct_conv_kernels.hpp"

#if MTCNN_X86_PATHS
#include <immintrin.h>

namespace mtcnn::detail::conv_kernels::avx512 {

// acc[o][j]: channel oc0 + o at the 16 full-width positions from p + 16 j; lanes at or past
// `limit` are not written.
template <int OCB, int NB>
MTCNN_TARGET_AVX512 inline __attribute__((always_inline)) void store_position_block(
    const Shape& s, __m512 (&acc)[OCB][NB], int oc0, int p, int limit) {
  constexpr int kLanes = 16;
  if (s.slopes != nullptr) {
    const __m512 zero = _mm512_setzero_ps();
    for (int o = 0; o < OCB; ++o) {
      const __m512 a = _mm512_set1_ps(s.slopes[oc0 + o]);
      for (int j = 0; j < NB; ++j) {
        const __mmask16 neg = _mm512_cmp_ps_mask(acc[o][j], zero, _CMP_LT_OQ);
        acc[o][j] = _mm512_mask_mul_ps(acc[o][j], neg, acc[o][j], a);
      }
    }
  }
  float* out = s.out + static_cast<std::ptrdiff_t>(oc0) * s.out_plane;
  for (int j = 0; j < NB; ++j) {
    const int pj = p + j * kLanes;
    const int lanes = std::min(kLanes, limit - pj);
    if (lanes <= 0) break;
    for_each_row(s, pj, lanes, [&](int offset, int first, int end) MTCNN_TARGET_AVX512 {
      const auto m = static_cast<__mmask16>((1u << end) - (1u << first));
      // Masked-off lanes may lie outside the output; address them as integers.
      const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(out + offset);
      for (int o = 0; o < OCB; ++o) {
        const std::uintptr_t at = base + static_cast<std::uintptr_t>(o) * s.out_plane * 4;
        _mm512_mask_storeu_ps(reinterpret_cast<void*>(at), m, acc[o][j]);
      }
    });
  }
}

// acc[g][i]: channels (g0 + g) * 16 ... + 15 at output position q + i.
template <int OB, int PB>
MTCNN_TARGET_AVX512 inline __attribute__((always_inline)) void store_channel_block(
    const Shape& s, const PackedConv& l, __m512 (&acc)[OB][PB], int g0, int q) {
  // The accumulators leave through fully unrolled loops before the scatter: were one indexed by
  // a loop variable, Clang would keep them all in memory (stored back on every tap).
  alignas(64) float tmp[OB][PB][16];
#pragma GCC unroll 16
  for (int g = 0; g < OB; ++g) {
    const __m512 a = _mm512_loadu_ps(l.slopes16.data() + (g0 + g) * 16);
#pragma GCC unroll 16
    for (int i = 0; i < PB; ++i) {
      __m512 v = acc[g][i];
      if (l.has_slopes) {
        const __mmask16 neg = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ);
        v = _mm512_mask_mul_ps(v, neg, v, a);
      }
      _mm512_store_ps(tmp[g][i], v);
    }
  }
  for (int g = 0; g < OB; ++g) {
    const int channels = std::min(16, s.out_channels - (g0 + g) * 16);
    for (int o = 0; o < channels; ++o) {
      float* out = s.out + static_cast<std::ptrdiff_t>((g0 + g) * 16 + o) * s.out_plane + q;
      for (int i = 0; i < PB; ++i) out[i] = tmp[g][i][o];
    }
  }
}

}  // namespace mtcnn::detail::conv_kernels::avx512
#endif
