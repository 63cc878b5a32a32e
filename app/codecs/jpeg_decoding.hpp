// JPEG decoding through libjpeg-turbo, without OpenCV's imgcodecs (opencv_codecs.hpp says why):
// the image cv::imdecode(bytes, IMREAD_COLOR) makes of the same bytes, pixel for pixel, with the
// same library and settings (8-bit BGR, grey replicated, EXIF orientation applied).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <optional>
#include <span>
#include <stdexcept>

namespace mtcnn::cli {

// Whether the bytes start as a JPEG does (SOI then a marker), the test OpenCV chooses its JPEG
// decoder by.
bool looks_like_jpeg(std::span<const std::uint8_t> bytes);

// libjpeg's reason for refusing the data, e.g. "Bogus marker length".
struct JpegDecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The photo as 8-bit BGR, upright. nullopt for a four-channel (CMYK or YCCK) JPEG, which OpenCV
// converts with its own formula: leave those to opencv_decode. Throws JpegDecodeError.
std::optional<cv::Mat> decode_jpeg(std::span<const std::uint8_t> bytes);

}  // namespace mtcnn::cli
