#include "direct_conv.hpp"

#include <algorithm>
#include <bit>
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

// Whether the bf16 kernels beat the fp32 ones on this layer. Rounding the input to bf16 pairs
// costs about as much per input value as 16 of the fp32 kernel's multiply-adds: it pays only
// where each input value feeds more (measured on Zen 4: P-Net's 1x1 heads, 2 and 4 multiply-adds
// per input value, run x0.7-0.85 as fast in bf16; its first layer, with 90, x1.2).
bool bf16_pays(const Shape& s) { return s.out_channels * s.k * s.k >= 16; }

bool bf16_isa_supported() {
  static const bool supported = conv_isa_supported(ConvIsa::kAvx512Bf16);
  return supported;
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
    case ConvIsa::kAvx512Bf16:
      return kAvx512Bf16Features;
    default:
      return {};
  }
}

std::uint16_t to_bf16(float x) {
  const auto bits = std::bit_cast<std::uint32_t>(x);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
  if ((bits & 0x7f800000u) == 0) return static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  // Ties to even: add just under half a unit of the kept part, plus its lowest bit.
  return static_cast<std::uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

float from_bf16(std::uint16_t x) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(x) << 16);
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
  const int kk = k * k, whole = channels / 2 * 2, pair_taps = bf16_pair_taps(channels, k);
  l.pair_oihw.assign(static_cast<size_t>(out_channels) * pair_taps, 0u);
  l.pair_by_tap.assign(static_cast<size_t>(groups) * pair_taps * 16, 0u);
  for (int o = 0; o < out_channels; ++o) {
    const int g = o / 16, lane = o % 16;
    for (int c = 0; c < channels; ++c) {
      for (int t = 0; t < kk; ++t) {
        const std::uint32_t half =
            to_bf16(weights[(static_cast<size_t>(o) * channels + c) * kk + t]);
        // A channel pair: the half by the channel's parity; the odd last channel: by kx's.
        const int ky = t / k, kx = t % k;
        const bool high = c < whole ? c % 2 == 1 : kx % 2 == 1;
        const int pair_tap =
            c < whole ? c / 2 * kk + t : whole / 2 * kk + ky * ((k + 1) / 2) + kx / 2;
        const std::uint32_t bits = high ? half << 16 : half;
        l.pair_oihw[static_cast<size_t>(o) * pair_taps + pair_tap] |= bits;
        l.pair_by_tap[(static_cast<size_t>(g) * pair_taps + pair_tap) * 16 + lane] |= bits;
      }
    }
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
    case ConvIsa::kAvx512Bf16:  // needs the weights paired
      return conv_kernels::avx512bf16::by_positions(
          s, pack_conv(weights, bias, slopes, out_channels, channels, k));
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
    // bf16: one step per pair tap (bf16_pair_taps).
    const bool avx2 = isa == ConvIsa::kAvx2;
    const int lanes = avx2 ? 8 : 16;
    const int taps =
        isa == ConvIsa::kAvx512Bf16 ? bf16_pair_taps(s.channels, s.k) : s.channels * s.k * s.k;
    const int groups = (s.out_channels + lanes - 1) / lanes;
    const double by_position = s.out_plane /
                               (static_cast<double>(lanes) * ((s.np + lanes - 1) / lanes)) *
                               (avx2 ? 0.7 : 1.0);
    const double by_channel = s.out_channels / (static_cast<double>(lanes) * groups) * taps /
                              (taps + 8.0) * (groups == 1 ? 0.85 : 1.0);
    scheme = by_channel > by_position ? ConvScheme::kChannels : ConvScheme::kPositions;
  }
#if MTCNN_X86_PATHS
  if (isa == ConvIsa::kAvx512Bf16) {
    if (scheme == ConvScheme::kChannels) return conv_kernels::avx512bf16::by_channels(s, layer);
    return conv_kernels::avx512bf16::by_positions(s, layer);
  }
  if (scheme == ConvScheme::kChannels) {
    if (isa == ConvIsa::kAvx512) return conv_kernels::avx512::by_channels(s, layer);
    if (isa == ConvIsa::kAvx2) return conv_kernels::avx2::by_channels(s, layer);
  }
#endif
  conv2d_prelu_isa(isa, input, layer.channels, height, width, layer.weights.data(),
                   layer.bias.data(), slopes, layer.out_channels, layer.k, output);
}

void conv2d_prelu(const float* input, int height, int width, const PackedConv& layer, float* output,
                  ConvPrecision precision) {
  ConvIsa isa = ConvIsa::kAuto;
  if (precision == ConvPrecision::kBf16 && bf16_isa_supported()) {
    const float* slopes = layer.has_slopes ? layer.slopes.data() : nullptr;
    const Shape s = make_shape(input, layer.channels, height, width, layer.weights.data(),
                               layer.bias.data(), slopes, layer.out_channels, layer.k, output);
    if (bf16_pays(s)) isa = ConvIsa::kAvx512Bf16;
  }
  conv2d_prelu_isa(isa, ConvScheme::kAuto, input, height, width, layer, output);
}

void conv2d_prelu(const float* input, int channels, int height, int width, const float* weights,
                  const float* bias, const float* slopes, int out_channels, int k, float* output) {
  conv2d_prelu_isa(ConvIsa::kAuto, input, channels, height, width, weights, bias, slopes,
                   out_channels, k, output);
}

}  // namespace mtcnn::detail
