// The direct convolution against a naive loop, on every code path this CPU can run.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
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

// scheme kAuto with packed == false: the unpacked overload.
void check_case(ConvIsa isa, const ConvCase& c, bool with_slopes, std::mt19937& rng,
                bool packed = false, ConvScheme scheme = ConvScheme::kAuto) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  auto random = [&](size_t n) {
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
  };
  const auto in = random(static_cast<size_t>(c.channels) * c.height * c.width);
  const auto w = random(static_cast<size_t>(c.out_channels) * c.channels * c.k * c.k);
  const auto bias = random(c.out_channels);
  const auto slopes = random(c.out_channels);
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

const ConvIsa kIsas[] = {ConvIsa::kScalar, ConvIsa::kAvx2, ConvIsa::kAvx512, ConvIsa::kAuto};
const ConvScheme kSchemes[] = {ConvScheme::kAuto, ConvScheme::kPositions, ConvScheme::kChannels};

}  // namespace

TEST_CASE("Direct convolution matches a naive loop on the MTCNN layer shapes", "[direct_conv]") {
  const ConvCase cases[] = {
      {3, 24, 24, 28, 3}, {28, 11, 11, 48, 3}, {48, 4, 4, 64, 2},    // R-Net
      {3, 48, 48, 32, 3}, {32, 23, 23, 64, 3}, {64, 10, 10, 64, 3},  // O-Net
      {64, 4, 4, 128, 2},                                            // O-Net
      {3, 12, 12, 10, 3}, {10, 5, 5, 16, 3},   {16, 3, 3, 32, 3},    // P-Net smallest
      {32, 1, 1, 2, 1},   {32, 1, 1, 4, 1},                          // P-Net heads
      {3, 97, 69, 10, 3}, {10, 47, 33, 16, 3}, {16, 45, 31, 32, 3},  // P-Net mid level
      {32, 43, 29, 4, 1},
  };
  std::mt19937 rng(7);
  for (ConvIsa isa : kIsas) {
    if (!conv_isa_supported(isa)) continue;
    for (const auto& c : cases) {
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
