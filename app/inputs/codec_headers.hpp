// The header readers of image_header.cpp that hand the bytes to a format's own library. Each
// returns the declared width and height, or nullopt when the library refuses the header; none
// prints anything (libraries' warnings and errors are silenced) and none decodes a pixel.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace mtcnn::cli {

struct DeclaredSize {
  std::uint64_t width = 0;
  std::uint64_t height = 0;
};

std::optional<DeclaredSize> read_jpeg_size(std::span<const std::uint8_t> bytes);  // libjpeg-turbo
std::optional<DeclaredSize> read_png_size(std::span<const std::uint8_t> bytes);   // libpng
std::optional<DeclaredSize> read_webp_size(std::span<const std::uint8_t> bytes);  // libwebp
std::optional<DeclaredSize> read_tiff_size(std::span<const std::uint8_t> bytes);  // libtiff

}  // namespace mtcnn::cli
