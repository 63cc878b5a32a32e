#include "pyramid.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "mtcnn/detector.hpp"

namespace mtcnn::detail {

namespace {

// floor(side * scale) + 1, in double: a side too large for an int is caught before the cast.
double scaled_side(int side, double scale) { return std::floor(side * scale + 1); }

}  // namespace

std::vector<double> pyramid_scales(cv::Size image, double min_face, double scale_factor) {
  std::vector<double> scales;
  const double first = 12.0 / min_face;
  double short_side = std::min(image.width, image.height) * first;
  if (short_side >= 12.0) {
    const double width = scaled_side(image.width, first);
    const double height = scaled_side(image.height, first);
    if (width * height > static_cast<double>(kMaxLevelPixels)) {
      std::ostringstream message;
      message << "pyramid too large: at min_face " << min_face << " the first level of this "
              << image.width << "x" << image.height << " photo would be " << std::fixed
              << std::setprecision(0) << width << "x" << height << " pixels, more than "
              << kMaxLevelPixels << "; use a larger min_face or a max_side";
      throw PyramidTooLargeError(message.str());
    }
  }
  for (double scale = first; short_side >= 12.0; scale *= scale_factor) {
    scales.push_back(scale);
    short_side *= scale_factor;
  }
  return scales;
}

cv::Size scaled_size(cv::Size image, double scale) {
  const double width = scaled_side(image.width, scale);
  const double height = scaled_side(image.height, scale);
  CV_Assert(width <= INT_MAX && height <= INT_MAX);
  return {static_cast<int>(width), static_cast<int>(height)};
}

}  // namespace mtcnn::detail
