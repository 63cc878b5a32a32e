#include "max_pool.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace mtcnn::detail {

namespace {

// One plane. The rows of a window are reduced first, over whole contiguous rows in one pass (the
// part that vectorises), then each output takes the maximum of its columns of that line. Fixing
// kernel and stride at compile time unrolls both steps for MTCNN's 2x2 and 3x3 windows.
template <int kKernel, int kStride>
void pool_plane(const float* in, int height, int width, int out_h, int out_w, float* line,
                float* out) {
  // Windows that lie wholly inside a row; the last one may hang over its end.
  const int whole = std::min(out_w, (width - kKernel) / kStride + 1);
  for (int oy = 0; oy < out_h; ++oy) {
    const int y0 = oy * kStride;
    const float* first = in + static_cast<long>(y0) * width;
    if (y0 + kKernel <= height) {
      if constexpr (kKernel == 3) {
        const float* r1 = first + width;
        const float* r2 = r1 + width;
        for (int x = 0; x < width; ++x) line[x] = std::max(std::max(first[x], r1[x]), r2[x]);
      } else {
        const float* r1 = first + width;
        for (int x = 0; x < width; ++x) line[x] = std::max(first[x], r1[x]);
      }
    } else {
      for (int x = 0; x < width; ++x) line[x] = first[x];
      for (int y = y0 + 1; y < height; ++y) {
        const float* row = in + static_cast<long>(y) * width;
        for (int x = 0; x < width; ++x) line[x] = std::max(line[x], row[x]);
      }
    }
    float* dst = out + static_cast<long>(oy) * out_w;
    for (int ox = 0; ox < whole; ++ox) {
      const float* w = line + ox * kStride;
      float m = w[0];
      for (int k = 1; k < kKernel; ++k) m = std::max(m, w[k]);
      dst[ox] = m;
    }
    for (int ox = whole; ox < out_w; ++ox) {
      const int x0 = ox * kStride;
      dst[ox] = *std::max_element(line + x0, line + std::min(x0 + kKernel, width));
    }
  }
}

void pool_plane_any(const float* in, int height, int width, int kernel, int stride, int out_h,
                    int out_w, float* out) {
  for (int oy = 0; oy < out_h; ++oy) {
    const int y0 = oy * stride, y1 = std::min(y0 + kernel, height);
    for (int ox = 0; ox < out_w; ++ox) {
      const int x0 = ox * stride, x1 = std::min(x0 + kernel, width);
      float m = in[static_cast<long>(y0) * width + x0];
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) m = std::max(m, in[static_cast<long>(y) * width + x]);
      out[static_cast<long>(oy) * out_w + ox] = m;
    }
  }
}

}  // namespace

int max_pool_size(int in, int kernel, int stride) {
  return (in - kernel + stride - 1) / stride + 1;
}

void max_pool(const float* in, int planes, int height, int width, int kernel, int stride,
              float* out) {
  if (kernel < 1 || stride < 1 || stride > kernel || height < kernel || width < kernel) {
    throw std::invalid_argument("max_pool: bad shape");
  }
  const int out_h = max_pool_size(height, kernel, stride);
  const int out_w = max_pool_size(width, kernel, stride);
  const long in_plane = static_cast<long>(height) * width;
  const long out_plane = static_cast<long>(out_h) * out_w;
  std::vector<float> line(static_cast<std::size_t>(width));
  for (int p = 0; p < planes; ++p) {
    const float* src = in + p * in_plane;
    float* dst = out + p * out_plane;
    if (kernel == 2 && stride == 2)
      pool_plane<2, 2>(src, height, width, out_h, out_w, line.data(), dst);
    else if (kernel == 3 && stride == 2)
      pool_plane<3, 2>(src, height, width, out_h, out_w, line.data(), dst);
    else
      pool_plane_any(src, height, width, kernel, stride, out_h, out_w, dst);
  }
}

}  // namespace mtcnn::detail
