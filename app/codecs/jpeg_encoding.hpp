// JPEG encoding through libjpeg-turbo, without OpenCV's imgcodecs (opencv_codecs.hpp says why):
// the bytes cv::imencode(".jpg", image, {IMWRITE_JPEG_QUALITY, quality}) writes, with the same
// library and settings (baseline, 4:2:0, no optimised Huffman tables).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

namespace mtcnn::cli {

// `image` is 8-bit BGR (CV_8UC3); quality is clamped to 0-100 as OpenCV does. false (with
// nothing in `bytes`) if libjpeg refuses, e.g. a side over 65,500 pixels.
bool encode_jpeg(const cv::Mat& image, int quality, std::vector<std::uint8_t>& bytes);

}  // namespace mtcnn::cli
