#include "direct_conv.hpp"

// The vector paths are x86-64 only; elsewhere only the plain C++ path is built (and the layers
// stay OpenCV's, see dnn_layers.cpp).
#if defined(__x86_64__) && defined(__GNUC__)
#define MTCNN_X86_PATHS 1
#include <immintrin.h>
#else
#define MTCNN_X86_PATHS 0
#endif

#include <algorithm>
#include <cstdint>
#include <stdexcept>

// How the SIMD paths work: output pixel p = y * width + x is computed on the "full-width" grid
// (x over the whole input width), so the input of tap (c, ky, kx) for consecutive p is one
// contiguous run at in[c] + p + ky * width + kx: one unaligned load per tap and vector, shared
// by a block of output channels whose weights are broadcast. Only p < (ho - 1) * width + wo is
// computed (nothing past the input is read) and the k - 1 garbage columns of each row are
// dropped by masked stores, one per output row a vector touches.

namespace mtcnn::detail {
namespace {

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

Shape make_shape(const float* input, int channels, int height, int width, const float* weights,
                 const float* bias, const float* slopes, int out_channels, int k, float* output) {
  if (channels < 1 || out_channels < 1 || k < 1 || height < k || width < k) {
    throw std::invalid_argument("conv2d_prelu: bad shape");
  }
  Shape s{input, weights, bias, slopes, output, channels, width, k, out_channels, 0, 0, 0, 0};
  const int ho = height - k + 1;
  s.wo = width - k + 1;
  s.in_plane = height * width;
  s.out_plane = ho * s.wo;
  s.np = (ho - 1) * width + s.wo;
  return s;
}

// Output-channel blocks as even as possible, at most max_block each (8 channels of 10 then 2
// would waste most of the second block's registers).
[[maybe_unused]] int channel_block(int out_channels, int max_block) {
  const int blocks = (out_channels + max_block - 1) / max_block;
  return (out_channels + blocks - 1) / blocks;
}

// Positions per tile: the input a tile reads for all channels stays about L1-sized, so it is
// reused from L1 by every output-channel block. A multiple of `quantum` (whole vector blocks).
[[maybe_unused]] int tile_length(const Shape& s, int quantum) {
  const int budget = 6144 / s.channels - (s.k - 1) * s.width;  // ~24 KB of floats
  return std::max(quantum, budget / quantum * quantum);
}

void conv_scalar(const Shape& s) {
  const int ho = s.out_plane / s.wo;
  for (int o = 0; o < s.out_channels; ++o) {
    float* out = s.out + static_cast<std::ptrdiff_t>(o) * s.out_plane;
    std::fill(out, out + s.out_plane, s.bias[o]);
    for (int c = 0; c < s.channels; ++c) {
      const float* in = s.in + static_cast<std::ptrdiff_t>(c) * s.in_plane;
      const float* w = s.weights + (static_cast<std::ptrdiff_t>(o) * s.channels + c) * s.k * s.k;
      for (int y = 0; y < ho; ++y) {
        float* orow = out + y * s.wo;
        for (int ky = 0; ky < s.k; ++ky) {
          const float* irow = in + (y + ky) * s.width;
          for (int kx = 0; kx < s.k; ++kx) {
            const float wv = w[ky * s.k + kx];
            for (int x = 0; x < s.wo; ++x) orow[x] += wv * irow[x + kx];
          }
        }
      }
    }
    if (s.slopes != nullptr) {
      const float a = s.slopes[o];
      for (int i = 0; i < s.out_plane; ++i) out[i] = out[i] > 0 ? out[i] : out[i] * a;
    }
  }
}

// For the by-channel schemes: where tap (c, ky, kx) reads, relative to the output position's
// input pixel.
[[maybe_unused]] std::vector<int> tap_offsets(const Shape& s) {
  std::vector<int> offsets;
  offsets.reserve(static_cast<size_t>(s.channels) * s.k * s.k);
  for (int c = 0; c < s.channels; ++c) {
    for (int ky = 0; ky < s.k; ++ky) {
      for (int kx = 0; kx < s.k; ++kx) offsets.push_back(c * s.in_plane + ky * s.width + kx);
    }
  }
  return offsets;
}

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

}  // namespace

#if MTCNN_X86_PATHS
// ---------------------------------------------------------------------------------------------
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi,bmi2")
namespace avx512 {
namespace {

constexpr int kLanes = 16;
constexpr int kMaxBlock = 8;  // output channels per block; 8 x 3 vectors of accumulators

constexpr int vectors_for(int ocb) { return std::min(8, 24 / ocb); }

// One block: OCB output channels x NB vectors of positions from p. Masked: lanes at or past
// `limit` are neither read nor written (the tile's last, partial block).
template <int K, int OCB, int NB, bool Masked>
inline __attribute__((always_inline)) void block(const Shape& s, int oc0, int p, int limit) {
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
    for_each_row(s, pj, lanes, [&](int offset, int first, int end) {
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

// The last, partial block of a tile: as few vectors as it needs.
template <int K, int OCB, int NB>
void partial_block(const Shape& s, int oc0, int p, int limit) {
  if constexpr (NB > 1) {
    if (limit - p <= (NB - 1) * kLanes) return partial_block<K, OCB, NB - 1>(s, oc0, p, limit);
  }
  block<K, OCB, NB, true>(s, oc0, p, limit);
}

template <int K, int OCB>
void run_block(const Shape& s, int oc0, int begin, int end) {
  constexpr int NB = vectors_for(OCB);
  int p = begin;
  for (; p + NB * kLanes <= end; p += NB * kLanes) block<K, OCB, NB, false>(s, oc0, p, end);
  if (p < end) partial_block<K, OCB, NB>(s, oc0, p, end);
}

template <int K>
void run_channels(const Shape& s, int ocb, int oc0, int begin, int end) {
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

void conv(const Shape& s) {
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

// Vectorised over output channels: 16 channels per vector, one broadcast input value per
// position and tap, so only valid positions are computed, however small the plane. Needs the
// weights regrouped by tap (PackedConv::by_tap).
namespace by_channel {

constexpr int kMaxGroups = 4;  // 4 groups x 6 positions of accumulators

constexpr int positions_for(int groups) { return std::min(16, 24 / groups); }

// OB groups of 16 channels from g0, PB consecutive output positions from q.
template <int OB, int PB>
void block(const Shape& s, const PackedConv& l, const int* tap_offset, int g0, int q) {
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
  alignas(64) float tmp[PB][16];
  for (int g = 0; g < OB; ++g) {
    if (l.has_slopes) {
      const __m512 a = _mm512_loadu_ps(l.slopes16.data() + (g0 + g) * 16);
      for (int i = 0; i < PB; ++i) {
        const __mmask16 neg = _mm512_cmp_ps_mask(acc[g][i], _mm512_setzero_ps(), _CMP_LT_OQ);
        acc[g][i] = _mm512_mask_mul_ps(acc[g][i], neg, acc[g][i], a);
      }
    }
    for (int i = 0; i < PB; ++i) _mm512_store_ps(tmp[i], acc[g][i]);
    const int channels = std::min(16, s.out_channels - (g0 + g) * 16);
    for (int o = 0; o < channels; ++o) {
      float* out = s.out + static_cast<std::ptrdiff_t>((g0 + g) * 16 + o) * s.out_plane + q;
      for (int i = 0; i < PB; ++i) out[i] = tmp[i][o];
    }
  }
}

template <int OB, int PB>
void partial_block(const Shape& s, const PackedConv& l, const int* tap_offset, int g0, int q,
                   int n) {
  if constexpr (PB > 1) {
    if (n < PB) return partial_block<OB, PB - 1>(s, l, tap_offset, g0, q, n);
  }
  block<OB, PB>(s, l, tap_offset, g0, q);
}

template <int OB>
void run_groups(const Shape& s, const PackedConv& l, const int* tap_offset, int g0) {
  constexpr int PB = positions_for(OB);
  int q = 0;
  for (; q + PB <= s.out_plane; q += PB) block<OB, PB>(s, l, tap_offset, g0, q);
  if (q < s.out_plane) partial_block<OB, PB>(s, l, tap_offset, g0, q, s.out_plane - q);
}

void conv(const Shape& s, const PackedConv& l) {
  const std::vector<int> tap_offset = tap_offsets(s);
  const int groups = (s.out_channels + 15) / 16;
  const int ob = channel_block(groups, kMaxGroups);
  for (int g0 = 0; g0 < groups; g0 += ob) {
    switch (std::min(ob, groups - g0)) {
      case 1:
        run_groups<1>(s, l, tap_offset.data(), g0);
        break;
      case 2:
        run_groups<2>(s, l, tap_offset.data(), g0);
        break;
      case 3:
        run_groups<3>(s, l, tap_offset.data(), g0);
        break;
      default:
        run_groups<4>(s, l, tap_offset.data(), g0);
        break;
    }
  }
}

}  // namespace by_channel
}  // namespace
}  // namespace avx512
#pragma GCC pop_options

// ---------------------------------------------------------------------------------------------
// The same scheme with 8 lanes and 16 registers. No mask registers: partial loads and stores use
// vmaskmovps, which is slow on AMD, so whole vectors inside one row take plain stores. The tiling
// drivers repeat the AVX-512 ones: a template compiles with the target of the region that
// defines it, so one driver cannot inline both paths' blocks.
#pragma GCC push_options
#pragma GCC target("avx2,fma")
namespace avx2 {
namespace {

constexpr int kLanes = 8;
constexpr int kMaxBlock = 4;  // 4 x 3 accumulators + 3 inputs + 1 weight = 16 registers

constexpr int vectors_for(int ocb) { return std::min(6, 12 / ocb); }

// Lanes [first, end) set.
inline __m256i lane_mask(int first, int end) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32(end), idx),
                          _mm256_cmpgt_epi32(idx, _mm256_set1_epi32(first - 1)));
}

template <int K, int OCB, int NB, bool Masked>
inline __attribute__((always_inline)) void block(const Shape& s, int oc0, int p, int limit) {
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
    for_each_row(s, pj, lanes, [&](int offset, int first, int end) {
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
void partial_block(const Shape& s, int oc0, int p, int limit) {
  if constexpr (NB > 1) {
    if (limit - p <= (NB - 1) * kLanes) return partial_block<K, OCB, NB - 1>(s, oc0, p, limit);
  }
  block<K, OCB, NB, true>(s, oc0, p, limit);
}

template <int K, int OCB>
void run_block(const Shape& s, int oc0, int begin, int end) {
  constexpr int NB = vectors_for(OCB);
  int p = begin;
  for (; p + NB * kLanes <= end; p += NB * kLanes) block<K, OCB, NB, false>(s, oc0, p, end);
  if (p < end) partial_block<K, OCB, NB>(s, oc0, p, end);
}

template <int K>
void run_channels(const Shape& s, int ocb, int oc0, int begin, int end) {
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

void conv(const Shape& s) {
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

// Vectorised over output channels as avx512::by_channel, each vector holding one 8-channel half
// of a by_tap group of 16.
namespace by_channel {

// 2 halves x 6 positions: 12 accumulators + 2 weights + 1 broadcast input of the 16 registers.
// 3 x 4 fits too but measured slower (fewer positions share each weight load).
constexpr int kMaxHalves = 2;

constexpr int positions_for(int halves) { return halves == 1 ? 8 : 6; }

// OB halves from h0, PB consecutive output positions from q.
template <int OB, int PB>
void block(const Shape& s, const PackedConv& l, const int* tap_offset, int h0, int q) {
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
void block_upto(const Shape& s, const PackedConv& l, const int* tap_offset, int h0, int q, int n) {
  if constexpr (PB > 1) {
    if (n < PB) return block_upto<OB, PB - 1>(s, l, tap_offset, h0, q, n);
  }
  block<OB, PB>(s, l, tap_offset, h0, q);
}

// Blocks of even sizes: a short last block would have too few accumulators to hide the FMA
// latency.
template <int OB>
void run_halves(const Shape& s, const PackedConv& l, const int* tap_offset, int h0) {
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

void conv(const Shape& s, const PackedConv& l) {
  const std::vector<int> offsets = tap_offsets(s);
  const int* tap_offset = offsets.data();
  const int halves = (s.out_channels + 7) / 8;
  const int ob = channel_block(halves, kMaxHalves);
  for (int h0 = 0; h0 < halves; h0 += ob) {
    switch (std::min(ob, halves - h0)) {
      case 1:
        run_halves<1>(s, l, tap_offset, h0);
        break;
      default:
        run_halves<2>(s, l, tap_offset, h0);
        break;
    }
  }
}

}  // namespace by_channel
}  // namespace
}  // namespace avx2
#pragma GCC pop_options
#endif  // MTCNN_X86_PATHS

// ---------------------------------------------------------------------------------------------
namespace {

bool cpu_has(ConvIsa isa) {
#if !MTCNN_X86_PATHS
  return isa == ConvIsa::kScalar || isa == ConvIsa::kAuto;
#else
  switch (isa) {
    case ConvIsa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
    case ConvIsa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    default:
      return true;
  }
#endif
}

ConvIsa best_isa() {
  static const ConvIsa isa = cpu_has(ConvIsa::kAvx512) ? ConvIsa::kAvx512
                             : cpu_has(ConvIsa::kAvx2) ? ConvIsa::kAvx2
                                                       : ConvIsa::kScalar;
  return isa;
}

}  // namespace

bool conv_isa_supported(ConvIsa isa) { return cpu_has(isa); }

PackedConv pack_conv(const float* weights, const float* bias, const float* slopes, int out_channels,
                     int channels, int k) {
  PackedConv l;
  l.out_channels = out_channels;
  l.channels = channels;
  l.k = k;
  l.has_slopes = slopes != nullptr;
  const int taps = channels * k * k;
  l.weights.assign(weights, weights + static_cast<std::ptrdiff_t>(out_channels) * taps);
  l.bias.assign(bias, bias + out_channels);
  l.slopes.assign(out_channels, 0.0f);
  if (slopes != nullptr) l.slopes.assign(slopes, slopes + out_channels);
  const int groups = (out_channels + 15) / 16;
  l.by_tap.assign(static_cast<size_t>(groups) * taps * 16, 0.0f);
  l.bias16.assign(static_cast<size_t>(groups) * 16, 0.0f);
  l.slopes16.assign(static_cast<size_t>(groups) * 16, 0.0f);
  for (int o = 0; o < out_channels; ++o) {
    const int g = o / 16, lane = o % 16;
    for (int t = 0; t < taps; ++t) {
      l.by_tap[(static_cast<size_t>(g) * taps + t) * 16 + lane] =
          weights[static_cast<size_t>(o) * taps + t];
    }
    l.bias16[o] = l.bias[o];
    l.slopes16[o] = l.slopes[o];
  }
  return l;
}

void conv2d_prelu_isa(ConvIsa isa, const float* input, int channels, int height, int width,
                      const float* weights, const float* bias, const float* slopes,
                      int out_channels, int k, float* output) {
  const Shape s =
      make_shape(input, channels, height, width, weights, bias, slopes, out_channels, k, output);
  if (isa == ConvIsa::kAuto) isa = best_isa();
#if MTCNN_X86_PATHS
  switch (isa) {
    case ConvIsa::kAvx512:
      return avx512::conv(s);
    case ConvIsa::kAvx2:
      return avx2::conv(s);
    default:
      break;
  }
#endif
  conv_scalar(s);
}

void conv2d_prelu_isa(ConvIsa isa, ConvScheme scheme, const float* input, int height, int width,
                      const PackedConv& layer, float* output) {
  const float* slopes = layer.has_slopes ? layer.slopes.data() : nullptr;
  const Shape s = make_shape(input, layer.channels, height, width, layer.weights.data(),
                             layer.bias.data(), slopes, layer.out_channels, layer.k, output);
  if (isa == ConvIsa::kAuto) isa = best_isa();
  if (scheme == ConvScheme::kAuto) {
    // Fraction of vector lanes doing useful work in either scheme, discounted for by-channel's
    // transposed stores (which matter when there are few taps) and for its single-group blocks
    // (one weight vector per 8 or 16 broadcasts: load-bound). With AVX2, by-position runs at
    // ~0.7 of by-channel's rate at equal lane use. Fitted to the MTCNN layers on Zen 4.
    const bool avx2 = isa == ConvIsa::kAvx2;
    const int lanes = avx2 ? 8 : 16;
    const int taps = s.channels * s.k * s.k;
    const int groups = (s.out_channels + lanes - 1) / lanes;
    const double by_position = s.out_plane /
                               (static_cast<double>(lanes) * ((s.np + lanes - 1) / lanes)) *
                               (avx2 ? 0.7 : 1.0);
    const double by_channel = s.out_channels / (static_cast<double>(lanes) * groups) * taps /
                              (taps + 8.0) * (groups == 1 ? 0.85 : 1.0);
    scheme = by_channel > by_position ? ConvScheme::kChannels : ConvScheme::kPositions;
  }
#if MTCNN_X86_PATHS
  if (scheme == ConvScheme::kChannels) {
    if (isa == ConvIsa::kAvx512) return avx512::by_channel::conv(s, layer);
    if (isa == ConvIsa::kAvx2) return avx2::by_channel::conv(s, layer);
  }
#endif
  conv2d_prelu_isa(isa, input, layer.channels, height, width, layer.weights.data(),
                   layer.bias.data(), slopes, layer.out_channels, layer.k, output);
}

void conv2d_prelu(const float* input, int height, int width, const PackedConv& layer,
                  float* output) {
  conv2d_prelu_isa(ConvIsa::kAuto, ConvScheme::kAuto, input, height, width, layer, output);
}

void conv2d_prelu(const float* input, int channels, int height, int width, const float* weights,
                  const float* bias, const float* slopes, int out_channels, int k, float* output) {
  conv2d_prelu_isa(ConvIsa::kAuto, input, channels, height, width, weights, bias, slopes,
                   out_channels, k, output);
}

}  // namespace mtcnn::detail
