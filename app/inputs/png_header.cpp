// PNG: png_read_info reads the chunks before the first IDAT; the size is IHDR's, checked by
// libpng (CRC, the PNG limits) before we see it.
#include <png.h>

#include <cstring>

#include "inputs/codec_headers.hpp"

namespace mtcnn::cli {

namespace {

struct MemoryReader {
  std::span<const std::uint8_t> bytes;
  std::size_t offset = 0;
};

void read_from_memory(png_structp png, png_bytep out, png_size_t length) {
  auto* reader = static_cast<MemoryReader*>(png_get_io_ptr(png));
  if (length > reader->bytes.size() - reader->offset) png_error(png, "unexpected end of data");
  std::memcpy(out, reader->bytes.data() + reader->offset, length);
  reader->offset += length;
}

// libpng's error handler must not return (it would print and abort): it jumps back to setjmp.
[[noreturn]] void jump_out(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void ignore_warning(png_structp, png_const_charp) {}

}  // namespace

std::optional<DeclaredSize> read_png_size(std::span<const std::uint8_t> bytes) {
  MemoryReader reader{bytes};
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, &jump_out, &ignore_warning);
  if (png == nullptr) return std::nullopt;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return std::nullopt;
  }
  // png and info are not changed after setjmp, and this frame holds no destructor to skip.
  if (setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_read_struct(&png, &info, nullptr);
    return std::nullopt;
  }
  png_set_read_fn(png, &reader, &read_from_memory);
  png_read_info(png, info);
  const DeclaredSize size{png_get_image_width(png, info), png_get_image_height(png, info)};
  png_destroy_read_struct(&png, &info, nullptr);
  return size;
}

}  // namespace mtcnn::cli
