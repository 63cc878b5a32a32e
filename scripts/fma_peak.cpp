// The multiply-add rate one core reaches with nothing but independent vector multiply-adds: fp32
// FMA (vfmadd231ps) and, where the CPU has AVX512_BF16, bf16 dot products (vdpbf16ps). The peak
// that scripts/roofline.py compares the detector's convolutions with. Built on the fly by it:
//
//   g++ -O2 -std=c++20 scripts/fma_peak.cpp -o fma_peak && ./fma_peak
//
// Prints one JSON line: {"fp32_gmacs": ..., "bf16_gmacs": ... or null}, multiply-adds per second
// in billions, the best of a few runs.
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace {

constexpr int kChains = 12;
constexpr long kIterations = 50'000'000;

template <class Body>
double best_rate(long macs_per_iteration, Body body) {
  double best = 0;
  for (int run = 0; run < 5; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const float sink = body();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sink == 12345.0f) std::puts("");  // keeps the work observable
    best = std::max(best, macs_per_iteration * static_cast<double>(kIterations) / seconds / 1e9);
  }
  return best;
}

// Twelve independent accumulators in registers (an array would live in memory): more than the
// multiply-add's latency times its throughput, so the loop runs at the units' rate.
#define MTCNN_TWELVE(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define MTCNN_DECLARE(i) __m512 a##i = _mm512_setzero_ps();
#define MTCNN_SUM(i) sum = _mm512_add_ps(sum, a##i);

__attribute__((target("avx512f"))) float fp32_loop() {
  MTCNN_TWELVE(MTCNN_DECLARE)
  const __m512 x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
#define MTCNN_FMA(i) a##i = _mm512_fmadd_ps(x, y, a##i);
  for (long i = 0; i < kIterations; ++i) {
    MTCNN_TWELVE(MTCNN_FMA)
    // Opaque to the compiler: the multiply-adds cannot be folded or hoisted.
    __asm__ volatile(""
                     : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6),
                       "+v"(a7), "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11));
  }
  __m512 sum = _mm512_setzero_ps();
  MTCNN_TWELVE(MTCNN_SUM)
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  return lanes[0];
}

__attribute__((target("avx512f,avx512bf16"))) float bf16_loop() {
  MTCNN_TWELVE(MTCNN_DECLARE)
  const __m512bh x = (__m512bh)_mm512_set1_epi16(0x3f80), y = (__m512bh)_mm512_set1_epi16(0x3f80);
#define MTCNN_DOT(i) a##i = _mm512_dpbf16_ps(a##i, x, y);
  for (long i = 0; i < kIterations; ++i) {
    MTCNN_TWELVE(MTCNN_DOT)
    __asm__ volatile(""
                     : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6),
                       "+v"(a7), "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11));
  }
  __m512 sum = _mm512_setzero_ps();
  MTCNN_TWELVE(MTCNN_SUM)
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  return lanes[0];
}

}  // namespace

int main() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f")) {
    std::puts("{\"fp32_gmacs\": null, \"bf16_gmacs\": null}");
    return 0;
  }
  const double fp32 = best_rate(16L * kChains, fp32_loop);
  if (__builtin_cpu_supports("avx512bf16")) {
    const double bf16 = best_rate(32L * kChains, bf16_loop);
    std::printf("{\"fp32_gmacs\": %.2f, \"bf16_gmacs\": %.2f}\n", fp32, bf16);
  } else {
    std::printf("{\"fp32_gmacs\": %.2f, \"bf16_gmacs\": null}\n", fp32);
  }
  return 0;
}
