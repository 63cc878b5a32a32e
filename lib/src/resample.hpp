// Resampling by averaging: each output pixel is the plain mean of the input pixels of its bin,
// bin i along an axis covering [floor(i * in / out), ceil((i + 1) * in / out)).
//
// This is the "area" mode of the reference implementation (adaptive average pooling). It
// differs from OpenCV's INTER_AREA, which weights partly covered pixels by their coverage,
// and measurably changes which boxes survive the cascade, so we reproduce it.
#pragma once

#include <opencv2/core.hpp>

namespace mtcnn::detail {

// src: CV_32FC3. dst is (re)allocated as size, CV_32FC3. Works for shrinking and enlarging.
void resize_by_bin_average(const cv::Mat& src, cv::Mat& dst, cv::Size size);

// The same values, written straight into three planes at `planes`, each transposed (size.width
// rows of size.height values), as network blobs are laid out; saves an image and two copies.
// src is CV_32FC3 (planes in its channel order) or 8-bit BGR, CV_8UC3: then the planes hold
// the normalised RGB values (x - 127.5) / 128, bit for bit what normalising first would give,
// without the float copy of the whole photo.
void resize_to_planes_transposed(const cv::Mat& src, cv::Size size, float* planes);

// Only the region `part` of the image resized to size (part lies within it), as planes of
// part.width rows of part.height values: bit for bit that region of the whole result, reading
// only the source pixels its bins cover. A large pyramid level is never held whole.
void resize_to_planes_transposed(const cv::Mat& src, cv::Size size, cv::Rect part, float* planes);

}  // namespace mtcnn::detail
