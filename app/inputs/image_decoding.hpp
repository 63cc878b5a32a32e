// Reading one input into pixels, with a specific error code for each way that can fail.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>

namespace mtcnn::cli {

// Reads the file once and decodes its bytes with cv::imdecode(IMREAD_COLOR): EXIF orientation
// is applied and the result is 8-bit BGR. Throws ImageFailure (not_found, not_a_file, unreadable,
// empty_file, decode_failed).
cv::Mat decode_image(const std::filesystem::path& path);

}  // namespace mtcnn::cli
