// A direct convolution for the small MTCNN layers, where OpenCV DNN's generic convolution is
// slow (few input channels, small planes). Picks AVX-512, AVX2 + FMA or plain C++ at run time,
// so the binary still runs on any x86-64 (the kernels: direct_conv_avx512.cpp,
// direct_conv_avx2.cpp).
#pragma once

#include <string_view>
#include <vector>

namespace mtcnn::detail {

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
};

PackedConv pack_conv(const float* weights, const float* bias, const float* slopes, int out_channels,
                     int channels, int k);

// conv2d_prelu with packed parameters: the same results, faster on small planes.
void conv2d_prelu(const float* input, int height, int width, const PackedConv& layer,
                  float* output);

// The code paths, for tests and benchmarks; kAuto is the best one the CPU supports.
enum class ConvIsa { kAuto, kScalar, kAvx2, kAvx512 };

// The extensions `isa`'s kernels are compiled for, comma-separated as in a target attribute
// (isa_targets.hpp); empty for the plain C++ path and kAuto.
std::string_view conv_isa_features(ConvIsa isa);

// Whether this CPU can run `isa`: it has every extension of conv_isa_features(isa).
bool conv_isa_supported(ConvIsa isa);

// conv2d_prelu on a given path; `isa` must be supported.
void conv2d_prelu_isa(ConvIsa isa, const float* input, int channels, int height, int width,
                      const float* weights, const float* bias, const float* slopes,
                      int out_channels, int k, float* output);

// How the packed overload computes a layer: over positions (as conv2d_prelu) or over output
// channels (AVX-512 and AVX2; the plain C++ path ignores it).
enum class ConvScheme { kAuto, kPositions, kChannels };

void conv2d_prelu_isa(ConvIsa isa, ConvScheme scheme, const float* input, int height, int width,
                      const PackedConv& layer, float* output);

}  // namespace mtcnn::detail
