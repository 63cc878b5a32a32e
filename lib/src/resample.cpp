#include "resample.hpp"

#include <cstdint>
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
// average_rows(bin, line) writes the mean of the bin's rows into line; store(y, x, channel,
// value) places each output value. The order of the additions is part of the result (float
// sums): keep it when changing this.
template <typename AverageRows, typename Store>
void resample(cv::Size in, cv::Size size, AverageRows average_rows, Store store) {
  CV_Assert(size.width > 0 && size.height > 0);
  const std::vector<Bin> row_bins = bins(in.height, size.height);
  const std::vector<Bin> col_bins = bins(in.width, size.width);
  std::vector<float> line(static_cast<std::size_t>(in.width) * 3);
  const float* out = line.data();
  for (int i = 0; i < size.height; ++i) {
    average_rows(row_bins[i], line.data());
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

void resample_float(const cv::Mat& src, cv::Size size, auto store) {
  CV_Assert(src.type() == CV_32FC3);
  const int row_len = src.cols * 3;
  const auto average_rows = [&src, row_len](Bin b, float* out) {
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
  };
  resample(src.size(), size, average_rows, store);
}

// The row pass on 8-bit pixels gives the very floats the float pass gives on the normalised
// image: a normalised value is (2x - 255) / 256, so every partial float sum of n of them is
// exactly (2S - 255n) / 256 for the integer sum S (at most 16 significant bits), and the
// division by n is then the same float multiplication.
void resample_bgr8(const cv::Mat& src, cv::Size size, auto store) {
  CV_Assert(src.type() == CV_8UC3);
  const int row_len = src.cols * 3;
  std::vector<int> sums(row_len);
  const auto average_rows = [&src, &sums, row_len](Bin b, float* out) {
    const int n = b.end - b.begin;
    const std::uint8_t* first = src.ptr<std::uint8_t>(b.begin);
    for (int k = 0; k < row_len; ++k) sums[k] = first[k];
    for (int r = b.begin + 1; r < b.end; ++r) {
      const std::uint8_t* in = src.ptr<std::uint8_t>(r);
      for (int k = 0; k < row_len; ++k) sums[k] += in[k];
    }
    for (int k = 0; k < row_len; ++k)
      out[k] = static_cast<float>(2 * sums[k] - 255 * n) * (1.0f / 256.0f);
    if (n > 1) {
      const float inv = 1.0f / static_cast<float>(n);
      for (int k = 0; k < row_len; ++k) out[k] *= inv;
    }
  };
  resample(src.size(), size, average_rows, store);
}

}  // namespace

void resize_by_bin_average(const cv::Mat& src, cv::Mat& dst, cv::Size size) {
  dst.create(size, CV_32FC3);
  resample_float(src, size,
                 [&dst](int y, int x, int ch, float v) { dst.ptr<float>(y)[x * 3 + ch] = v; });
}

void resize_to_planes_transposed(const cv::Mat& src, cv::Size size, float* planes) {
  const int plane = size.width * size.height;
  const int rows = size.height;
  if (src.type() == CV_8UC3) {
    // BGR in, RGB planes out.
    resample_bgr8(src, size, [planes, plane, rows](int y, int x, int ch, float v) {
      planes[(2 - ch) * plane + x * rows + y] = v;
    });
  } else {
    resample_float(src, size, [planes, plane, rows](int y, int x, int ch, float v) {
      planes[ch * plane + x * rows + y] = v;
    });
  }
}

}  // namespace mtcnn::detail
