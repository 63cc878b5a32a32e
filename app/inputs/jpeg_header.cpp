// JPEG: jpeg_read_header on a memory source reads the markers up to the first scan, so the
// frame header (SOFn) gives the size before any entropy-coded data is touched.
#include <csetjmp>
// jpeglib.h uses FILE without including the header that declares it.
// clang-format off
#include <cstdio>
#include <jpeglib.h>
// clang-format on

#include "inputs/codec_headers.hpp"

namespace mtcnn::cli {

namespace {

// libjpeg reports errors through error_exit, which must not return: it jumps back here.
struct SilentErrors {
  jpeg_error_mgr manager;  // first, so that the pointer libjpeg holds is one to the whole
  std::jmp_buf escape;
};

[[noreturn]] void jump_out(j_common_ptr info) {
  std::longjmp(reinterpret_cast<SilentErrors*>(info->err)->escape, 1);
}
void ignore_message(j_common_ptr, int) {}
void print_nothing(j_common_ptr) {}

}  // namespace

std::optional<DeclaredSize> read_jpeg_size(std::span<const std::uint8_t> bytes) {
  // Only plain C structs live in this frame, so a longjmp skips no destructor.
  jpeg_decompress_struct info{};
  SilentErrors errors{};
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = jump_out;
  errors.manager.emit_message = ignore_message;  // warnings (e.g. "premature end of data")
  errors.manager.output_message = print_nothing;
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
