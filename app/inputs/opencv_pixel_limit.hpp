// OpenCV's own pixel limit, kept from refusing what --max-pixels allows.
//
// cv::imdecode refuses images over OPENCV_IO_MAX_IMAGE_PIXELS (default 2^30 = 1,073,741,824
// pixels) after reading their header. OpenCV 4.6 reads that variable once, in a static
// initialiser of libopencv_imgcodecs, that is when the library is loaded: the tool loads it on
// first use (codecs/opencv_codecs.hpp), so the variable is set before. JPEG, which mtcnn decodes
// itself (codecs/jpeg_decoding.hpp), is under --max-pixels alone.
#pragma once

#include <cstdint>
#include <optional>

#include "inputs/image_limits.hpp"

namespace mtcnn::cli {

// OpenCV's limit when the environment does not set it.
inline constexpr std::uint64_t kOpenCvDefaultPixelLimit = std::uint64_t{1} << 30;
inline constexpr const char* kOpenCvPixelLimitVariable = "OPENCV_IO_MAX_IMAGE_PIXELS";

// The value OPENCV_IO_MAX_IMAGE_PIXELS needs so that OpenCV refuses nothing that `limits` allows,
// or nothing when OpenCV's default already does (a lower --max-pixels, such as the default, is
// enforced by mtcnn itself). No limit (0) asks for the largest value OpenCV takes.
std::optional<std::uint64_t> opencv_pixel_limit_needed(const ImageLimits& limits);

// When the environment does not name OPENCV_IO_MAX_IMAGE_PIXELS and OpenCV's default would
// refuse images that --max-pixels allows (--max-pixels 0, or over 2^30), sets the variable for
// OpenCV's codecs to read when they are loaded. Call it right after the flags are parsed, before
// any image is decoded or written and before other threads start (setenv). A value the user set
// is kept (both limits then apply, the lower one refusing first). If the codecs are already
// loaded, a warning says that OpenCV's default holds.
void apply_opencv_pixel_limit(const ImageLimits& limits);

}  // namespace mtcnn::cli
