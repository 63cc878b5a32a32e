#include "network_input.hpp"

#include <opencv2/imgproc.hpp>

#include "resample.hpp"

namespace mtcnn::detail {

namespace {

// Copies an HxWx3 float image into the three planes at dst, each plane transposed (W rows of
// H values): the Caffe models were trained on MATLAB's column-major images, so they expect x
// along the blob's rows.
void copy_planes_transposed(const cv::Mat& hwc, float* dst) {
  cv::Mat planes[3];
  cv::split(hwc, planes);
  const int plane = hwc.rows * hwc.cols;
  for (int c = 0; c < 3; ++c) {
    cv::Mat transposed(hwc.cols, hwc.rows, CV_32F, dst + c * plane);
    cv::transpose(planes[c], transposed);
  }
}

void resize_to(const cv::Mat& src, cv::Mat& dst, cv::Size size) {
  if (src.size() == size)
    src.copyTo(dst);
  else
    resize_by_bin_average(src, dst, size);
}

}  // namespace

cv::Mat normalize_image(const cv::Mat& image) {
  cv::Mat rgb;
  switch (image.channels()) {
    case 1:
      cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
      break;
    case 4:
      cv::cvtColor(image, rgb, cv::COLOR_BGRA2RGB);
      break;
    default:
      cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
      break;
  }
  cv::Mat normalized;
  rgb.convertTo(normalized, CV_32F, 0.0078125, -127.5 * 0.0078125);
  return normalized;
}

cv::Mat level_blob(const cv::Mat& normalized, cv::Size size) {
  cv::Mat resized;
  resize_to(normalized, resized, size);
  const int shape[] = {1, 3, size.width, size.height};
  cv::Mat blob(4, shape, CV_32F);
  copy_planes_transposed(resized, blob.ptr<float>());
  return blob;
}

cv::Mat crops_blob(const cv::Mat& normalized, const std::vector<Candidate>& boxes, int side,
                   bool pad) {
  const int shape[] = {static_cast<int>(boxes.size()), 3, side, side};
  cv::Mat blob(4, shape, CV_32F);
  const cv::Rect image_rect(0, 0, normalized.cols, normalized.rows);
  cv::Mat padded, resized;
  for (size_t i = 0; i < boxes.size(); ++i) {
    const Candidate& b = boxes[i];
    const int x1 = static_cast<int>(b.x1), y1 = static_cast<int>(b.y1);
    const cv::Rect box(x1 - 1, y1 - 1, static_cast<int>(b.x2) - x1 + 1,
                       static_cast<int>(b.y2) - y1 + 1);
    const cv::Rect inside = box & image_rect;
    if (inside == box || (!pad && !inside.empty())) {
      resize_to(normalized(inside), resized, {side, side});
    } else {
      padded.create(box.height, box.width, CV_32FC3);
      padded.setTo(cv::Scalar::all(kPadValue));
      if (!inside.empty()) normalized(inside).copyTo(padded(inside - box.tl()));
      resize_to(padded, resized, {side, side});
    }
    copy_planes_transposed(resized, blob.ptr<float>(static_cast<int>(i)));
  }
  return blob;
}

}  // namespace mtcnn::detail
