// The instruction-set extensions each vector path is compiled for, and the run-time check that
// the CPU has them. Both read the one list per path below, so a kernel can never use an
// extension the check did not look for (a BMI2 shift on a VM that hides BMI2 would be SIGILL).
#pragma once

#include <optional>
#include <string_view>

// The vector paths are x86-64 only, for GCC and Clang (target attributes, cpu builtins).
#if defined(__x86_64__) && defined(__GNUC__)
#define MTCNN_X86_PATHS 1
#else
#define MTCNN_X86_PATHS 0
#endif

// Target names as GCC and Clang spell them. The extensions a compiler implies from these (AVX
// and SSE4.2 from AVX2, POPCNT from SSE4.2, F16C from Clang's AVX-512F) exist on every CPU that
// has the listed ones.
#define MTCNN_AVX512_FEATURES "avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi,bmi2"
#define MTCNN_AVX2_FEATURES "avx2,fma"
// The AVX-512 list plus AVX512_BF16 (vcvtne2ps2bf16, vdpbf16ps): the bf16 kernels.
#define MTCNN_AVX512BF16_FEATURES "avx512f,avx512vl,avx512bw,avx512dq,avx512bf16,avx2,fma,bmi,bmi2"

// Each kernel function carries its path's target attribute rather than its file being compiled
// with -m flags: inline functions of the standard library that a kernel file uses then stay
// compiled for any x86-64, so the linker cannot keep an AVX-512 copy of one for the plain path.
// (Clang ignores GCC's `#pragma GCC target`; both honour the attribute.)
#define MTCNN_TARGET_AVX512 __attribute__((target(MTCNN_AVX512_FEATURES)))
#define MTCNN_TARGET_AVX2 __attribute__((target(MTCNN_AVX2_FEATURES)))
#define MTCNN_TARGET_AVX512BF16 __attribute__((target(MTCNN_AVX512BF16_FEATURES)))

namespace mtcnn::detail {

inline constexpr std::string_view kAvx512Features = MTCNN_AVX512_FEATURES;
inline constexpr std::string_view kAvx2Features = MTCNN_AVX2_FEATURES;
inline constexpr std::string_view kAvx512Bf16Features = MTCNN_AVX512BF16_FEATURES;

// Whether this CPU (and its OS) supports extension `name`; nullopt for a name the check does not
// know, or on a build without the x86-64 paths.
std::optional<bool> cpu_has_feature(std::string_view name);

// Whether this CPU supports every extension of a comma-separated list (true for an empty one);
// false as soon as one is unknown.
bool cpu_has_features(std::string_view list);

}  // namespace mtcnn::detail
