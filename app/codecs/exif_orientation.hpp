// A JPEG's EXIF orientation, read and applied as cv::imdecode does, so that a photo decoded here
// is the image OpenCV would have made of it, pixel for pixel.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <span>

namespace mtcnn::cli {

// The orientation tag (0x0112) of IFD 0 in `app1`, the data of a JPEG's first APP1 segment
// ("Exif\0\0" then a TIFF structure), read by libexif; 1 (as stored) when there is none or the
// block is not EXIF. Only the first APP1 counts, as in OpenCV: a photo whose first APP1 is XMP
// keeps its stored orientation.
int exif_orientation(std::span<const std::uint8_t> app1);

// Turns pixels stored with `orientation` (2-8: mirrored and/or rotated) into the upright view;
// 1 and values outside 1-8 leave them as they are.
void apply_exif_orientation(cv::Mat& image, int orientation);

}  // namespace mtcnn::cli
