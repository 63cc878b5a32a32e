// Draws detections onto an image for a human to check: boxes, scores and the five landmarks,
// sized from the image so they are readable on a thumbnail and on a 24-megapixel photo alike.
#pragma once

#include <mtcnn/detector.hpp>
#include <opencv2/core.hpp>
#include <vector>

namespace mtcnn::cli {

// bgr: 8-bit, 3 channels, drawn on in place.
void draw_detections(cv::Mat& bgr, const std::vector<mtcnn::Face>& faces);

}  // namespace mtcnn::cli
