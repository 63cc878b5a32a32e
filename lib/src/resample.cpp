#include "resample.hpp"

#include <vector>

namespace mtcnn::detail {

namespace {

struct Bin {
  int begin, end;
};

// Integer arithmetic gives the exact floor and ceiling of i * in / out.
std::vector<Bin> bins(int in, int out) {
  std::vector<Bin> result(out);
  for (int i = 0; i < out; ++i) {
    const long long lo = static_cast<long long>(i) * in;
    const long long hi = static_cast<long long>(i + 1) * in;
    result[i] = {static_cast<int>(lo / out), static_cast<int>((hi + out - 1) / out)};
  }
  return result;
}

// Rows first, one output row at a time: the row average of a bin is a single line, so no
// intermediate image is held, and the column pass reads it while it is still in cache.
// store(y, x, channel, value) places each output value. The order of the additions is part of
// the result (float sums): keep it when changing this.
template <typename Store>
void resample(const cv::Mat& src, cv::Size size, Store store) {
  CV_Assert(src.type() == CV_32FC3 && size.width > 0 && size.height > 0);
  const std::vector<Bin> row_bins = bins(src.rows, size.height);
  const std::vector<Bin> col_bins = bins(src.cols, size.width);
  const int row_len = src.cols * 3;
  std::vector<float> line(row_len);
  float* out = line.data();
  for (int i = 0; i < size.height; ++i) {
    const Bin b = row_bins[i];
    const float* first = src.ptr<float>(b.begin);
    for (int k = 0; k < row_len; ++k) out[k] = first[k];
    for (int r = b.begin + 1; r < b.end; ++r) {
      const float* in = src.ptr<float>(r);
      for (int k = 0; k < row_len; ++k) out[k] += in[k];
    }
    if (b.end - b.begin > 1) {
      const float inv = 1.0f / static_cast<float>(b.end - b.begin);
      for (int k = 0; k < row_len; ++k) out[k] *= inv;
    }

    for (int j = 0; j < size.width; ++j) {
      const Bin c = col_bins[j];
      float sum[3] = {0, 0, 0};
      for (int x = c.begin; x < c.end; ++x)
        for (int ch = 0; ch < 3; ++ch) sum[ch] += out[x * 3 + ch];
      const float inv = 1.0f / static_cast<float>(c.end - c.begin);
      for (int ch = 0; ch < 3; ++ch) store(i, j, ch, sum[ch] * inv);
    }
  }
}

}  // namespace

void resize_by_bin_average(const cv::Mat& src, cv::Mat& dst, cv::Size size) {
  dst.create(size, CV_32FC3);
  resample(src, size, [&dst](int y, int x, int ch, float v) { dst.ptr<float>(y)[x * 3 + ch] = v; });
}

void resize_to_planes_transposed(const cv::Mat& src, cv::Size size, float* planes) {
  const int plane = size.width * size.height;
  resample(src, size, [planes, plane, rows = size.height](int y, int x, int ch, float v) {
    planes[ch * plane + x * rows + y] = v;
  });
}

}  // namespace mtcnn::detail
