// What the AVX-512 by-channel kernels in fp32 (direct_conv_avx512.cpp) and bf16
// (direct_conv_avx512bf16.cpp) share: the end of a block, where the accumulators of OB groups of
// 16 output channels at PB positions get the PReLU and go to the channels' planes. Both kernels'
// targets include this one's, so it inlines into either.
#pragma once

#include <algorithm>
#include <cstddef>

#include "direct_conv_kernels.hpp"

#if MTCNN_X86_PATHS
#include <immintrin.h>

namespace mtcnn::detail::conv_kernels::avx512 {

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
