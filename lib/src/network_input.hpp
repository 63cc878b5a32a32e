// Turning pixels into network input blobs, as the original code prepares them:
// RGB channel order, values (x - 127.5) / 128, planar floats, and transposed: the blob's rows
// run along the image's x axis (N x 3 x W x H), because the models were trained that way.
#pragma once

#include <opencv2/core.hpp>
#include <span>
#include <vector>

#include "boxes.hpp"

namespace mtcnn::detail {

// The value a black (0) pixel takes after normalisation: what zero padding becomes.
inline constexpr float kPadValue = (0.0f - 127.5f) * 0.0078125f;

// 8-bit BGR (or gray, or BGRA) to normalised RGB float, CV_32FC3.
cv::Mat normalize_image(const cv::Mat& image);

// 8-bit gray or BGRA to BGR, CV_8UC3; BGR as is (no copy). The blob functions below take it in
// place of normalize_image()'s result and give the same blobs, bit for bit, without a float
// copy of the whole photo (4 bytes per channel instead of 1).
cv::Mat to_bgr8(const cv::Mat& image);

// In the functions below, `pixels` is to_bgr8()'s image (what the detector passes) or
// normalize_image()'s; both give the same blob.

// One pyramid level: pixels resized to size, as a 1 x 3 x W x H blob.
cv::Mat level_blob(const cv::Mat& pixels, cv::Size size);

// The region `part` of that level, resampled straight from pixels into blob ((re)created as
// 1 x 3 x part.width x part.height): bit for bit the same region of level_blob(pixels, size).
void level_part_blob(const cv::Mat& pixels, cv::Size size, cv::Rect part, cv::Mat& blob);

// Square crops of the boxes (1-based inclusive corners, truncated toward zero as MATLAB's fix()
// does), resized to side x side, as an N x 3 x side x side blob. Parts of a box outside the
// image are black when pad is set; otherwise only the part inside the image is cropped (and
// stretched).
cv::Mat crops_blob(const cv::Mat& pixels, const std::vector<Candidate>& boxes, int side,
                   bool pad = true);

// The same into blob, (re)created for boxes.size() crops: the detector fills one network
// chunk at a time, so the crops of thousands of candidates are never held at once.
void crops_blob(const cv::Mat& pixels, std::span<const Candidate> boxes, int side, bool pad,
                cv::Mat& blob);

}  // namespace mtcnn::detail
