// PNG encoding through libpng, without OpenCV's imgcodecs (opencv_codecs.hpp says why): the bytes
// cv::imencode(".png", image) writes with its default parameters, with the same library and
// settings (the "sub" filter, zlib's fastest level and its run-length strategy).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

namespace mtcnn::cli {

// `image` is 8-bit BGR (CV_8UC3). false (with nothing in `bytes`) if libpng refuses.
bool encode_png(const cv::Mat& image, std::vector<std::uint8_t>& bytes);

}  // namespace mtcnn::cli
