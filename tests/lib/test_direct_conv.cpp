// The direct convolution against a naive loop, on every code path this CPU can run.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "direct_conv.hpp"

using namespace mtcnn::detail;

namespace {

struct ConvCase {
  int channels, height, width, out_channels, k;
};

std::vector<float> reference(const std::vector<float>& in, const ConvCase& c,
                             const std::vector<float>& w, const std::vector<float>& bias,
                             const float* slopes) {
  const int ho = c.height - c.k + 1, wo = c.width - c.k + 1;
  std::vector<float> out(static_cast<size_t>(c.out_channels) * ho * wo);
  for (int o = 0; o < c.out_channels; ++o) {
    for (int y = 0; y < ho; ++y) {
      for (int x = 0; x < wo; ++x) {
        double sum = bias[o];
        for (int ci = 0; ci < c.channels; ++ci) {
          for (int ky = 0; ky < c.k; ++ky) {
            for (int kx = 0; kx < c.k; ++kx) {
              sum += static_cast<double>(
                         w[((static_cast<size_t>(o) * c.channels + ci) * c.k + ky) * c.k + kx]) *
                     in[(static_cast<size_t>(ci) * c.height + y + ky) * c.width + x + kx];
            }
          }
        }
        const float v = static_cast<float>(sum);
        out[(static_cast<size_t>(o) * ho + y) * wo + x] =
            slopes != nullptr && v <= 0 ? v * slopes[o] : v;
      }
    }
  }
  return out;
}

// A layer's input, weights, bias and PReLU slopes, uniform in [-1, 1].
struct RandomLayer {
  std::vector<float> in, weights, bias, slopes;
};

RandomLayer random_layer(const ConvCase& c, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  auto random = [&](size_t n) {
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
  };
  RandomLayer l;
  l.in = random(static_cast<size_t>(c.channels) * c.height * c.width);
  l.weights = random(static_cast<size_t>(c.out_channels) * c.channels * c.k * c.k);
  l.bias = random(c.out_channels);
  l.slopes = random(c.out_channels);
  return l;
}

// scheme kAuto with packed == false: the unpacked overload.
void check_case(ConvIsa isa, const ConvCase& c, bool with_slopes, std::mt19937& rng,
                bool packed = false, ConvScheme scheme = ConvScheme::kAuto) {
  const RandomLayer layer = random_layer(c, rng);
  const auto &in = layer.in, &w = layer.weights, &bias = layer.bias, &slopes = layer.slopes;
  const float* sl = with_slopes ? slopes.data() : nullptr;
  const auto want = reference(in, c, w, bias, sl);
  // Guard floats on both sides catch writes outside the output.
  const float guard = 12345.0f;
  std::vector<float> got(want.size() + 32, guard);
  if (packed) {
    const PackedConv layer = pack_conv(w.data(), bias.data(), sl, c.out_channels, c.channels, c.k);
    conv2d_prelu_isa(isa, scheme, in.data(), c.height, c.width, layer, got.data() + 16);
  } else {
    conv2d_prelu_isa(isa, in.data(), c.channels, c.height, c.width, w.data(), bias.data(), sl,
                     c.out_channels, c.k, got.data() + 16);
  }
  INFO("isa " << static_cast<int>(isa) << " packed " << packed << " scheme "
              << static_cast<int>(scheme) << " C " << c.channels << " H " << c.height << " W "
              << c.width << " O " << c.out_channels << " k " << c.k << " slopes " << with_slopes);
  const float tol = 1e-5f * static_cast<float>(c.channels * c.k * c.k);
  float worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    worst = std::max(worst, std::abs(got[i + 16] - want[i]) / (1.0f + std::abs(want[i])));
  }
  CHECK(worst <= tol);
  for (int i = 0; i < 16; ++i) {
    CHECK(got[i] == guard);
    CHECK(got[got.size() - 1 - i] == guard);
  }
}

// Every layer shape of the three networks, at their sizes in the detector.
const ConvCase kMtcnnLayers[] = {
    {3, 24, 24, 28, 3}, {28, 11, 11, 48, 3}, {48, 4, 4, 64, 2},    // R-Net
    {3, 48, 48, 32, 3}, {32, 23, 23, 64, 3}, {64, 10, 10, 64, 3},  // O-Net
    {64, 4, 4, 128, 2},                                            // O-Net
    {3, 12, 12, 10, 3}, {10, 5, 5, 16, 3},   {16, 3, 3, 32, 3},    // P-Net smallest
    {32, 1, 1, 2, 1},   {32, 1, 1, 4, 1},                          // P-Net heads
    {3, 97, 69, 10, 3}, {10, 47, 33, 16, 3}, {16, 45, 31, 32, 3},  // P-Net mid level
    {32, 43, 29, 4, 1},
};

const ConvIsa kIsas[] = {ConvIsa::kScalar, ConvIsa::kAvx2, ConvIsa::kAvx512, ConvIsa::kAuto};
const ConvScheme kSchemes[] = {ConvScheme::kAuto, ConvScheme::kPositions, ConvScheme::kChannels};

}  // namespace

TEST_CASE("Direct convolution matches a naive loop on the MTCNN layer shapes", "[direct_conv]") {
  std::mt19937 rng(7);
  for (ConvIsa isa : kIsas) {
    if (!conv_isa_supported(isa)) continue;
    for (const auto& c : kMtcnnLayers) {
      check_case(isa, c, true, rng);
      check_case(isa, c, false, rng);
      for (ConvScheme scheme : kSchemes) {
        check_case(isa, c, true, rng, true, scheme);
        check_case(isa, c, false, rng, true, scheme);
      }
    }
  }
}

TEST_CASE("Direct convolution handles odd and tiny planes", "[direct_conv]") {
  std::mt19937 rng(11);
  for (ConvIsa isa : kIsas) {
    if (!conv_isa_supported(isa)) continue;
    for (int k = 1; k <= 4; ++k) {
      for (int height : {k, k + 1, k + 6}) {
        for (int width : {k, k + 1, k + 2, 7, 9, 15, 17, 23, 33}) {
          if (width < k) continue;
          for (int oc : {1, 3, 9, 13, 17, 40, 70}) {
            check_case(isa, {2, height, width, oc, k}, (width + oc) % 2 == 0, rng);
            for (ConvScheme scheme : kSchemes) {
              check_case(isa, {3, height, width, oc, k}, (width + oc) % 2 == 1, rng, true, scheme);
            }
          }
        }
      }
    }
    // Wide rows, several tiles, and many input channels (a short tile).
    check_case(isa, {3, 40, 301, 10, 3}, true, rng);
    check_case(isa, {40, 20, 157, 11, 2}, false, rng);
    for (ConvScheme scheme : kSchemes) check_case(isa, {5, 19, 23, 75, 3}, true, rng, true, scheme);
  }
}

TEST_CASE("AVX2 by-channel scheme on every channel count and block split", "[direct_conv]") {
  if (!conv_isa_supported(ConvIsa::kAvx2)) return;
  std::mt19937 rng(13);
  // 1..25 output channels: 1 to 4 halves of 8, blocks of 2 halves and a lone one; planes of
  // 2 to 56 positions: blocks of 6 or 8 positions and evenly split tails.
  for (int oc = 1; oc <= 25; ++oc) {
    for (int k : {1, 2, 3}) {
      for (int side : {1, 2, 3, 4, 5, 7}) {
        check_case(ConvIsa::kAvx2, {3, side + k - 1, side + k, oc, k}, (oc + side) % 2 == 0, rng,
                   true, ConvScheme::kChannels);
      }
    }
  }
}

// The bf16 path (ConvIsa::kAvx512Bf16): inputs and weights rounded to bf16, products summed in
// fp32. Two references bound it. Against a naive loop over the bf16-rounded inputs and weights,
// summed in double, only the fp32 sums differ: n additions (two per pair tap, and the bias)
// lose at most n * 2^-24 of the sum of the terms' magnitudes S, and PReLU and the reference's
// final rounding 2^-24 each (the standard bound for recursive summation). Against the fp32
// inputs and weights, each product is also off by its two roundings to bf16, at most 2^-8 each
// (8 significant bits, to nearest): 2^-7 + 2^-16 of S more.
namespace {

bool bf16_available() {
  if (conv_isa_supported(ConvIsa::kAvx512Bf16)) return true;
  WARN("SKIPPED: this CPU lacks AVX512_BF16; the bf16 path is not tested here");
  return false;
}

float bf16_round(float x) { return from_bf16(to_bf16(x)); }

struct Bf16Reference {
  std::vector<float> value;       // the naive loop's result
  std::vector<double> magnitude;  // S: |bias| + sum of |w x|, before PReLU
};

Bf16Reference bf16_reference(const std::vector<float>& in, const ConvCase& c,
                             const std::vector<float>& w, const std::vector<float>& bias,
                             const float* slopes) {
  const int ho = c.height - c.k + 1, wo = c.width - c.k + 1;
  Bf16Reference r{reference(in, c, w, bias, slopes), {}};
  r.magnitude.resize(r.value.size());
  for (int o = 0; o < c.out_channels; ++o) {
    for (int y = 0; y < ho; ++y) {
      for (int x = 0; x < wo; ++x) {
        double sum = std::abs(bias[o]);
        for (int ci = 0; ci < c.channels; ++ci) {
          for (int ky = 0; ky < c.k; ++ky) {
            for (int kx = 0; kx < c.k; ++kx) {
              sum += std::abs(
                  static_cast<double>(
                      w[((static_cast<size_t>(o) * c.channels + ci) * c.k + ky) * c.k + kx]) *
                  in[(static_cast<size_t>(ci) * c.height + y + ky) * c.width + x + kx]);
            }
          }
        }
        r.magnitude[(static_cast<size_t>(o) * ho + y) * wo + x] = sum;
      }
    }
  }
  return r;
}

// Runs the bf16 path on random data; returns the worst error against each reference in units
// of its bound (so <= 1 passes).
void check_bf16_case(const ConvCase& c, bool with_slopes, std::mt19937& rng, bool packed,
                     ConvScheme scheme) {
  const RandomLayer layer = random_layer(c, rng);
  const auto &in = layer.in, &w = layer.weights, &bias = layer.bias, &slopes = layer.slopes;
  const float* sl = with_slopes ? slopes.data() : nullptr;
  auto rounded = [](std::vector<float> v) {
    for (float& x : v) x = bf16_round(x);
    return v;
  };
  const Bf16Reference exact = bf16_reference(in, c, w, bias, sl);
  const Bf16Reference on_bf16 = bf16_reference(rounded(in), c, rounded(w), bias, sl);

  const float guard = 12345.0f;
  std::vector<float> got(exact.value.size() + 32, guard);
  if (packed) {
    const PackedConv layer = pack_conv(w.data(), bias.data(), sl, c.out_channels, c.channels, c.k);
    conv2d_prelu_isa(ConvIsa::kAvx512Bf16, scheme, in.data(), c.height, c.width, layer,
                     got.data() + 16);
  } else {
    conv2d_prelu_isa(ConvIsa::kAvx512Bf16, in.data(), c.channels, c.height, c.width, w.data(),
                     bias.data(), sl, c.out_channels, c.k, got.data() + 16);
  }
  INFO("bf16 packed " << packed << " scheme " << static_cast<int>(scheme) << " C " << c.channels
                      << " H " << c.height << " W " << c.width << " O " << c.out_channels << " k "
                      << c.k << " slopes " << with_slopes);
  const double additions = 2.0 * bf16_pair_taps(c.channels, c.k) + 1;
  const double sum_bound = (additions + 2) * std::ldexp(1.0, -24);
  const double rounding_bound = std::ldexp(1.0, -7) + std::ldexp(1.0, -16);
  double worst_bf16 = 0, worst_fp32 = 0;
  for (size_t i = 0; i < exact.value.size(); ++i) {
    const double v = got[i + 16];
    // The smallest magnitude that still counts: an exact zero sum is off by nothing.
    worst_bf16 = std::max(
        worst_bf16, std::abs(v - on_bf16.value[i]) / (sum_bound * on_bf16.magnitude[i] + 1e-30));
    worst_fp32 = std::max(
        worst_fp32,
        std::abs(v - exact.value[i]) /
            ((rounding_bound + sum_bound) * exact.magnitude[i] * (1 + rounding_bound) + 1e-30));
  }
  CHECK(worst_bf16 <= 1.0);
  CHECK(worst_fp32 <= 1.0);
  for (int i = 0; i < 16; ++i) {
    CHECK(got[i] == guard);
    CHECK(got[got.size() - 1 - i] == guard);
  }
}

}  // namespace

TEST_CASE("bf16 rounding is to nearest, ties to even, as vcvtne2ps2bf16", "[direct_conv]") {
  CHECK(to_bf16(1.0f) == 0x3f80);
  CHECK(to_bf16(-2.0f) == 0xc000);
  CHECK(to_bf16(1.0f + std::ldexp(1.0f, -8)) == 0x3f80);      // tie: down to even
  CHECK(to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3f82);  // tie: up to even
  CHECK(to_bf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)) == 0x3f81);
  CHECK(to_bf16(std::numeric_limits<float>::max()) == 0x7f80);  // rounds up to infinity
  CHECK(to_bf16(std::numeric_limits<float>::denorm_min()) == 0x0000);
  CHECK(to_bf16(-std::numeric_limits<float>::denorm_min()) == 0x8000);
  CHECK(std::isnan(from_bf16(to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  CHECK(from_bf16(0x3f81) == 1.0f + std::ldexp(1.0f, -7));

  // The kernels' vector rounding gives the same values: one channel times weight 1, no bias.
  if (!bf16_available()) return;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> mantissa(1.0f, 2.0f);
  std::uniform_int_distribution<int> exponent(-60, 60);
  for (int width : {1, 15, 16, 17, 100}) {
    std::vector<float> in(static_cast<size_t>(width) * 3);
    for (float& x : in) x = std::ldexp(mantissa(rng), exponent(rng)) * (rng() % 2 ? 1 : -1);
    in[0] = 1.0f + std::ldexp(1.0f, -8);
    const float one = 1.0f, zero = 0.0f;
    const PackedConv layer = pack_conv(&one, &zero, nullptr, 1, 1, 1);
    for (ConvScheme scheme : {ConvScheme::kPositions, ConvScheme::kChannels}) {
      std::vector<float> out(in.size());
      conv2d_prelu_isa(ConvIsa::kAvx512Bf16, scheme, in.data(), 3, width, layer, out.data());
      for (size_t i = 0; i < in.size(); ++i) {
        INFO("width " << width << " value " << in[i] << " scheme " << static_cast<int>(scheme));
        CHECK(out[i] == bf16_round(in[i]));
      }
    }
  }
}

TEST_CASE("bf16 convolution matches naive loops on the MTCNN layer shapes", "[direct_conv]") {
  if (!bf16_available()) return;
  std::mt19937 rng(17);
  for (const auto& c : kMtcnnLayers) {
    check_bf16_case(c, true, rng, false, ConvScheme::kAuto);
    for (ConvScheme scheme : kSchemes) {
      check_bf16_case(c, true, rng, true, scheme);
      check_bf16_case(c, false, rng, true, scheme);
    }
  }
}

TEST_CASE("bf16 convolution handles odd channel counts, odd and tiny planes", "[direct_conv]") {
  if (!bf16_available()) return;
  std::mt19937 rng(19);
  for (int k = 1; k <= 4; ++k) {
    for (int height : {k, k + 1, k + 6}) {
      for (int width : {k, k + 1, k + 2, 7, 9, 15, 17, 23, 33}) {
        for (int oc : {1, 3, 9, 13, 17, 40, 70}) {
          for (ConvScheme scheme : {ConvScheme::kPositions, ConvScheme::kChannels}) {
            const int channels = 1 + (width + oc + k) % 4;  // 1 to 4: odd ones padded
            check_bf16_case({channels, height, width, oc, k}, (width + oc) % 2 == 1, rng, true,
                            scheme);
          }
        }
      }
    }
  }
  // Wide rows, several tiles, and many input channels (a short tile).
  check_bf16_case({3, 40, 301, 10, 3}, true, rng, false, ConvScheme::kAuto);
  check_bf16_case({41, 20, 157, 11, 2}, false, rng, true, ConvScheme::kPositions);
  for (ConvScheme scheme : kSchemes) check_bf16_case({5, 19, 23, 75, 3}, true, rng, true, scheme);
}

TEST_CASE("fp32 precision is the fp32 path, bit for bit, whatever the CPU", "[direct_conv]") {
  std::mt19937 rng(23);
  // P-Net's first layer, R-Net's second, O-Net's last, and a 1x1 head (which bf16 leaves fp32:
  // too few multiply-adds per input value to pay for rounding the input).
  const ConvCase cases[] = {
      {3, 97, 69, 10, 3}, {28, 11, 11, 48, 3}, {64, 4, 4, 128, 2}, {32, 43, 29, 4, 1}};
  for (const ConvCase& c : cases) {
    const RandomLayer random = random_layer(c, rng);
    const std::vector<float>& in = random.in;
    const PackedConv layer = pack_conv(random.weights.data(), random.bias.data(),
                                       random.slopes.data(), c.out_channels, c.channels, c.k);
    const size_t size =
        static_cast<size_t>(c.out_channels) * (c.height - c.k + 1) * (c.width - c.k + 1);
    std::vector<float> fp32(size), by_default(size), isa_auto(size), bf16(size);
    conv2d_prelu(in.data(), c.height, c.width, layer, fp32.data(), ConvPrecision::kFp32);
    conv2d_prelu(in.data(), c.height, c.width, layer, by_default.data());
    conv2d_prelu_isa(ConvIsa::kAuto, ConvScheme::kAuto, in.data(), c.height, c.width, layer,
                     isa_auto.data());
    conv2d_prelu(in.data(), c.height, c.width, layer, bf16.data(), ConvPrecision::kBf16);
    CHECK(fp32 == isa_auto);
    CHECK(by_default == isa_auto);
    // kBf16 computes in bf16 exactly where the CPU has it and the layer gains.
    INFO("C " << c.channels << " O " << c.out_channels << " k " << c.k);
    CHECK((bf16 != fp32) ==
          (conv_isa_supported(ConvIsa::kAvx512Bf16) && c.out_channels * c.k * c.k >= 16));
  }
}

TEST_CASE("bf16 schemes sum in the same order: bit for bit the same values", "[direct_conv]") {
  // Both take the pair taps in one order from the bias on, so a P-Net tile gives the very values
  // of a whole level even where the cost model picks the other scheme for it (as in fp32).
  if (!bf16_available()) return;
  std::mt19937 rng(29);
  const ConvCase cases[] = {{3, 24, 24, 28, 3}, {28, 11, 11, 48, 3}, {16, 9, 7, 32, 3},
                            {5, 6, 5, 17, 2},   {3, 12, 12, 10, 3},  {1, 3, 4, 5, 1}};
  for (const ConvCase& c : cases) {
    const RandomLayer random = random_layer(c, rng);
    const std::vector<float>& in = random.in;
    const PackedConv layer = pack_conv(random.weights.data(), random.bias.data(),
                                       random.slopes.data(), c.out_channels, c.channels, c.k);
    const size_t size =
        static_cast<size_t>(c.out_channels) * (c.height - c.k + 1) * (c.width - c.k + 1);
    std::vector<float> positions(size), channels(size);
    conv2d_prelu_isa(ConvIsa::kAvx512Bf16, ConvScheme::kPositions, in.data(), c.height, c.width,
                     layer, positions.data());
    conv2d_prelu_isa(ConvIsa::kAvx512Bf16, ConvScheme::kChannels, in.data(), c.height, c.width,
                     layer, channels.data());
    INFO("C " << c.channels << " H " << c.height << " W " << c.width << " O " << c.out_channels
              << " k " << c.k);
    CHECK(positions == channels);
  }
}
