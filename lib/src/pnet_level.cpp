#include "pnet_level.hpp"

#include <algorithm>
#include <cmath>

namespace mtcnn::detail {

namespace {

// The windows of one pass whose face score reaches threshold. The blobs are transposed (see
// network_input.hpp): their row axis is the image's x. Only the first cells_x cells along x
// are taken; the pass starts at the level's cell first_x.
void add_windows(const cv::Mat& prob, const cv::Mat& reg, double scale, float threshold,
                 int first_x, int cells_x, std::vector<Candidate>& out) {
  const int along_y = prob.size[3];
  const int plane = prob.size[2] * along_y;
  const float* face = prob.ptr<float>(0, 1);
  const float* offsets = reg.ptr<float>(0, 0);
  for (int i = 0; i < cells_x * along_y; ++i) {
    if (face[i] < threshold) continue;
    const double x = first_x + i / along_y;
    const double y = i % along_y;
    Candidate c;
    c.x1 = static_cast<float>(std::trunc((kPNetStride * x + 1) / scale));
    c.y1 = static_cast<float>(std::trunc((kPNetStride * y + 1) / scale));
    c.x2 = static_cast<float>(std::trunc((kPNetStride * x + kPNetCell) / scale));
    c.y2 = static_cast<float>(std::trunc((kPNetStride * y + kPNetCell) / scale));
    c.score = face[i];
    for (int k = 0; k < 4; ++k) c.reg[k] = offsets[k * plane + i];
    out.push_back(c);
  }
}

// Rows [first, first + rows) of a 1 x 3 x W x H blob.
cv::Mat blob_rows(const cv::Mat& blob, int first, int rows) {
  const int height = blob.size[3];
  const int shape[] = {1, 3, rows, height};
  cv::Mat strip(4, shape, CV_32F);
  for (int c = 0; c < 3; ++c)
    std::copy_n(blob.ptr<float>(0, c) + static_cast<std::size_t>(first) * height,
                static_cast<std::size_t>(rows) * height, strip.ptr<float>(0, c));
  return strip;
}

}  // namespace

int pnet_strip_rows(cv::Size level, long long max_pixels) {
  const long long fit = max_pixels / std::max(1, level.height) / 2 * 2;
  const long long rows = std::max<long long>(kPNetCell + kPNetStride, fit);
  // A level that fits whole runs in one pass, whatever the parity of its width.
  return static_cast<int>(std::min<long long>(rows, level.width / 2 * 2 + 2));
}

std::vector<Candidate> pnet_windows(cv::dnn::Net& net, const cv::Mat& blob, double scale,
                                    float threshold, int strip_rows) {
  CV_Assert(blob.dims == 4 && strip_rows >= kPNetCell + kPNetStride && strip_rows % 2 == 0);
  const int width = blob.size[2];
  std::vector<Candidate> found;
  std::vector<cv::Mat> out;
  for (int first = 0;; first += strip_rows - (kPNetCell - kPNetStride)) {
    const bool last = first + strip_rows >= width;
    if (last && first == 0)
      net.setInput(blob);
    else
      net.setInput(blob_rows(blob, first, last ? width - first : strip_rows));
    net.forward(out, std::vector<cv::String>{"conv4-2", "prob1"});
    // A strip holds whole the windows that start within its first rows - 10 columns; the
    // last one also holds those the level's edge cuts, as one pass over the level does.
    const int cells = last ? out[1].size[2] : (strip_rows - kPNetCell) / kPNetStride + 1;
    add_windows(out[1], out[0], scale, threshold, first / kPNetStride, cells, found);
    if (last) return found;
  }
}

}  // namespace mtcnn::detail
