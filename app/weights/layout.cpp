#include "weights/layout.hpp"

#include <stdexcept>
#include <string>

namespace mtcnn::weights {

namespace {
void check_size(std::span<const float> src, std::size_t expected, const char* what) {
  if (src.size() != expected) {
    throw std::invalid_argument(std::string(what) + ": got " + std::to_string(src.size()) +
                                " values, shape needs " + std::to_string(expected));
  }
}
}  // namespace

std::vector<float> ohwi_to_oihw(std::span<const float> src, std::size_t out, std::size_t kh,
                                std::size_t kw, std::size_t in) {
  check_size(src, out * kh * kw * in, "ohwi_to_oihw");
  std::vector<float> dst(src.size());
  for (std::size_t o = 0; o < out; ++o)
    for (std::size_t y = 0; y < kh; ++y)
      for (std::size_t x = 0; x < kw; ++x)
        for (std::size_t i = 0; i < in; ++i)
          dst[((o * in + i) * kh + y) * kw + x] = src[((o * kh + y) * kw + x) * in + i];
  return dst;
}

std::vector<float> fc_hwc_to_chw(std::span<const float> src, std::size_t out, std::size_t h,
                                 std::size_t w, std::size_t c) {
  check_size(src, out * h * w * c, "fc_hwc_to_chw");
  const std::size_t row = h * w * c;
  std::vector<float> dst(src.size());
  for (std::size_t o = 0; o < out; ++o)
    for (std::size_t y = 0; y < h; ++y)
      for (std::size_t x = 0; x < w; ++x)
        for (std::size_t ch = 0; ch < c; ++ch)
          dst[o * row + (ch * h + y) * w + x] = src[o * row + (y * w + x) * c + ch];
  return dst;
}

}  // namespace mtcnn::weights
