// The image pyramid searched by P-Net: level k is scaled by m * f^k with m = 12 / min_face,
// so a face of min_face pixels fills one 12x12 P-Net window at the first level.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace mtcnn::detail {

// Scales from largest to smallest, while the short side at that scale is at least 12 pixels.
std::vector<double> pyramid_scales(cv::Size image, double min_face, double scale_factor);

// Size of the image resized by scale: floor(side * scale) + 1, as the reference implementation
// rounds (the original's ceil differs only when side * scale is a whole number).
cv::Size scaled_size(cv::Size image, double scale);

}  // namespace mtcnn::detail
