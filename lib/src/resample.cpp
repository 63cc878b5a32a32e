#include "resample.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mtcnn::detail {

namespace {

struct Bin {
  int begin, end;
};

// Bins [first, first + count) of out bins over in pixels. Integer arithmetic gives the exact
// floor and ceiling of i * in / out.
std::vector<Bin> bins(int in, int out, int first, int count) {
  std::vector<Bin> result(count);
  for (int k = 0; k < count; ++k) {
    const long long i = first + k;
    const long long lo = i * in;
    const long long hi = (i + 1) * in;
    result[k] = {static_cast<int>(lo / out), static_cast<int>((hi + out - 1) / out)};
  }
  return result;
}

// Rows first, one output row at a time: the row average of a bin is a single line, so no
// intermediate image is held, and the column pass reads it while it is still in cache.
// average_rows(bin, first_col, cols, line) writes the mean of the bin's rows over the source
// columns [first_col, first_col + cols) into line; store(y, x, channel, value) places each
// value of the part. Each value is computed alone from its bins, so a part's values are those
// of the whole. The order of the additions is part of the result (float sums): keep it when
// changing this.
template <typename AverageRows, typename Store>
void resample(cv::Size in, cv::Size size, cv::Rect part, AverageRows average_rows, Store store) {
  CV_Assert(size.width > 0 && size.height > 0 && !part.empty() &&
            (part & cv::Rect({}, size)) == part);
  const std::vector<Bin> row_bins = bins(in.height, size.height, part.y, part.height);
  const std::vector<Bin> col_bins = bins(in.width, size.width, part.x, part.width);
  // The source columns the part's bins cover: the row pass reads only those.
  const int first_col = col_bins.front().begin;
  const int cols = col_bins.back().end - first_col;
  std::vector<float> line(static_cast<std::size_t>(cols) * 3);
  const float* out = line.data();
  for (int i = 0; i < part.height; ++i) {
    average_rows(row_bins[i], first_col, cols, line.data());
    for (int j = 0; j < part.width; ++j) {
      const Bin c = col_bins[j];
      float sum[3] = {0, 0, 0};
      for (int x = c.begin - first_col; x < c.end - first_col; ++x)
        for (int ch = 0; ch < 3; ++ch) sum[ch] += out[x * 3 + ch];
      const float inv = 1.0f / static_cast<float>(c.end - c.begin);
      for (int ch = 0; ch < 3; ++ch) store(i, j, ch, sum[ch] * inv);
    }
  }
}

void resample_float(const cv::Mat& src, cv::Size size, cv::Rect part, auto store) {
  CV_Assert(src.type() == CV_32FC3);
  const auto average_rows = [&src](Bin b, int first_col, int cols, float* out) {
    const int row_len = cols * 3;
    const float* first = src.ptr<float>(b.begin) + first_col * 3;
    for (int k = 0; k < row_len; ++k) out[k] = first[k];
    for (int r = b.begin + 1; r < b.end; ++r) {
      const float* in = src.ptr<float>(r) + first_col * 3;
      for (int k = 0; k < row_len; ++k) out[k] += in[k];
    }
    if (b.end - b.begin > 1) {
      const float inv = 1.0f / static_cast<float>(b.end - b.begin);
      for (int k = 0; k < row_len; ++k) out[k] *= inv;
    }
  };
  resample(src.size(), size, part, average_rows, store);
}

// The row pass on 8-bit pixels gives the very floats the float pass gives on the normalised
// image: a normalised value is (2x - 255) / 256, so every partial float sum of n of them is
// exactly (2S - 255n) / 256 for the integer sum S (at most 16 significant bits), and the
// division by n is then the same float multiplication.
void resample_bgr8(const cv::Mat& src, cv::Size size, cv::Rect part, auto store) {
  CV_Assert(src.type() == CV_8UC3);
  std::vector<int> sums;
  const auto average_rows = [&src, &sums](Bin b, int first_col, int cols, float* out) {
    const int row_len = cols * 3;
    const int n = b.end - b.begin;
    sums.resize(row_len);
    const std::uint8_t* first = src.ptr<std::uint8_t>(b.begin) + first_col * 3;
    for (int k = 0; k < row_len; ++k) sums[k] = first[k];
    for (int r = b.begin + 1; r < b.end; ++r) {
      const std::uint8_t* in = src.ptr<std::uint8_t>(r) + first_col * 3;
      for (int k = 0; k < row_len; ++k) sums[k] += in[k];
    }
    for (int k = 0; k < row_len; ++k)
      out[k] = static_cast<float>(2 * sums[k] - 255 * n) * (1.0f / 256.0f);
    if (n > 1) {
      const float inv = 1.0f / static_cast<float>(n);
      for (int k = 0; k < row_len; ++k) out[k] *= inv;
    }
  };
  resample(src.size(), size, part, average_rows, store);
}

}  // namespace

void resize_by_bin_average(const cv::Mat& src, cv::Mat& dst, cv::Size size) {
  dst.create(size, CV_32FC3);
  resample_float(src, size, cv::Rect({}, size),
                 [&dst](int y, int x, int ch, float v) { dst.ptr<float>(y)[x * 3 + ch] = v; });
}

void resize_to_planes_transposed(const cv::Mat& src, cv::Size size, float* planes) {
  resize_to_planes_transposed(src, size, cv::Rect({}, size), planes);
}

void resize_to_planes_transposed(const cv::Mat& src, cv::Size size, cv::Rect part, float* planes) {
  // 64-bit offsets: a plane may hold more values than an int counts.
  const std::size_t rows = static_cast<std::size_t>(part.height);
  const std::size_t plane = static_cast<std::size_t>(part.width) * rows;
  const auto at = [planes, plane, rows](int channel, int y, int x) -> float& {
    return planes[static_cast<std::size_t>(channel) * plane + static_cast<std::size_t>(x) * rows +
                  static_cast<std::size_t>(y)];
  };
  if (src.type() == CV_8UC3) {
    // BGR in, RGB planes out.
    resample_bgr8(src, size, part, [&at](int y, int x, int ch, float v) { at(2 - ch, y, x) = v; });
  } else {
    resample_float(src, size, part, [&at](int y, int x, int ch, float v) { at(ch, y, x) = v; });
  }
}

}  // namespace mtcnn::detail
