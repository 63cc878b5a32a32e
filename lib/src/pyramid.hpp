// The image pyramid searched by P-Net: level k is scaled by m * f^k with m = 12 / min_face,
// so a face of min_face pixels fills one 12x12 P-Net window at the first level.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

namespace mtcnn::detail {

// The most pixels the first (largest) level may have: as many as an int counts, the type of
// OpenCV's sizes and areas. At a min_face of 12 or more no level is larger than the photo (plus
// a pixel each way), so no photo OpenCV decodes by default (2^30 pixels at most) is refused;
// below 12 the photo is enlarged by 12 / min_face, and the limit stops sizes that overflow and
// searches of hours (P-Net takes about 0.1 us per level pixel, on about twice the first level).
inline constexpr long long kMaxLevelPixels = 2'147'483'647;

// Scales from largest to smallest, while the short side at that scale is at least 12 pixels.
// Throws PyramidTooLargeError when the first level would have more than kMaxLevelPixels pixels.
std::vector<double> pyramid_scales(cv::Size image, double min_face, double scale_factor);

// Size of the image resized by scale: floor(side * scale) + 1, as the reference implementation
// rounds (the original's ceil differs only when side * scale is a whole number).
cv::Size scaled_size(cv::Size image, double scale);

}  // namespace mtcnn::detail
