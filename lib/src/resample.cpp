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

}  // namespace

void resize_by_bin_average(const cv::Mat& src, cv::Mat& dst, cv::Size size) {
  CV_Assert(src.type() == CV_32FC3 && size.width > 0 && size.height > 0);
  const std::vector<Bin> row_bins = bins(src.rows, size.height);
  const std::vector<Bin> col_bins = bins(src.cols, size.width);

  // Rows first: it shrinks the data the column pass has to walk.
  cv::Mat rows(size.height, src.cols, CV_32FC3);
  const int row_len = src.cols * 3;
  for (int i = 0; i < size.height; ++i) {
    float* out = rows.ptr<float>(i);
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
  }

  dst.create(size, CV_32FC3);
  for (int i = 0; i < size.height; ++i) {
    const float* in = rows.ptr<float>(i);
    float* out = dst.ptr<float>(i);
    for (int j = 0; j < size.width; ++j) {
      const Bin b = col_bins[j];
      float sum[3] = {0, 0, 0};
      for (int c = b.begin; c < b.end; ++c)
        for (int ch = 0; ch < 3; ++ch) sum[ch] += in[c * 3 + ch];
      const float inv = 1.0f / static_cast<float>(b.end - b.begin);
      for (int ch = 0; ch < 3; ++ch) out[j * 3 + ch] = sum[ch] * inv;
    }
  }
}

}  // namespace mtcnn::detail
