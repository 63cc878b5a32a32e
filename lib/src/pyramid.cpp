#include "pyramid.hpp"

#include <algorithm>

namespace mtcnn::detail {

std::vector<double> pyramid_scales(cv::Size image, double min_face, double scale_factor) {
  std::vector<double> scales;
  const double first = 12.0 / min_face;
  double short_side = std::min(image.width, image.height) * first;
  for (double scale = first; short_side >= 12.0; scale *= scale_factor) {
    scales.push_back(scale);
    short_side *= scale_factor;
  }
  return scales;
}

cv::Size scaled_size(cv::Size image, double scale) {
  return {static_cast<int>(image.width * scale + 1), static_cast<int>(image.height * scale + 1)};
}

}  // namespace mtcnn::detail
