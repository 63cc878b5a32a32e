#include "direct_conv.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "direct_conv_kernels.hpp"
#include "isa_targets.hpp"

namespace mtcnn::detail {

namespace conv_kernels {

std::vector<int> tap_offsets(const Shape& s) {
  std::vector<int> offsets;
  offsets.reserve(static_cast<size_t>(s.channels) * s.k * s.k);
  for (int c = 0; c < s.channels; ++c) {
    for (int ky = 0; ky < s.k; ++ky) {
      for (int kx = 0; kx < s.k; ++kx) offsets.push_back(c * s.in_plane + ky * s.width + kx);
    }
  }
  return offsets;
}

}  // namespace conv_kernels

namespace {

using conv_kernels::Shape;

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

ConvIsa best_isa() {
  static const ConvIsa isa = conv_isa_supported(ConvIsa::kAvx512) ? ConvIsa::kAvx512
                             : conv_isa_supported(ConvIsa::kAvx2) ? ConvIsa::kAvx2
                                                                  : ConvIsa::kScalar;
  return isa;
}

}  // namespace

std::string_view conv_isa_features(ConvIsa isa) {
  switch (isa) {
    case ConvIsa::kAvx512:
      return kAvx512Features;
    case ConvIsa::kAvx2:
      return kAvx2Features;
    default:
      return {};
  }
}

bool conv_isa_supported(ConvIsa isa) { return cpu_has_features(conv_isa_features(isa)); }

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
      return conv_kernels::avx512::by_positions(s);
    case ConvIsa::kAvx2:
      return conv_kernels::avx2::by_positions(s);
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
    if (isa == ConvIsa::kAvx512) return conv_kernels::avx512::by_channels(s, layer);
    if (isa == ConvIsa::kAvx2) return conv_kernels::avx2::by_channels(s, layer);
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
