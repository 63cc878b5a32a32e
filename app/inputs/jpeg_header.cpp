// JPEG: jpeg_read_header on a memory source reads the markers up to the first scan, so the
// frame header (SOFn) gives the size before any entropy-coded data is touched.
#include "codecs/libjpeg_errors.hpp"
#include "inputs/codec_headers.hpp"

namespace mtcnn::cli {

std::optional<DeclaredSize> read_jpeg_size(std::span<const std::uint8_t> bytes) {
  // Only plain C structs live in this frame, so a longjmp skips no destructor.
  jpeg_decompress_struct info{};
  LibjpegErrors errors{};
  info.err = silent_libjpeg_errors(errors);
  if (setjmp(errors.escape) != 0) {
    jpeg_destroy_decompress(&info);  // safe on a half-created struct: it checks info.mem
    return std::nullopt;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  const bool has_image = jpeg_read_header(&info, TRUE) == JPEG_HEADER_OK;
  const DeclaredSize size{info.image_width, info.image_height};
  jpeg_destroy_decompress(&info);
  if (!has_image) return std::nullopt;
  return size;
}

}  // namespace mtcnn::cli
