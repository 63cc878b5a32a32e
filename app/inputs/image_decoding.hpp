// Reading one input into pixels, with a specific error code for each way that can fail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

#include "inputs/image_limits.hpp"

namespace mtcnn::cli {

// Reads the file once (standard input for "-") and decodes its bytes into the image
// cv::imdecode(IMREAD_COLOR) makes of them (JPEG through libjpeg-turbo, codecs/jpeg_decoding.hpp):
// EXIF orientation is applied and the result is 8-bit BGR. An input
// over limits.max_bytes is refused before it is read (standard input: as soon as more arrives);
// one over limits.max_pixels as soon as its header is read (image_header.hpp), before any pixel
// is decoded, or, for a format without a header check, after decoding. Throws ImageFailure
// (not_found, not_a_file, unreadable, empty_file, too_large, decode_failed).
cv::Mat decode_image(const std::filesystem::path& path, const ImageLimits& limits = {});

// The same from bytes already in memory (what decode_image does once it has read them): the
// header's size against limits.max_pixels, the JPEG structure check, decoding. Throws
// ImageFailure (too_large, decode_failed).
cv::Mat decode_image_bytes(const std::vector<std::uint8_t>& bytes, const ImageLimits& limits = {});

}  // namespace mtcnn::cli
