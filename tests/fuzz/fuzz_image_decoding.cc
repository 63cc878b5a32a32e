// Decoding an input's bytes as mtcnn detect does, with the tool's default limits: the header
// size check (image_header.hpp, libjpeg/libpng/libtiff/libwebp and our BMP/PNM readers), the
// JPEG structure check, then JPEG by libjpeg-turbo with libexif's orientation (codecs/) and
// every other format by cv::imdecode. Run with -rss_limit_mb=2048 (scripts/fuzz.sh): a header
// declaring a huge image must be refused (too_large) before its pixels are allocated.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "inputs/image_decoding.hpp"
#include "inputs/image_header.hpp"
#include "records/image_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes(data, data + size);
  // The header reader on its own as well: it decides alone for formats whose decoding fails.
  if (const auto declared = mtcnn::cli::read_image_size(bytes)) {
    if (declared->width < 0 || declared->height < 0) __builtin_trap();
  }
  const mtcnn::cli::ImageLimits limits;  // the defaults of mtcnn detect
  try {
    const cv::Mat image = mtcnn::cli::decode_image_bytes(bytes, limits);
    // What the detector is given: 8-bit BGR within the pixel limit.
    if (image.type() != CV_8UC3 || image.total() > limits.max_pixels) __builtin_trap();
  } catch (const mtcnn::cli::ImageFailure&) {
  }
  return 0;
}
