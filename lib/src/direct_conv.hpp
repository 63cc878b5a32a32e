// A direct convolution for the small MTCNN layers, where OpenCV DNN's generic convolution is
// slow (few input channels, small planes). Picks AVX-512, AVX2 + FMA or plain C++ at run time,
// so the binary still runs on any x86-64 (the kernels: direct_conv_avx512.cpp,
// direct_conv_avx2.cpp). On request, AVX512_BF16 kernels multiply bf16-rounded inputs and
// weights instead (direct_conv_avx512bf16.cpp).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace mtcnn::detail {

// The code paths, for tests and benchmarks; kAuto is the best fp32 one the CPU supports.
// kAvx512Bf16 rounds inputs and weights to bf16 (8-bit mantissa) and sums their products in
// fp32: not the fp32 results, within about 2^-8 of each product.
enum class ConvIsa { kAuto, kScalar, kAvx2, kAvx512, kAvx512Bf16 };

// What the convolution may trade for speed. kBf16 runs the layer on kAvx512Bf16 where the CPU
// has it and where it is faster; otherwise (and always with kFp32) the fp32 result of kAuto.
enum class ConvPrecision { kFp32, kBf16 };

// round-to-nearest-even to bf16, the top 16 bits of a float, as vcvtne2ps2bf16 does it: a
// denormal becomes a zero of its sign, a NaN stays a (quiet) NaN.
std::uint16_t to_bf16(float x);
float from_bf16(std::uint16_t x);

// Valid (no padding), stride-1 2-D convolution of one image: `channels` input planes of
// height x width floats (contiguous, plane after plane) with out_channels kernels of
// channels x k x k (OIHW, contiguous), plus bias, then PReLU with per-output-channel slopes
// (y = y > 0 ? y : y * slope) when slopes != nullptr. Output: out_channels planes of
// (height - k + 1) x (width - k + 1), contiguous. Requires height, width >= k >= 1.
void conv2d_prelu(const float* input, int channels, int height, int width, const float* weights,
                  const float* bias, const float* slopes, int out_channels, int k, float* output);

// A layer's parameters, rearranged once so that layers with small output planes (the R-Net and
// O-Net layers after the first) can be vectorised over output channels instead of positions.
struct PackedConv {
  int out_channels = 0, channels = 0, k = 0;
  bool has_slopes = false;
  std::vector<float> weights;  // OIHW as given
  std::vector<float> bias, slopes;
  // Groups of 16 output channels (zero-padded), each channels * k * k taps of 16 floats; AVX2
  // reads each tap as two 8-channel halves.
  std::vector<float> by_tap;
  std::vector<float> bias16, slopes16;  // zero-padded to whole groups
  // The weights rounded to bf16 (to_bf16), two per dword as vdpbf16ps pairs them, in the order
  // of bf16_pair_taps(): channels 2j (low half) and 2j + 1 (high half) of tap (ky, kx) for each
  // whole pair j, then, for an odd channel count, the last channel's taps (ky, kx) and
  // (ky, kx + 1) for even kx (zero past the kernel's width). pair_oihw: [o][pair tap];
  // pair_by_tap: groups of 16 output channels, each bf16_pair_taps() taps of 16 dwords.
  std::vector<std::uint32_t> pair_oihw, pair_by_tap;
};

// The products of two bf16 values each output value sums in the bf16 kernels (see PackedConv):
// (channels / 2) * k * k for the channel pairs, and k * ceil(k / 2) for an odd last channel,
// whose neighbouring taps along x are paired instead of padding it with a zero channel.
inline int bf16_pair_taps(int channels, int k) {
  return channels / 2 * k * k + channels % 2 * k * ((k + 1) / 2);
}

PackedConv pack_conv(const float* weights, const float* bias, const float* slopes, int out_channels,
                     int channels, int k);

// conv2d_prelu with packed parameters: the same results, faster on small planes. With kBf16,
// see ConvPrecision.
void conv2d_prelu(const float* input, int height, int width, const PackedConv& layer, float* output,
                  ConvPrecision precision = ConvPrecision::kFp32);

// The extensions `isa`'s kernels are compiled for, comma-separated as in a target attribute
// (isa_targets.hpp); empty for the plain C++ path and kAuto.
std::string_view conv_isa_features(ConvIsa isa);

// Whether this CPU can run `isa`: it has every extension of conv_isa_features(isa).
bool conv_isa_supported(ConvIsa isa);

// conv2d_prelu on a given path; `isa` must be supported (kAvx512Bf16 packs the weights first).
void conv2d_prelu_isa(ConvIsa isa, const float* input, int channels, int height, int width,
                      const float* weights, const float* bias, const float* slopes,
                      int out_channels, int k, float* output);

// How the packed overload computes a layer: over positions (as conv2d_prelu) or over output
// channels (AVX-512 and AVX2; the plain C++ path ignores it).
enum class ConvScheme { kAuto, kPositions, kChannels };

void conv2d_prelu_isa(ConvIsa isa, ConvScheme scheme, const float* input, int height, int width,
                      const PackedConv& layer, float* output);

}  // namespace mtcnn::detail
