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
void resize_to_planes_transposed(const cv::Mat& src, cv::Size size, float* planes);

}  // namespace mtcnn::detail
