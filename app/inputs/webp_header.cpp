// WebP: WebPGetInfo parses the RIFF container and the VP8, VP8L or VP8X header (the canvas of
// an extended file) without decoding.
#include <webp/decode.h>

#include "inputs/codec_headers.hpp"

namespace mtcnn::cli {

std::optional<DeclaredSize> read_webp_size(std::span<const std::uint8_t> bytes) {
  int width = 0;
  int height = 0;
  if (WebPGetInfo(bytes.data(), bytes.size(), &width, &height) == 0) return std::nullopt;
  return DeclaredSize{static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height)};
}

}  // namespace mtcnn::cli
