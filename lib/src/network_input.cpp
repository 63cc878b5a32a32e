#include "network_input.hpp"

#include <opencv2/imgproc.hpp>

#include "resample.hpp"

namespace mtcnn::detail {

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

cv::Mat to_bgr8(const cv::Mat& image) {
  CV_Assert(image.depth() == CV_8U);
  if (image.channels() == 3) return image;
  cv::Mat bgr;
  cv::cvtColor(image, bgr, image.channels() == 1 ? cv::COLOR_GRAY2BGR : cv::COLOR_BGRA2BGR);
  return bgr;
}

cv::Mat level_blob(const cv::Mat& pixels, cv::Size size) {
  const int shape[] = {1, 3, size.width, size.height};
  cv::Mat blob(4, shape, CV_32F);
  resize_to_planes_transposed(pixels, size, blob.ptr<float>());
  return blob;
}

void level_part_blob(const cv::Mat& pixels, cv::Size size, cv::Rect part, cv::Mat& blob) {
  const int shape[] = {1, 3, part.width, part.height};
  blob.create(4, shape, CV_32F);
  resize_to_planes_transposed(pixels, size, part, blob.ptr<float>());
}

cv::Mat crops_blob(const cv::Mat& pixels, const std::vector<Candidate>& boxes, int side, bool pad) {
  cv::Mat blob;
  crops_blob(pixels, boxes, side, pad, blob);
  return blob;
}

void crops_blob(const cv::Mat& pixels, std::span<const Candidate> boxes, int side, bool pad,
                cv::Mat& blob) {
  const int shape[] = {static_cast<int>(boxes.size()), 3, side, side};
  blob.create(4, shape, CV_32F);
  const cv::Rect image_rect(0, 0, pixels.cols, pixels.rows);
  cv::Mat padded;
  for (size_t i = 0; i < boxes.size(); ++i) {
    const Candidate& b = boxes[i];
    const int x1 = static_cast<int>(b.x1), y1 = static_cast<int>(b.y1);
    const cv::Rect box(x1 - 1, y1 - 1, static_cast<int>(b.x2) - x1 + 1,
                       static_cast<int>(b.y2) - y1 + 1);
    const cv::Rect inside = box & image_rect;
    float* planes = blob.ptr<float>(static_cast<int>(i));
    if (inside == box || (!pad && !inside.empty())) {
      resize_to_planes_transposed(pixels(inside), {side, side}, planes);
    } else {
      padded.create(box.height, box.width, pixels.type());
      // A black pixel, before or after normalisation.
      padded.setTo(cv::Scalar::all(pixels.depth() == CV_8U ? 0.0 : kPadValue));
      if (!inside.empty()) pixels(inside).copyTo(padded(inside - box.tl()));
      resize_to_planes_transposed(padded, {side, side}, planes);
    }
  }
}

}  // namespace mtcnn::detail
