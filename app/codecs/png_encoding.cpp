#include "codecs/png_encoding.hpp"

#include <png.h>
#include <zlib.h>

namespace mtcnn::cli {

namespace {

void append(png_structp png, png_bytep data, png_size_t length) {
  auto* bytes = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  bytes->insert(bytes->end(), data, data + length);
}
void flush_nothing(png_structp) {}

// The libpng calls, in a frame where an error's longjmp skips no destructor: `rows` and `bytes`
// belong to the caller.
bool run_libpng(png_structp png, png_infop info, const cv::Mat& image, png_bytep* rows,
                std::vector<std::uint8_t>& bytes) {
  if (setjmp(png_jmpbuf(png)) != 0) return false;
  png_set_write_fn(png, &bytes, &append, &flush_nothing);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
  png_set_compression_level(png, Z_BEST_SPEED);
  png_set_compression_strategy(png, Z_RLE);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.cols),
               static_cast<png_uint_32>(image.rows), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_set_bgr(png);
  png_write_image(png, rows);
  png_write_end(png, info);
  return true;
}

}  // namespace

bool encode_png(const cv::Mat& image, std::vector<std::uint8_t>& bytes) {
  CV_Assert(image.type() == CV_8UC3);
  // Errors jump back to run_libpng's setjmp (libpng's own handler would print first);
  // warnings are not printed.
  png_structp png = png_create_write_struct(
      PNG_LIBPNG_VER_STRING, nullptr,
      [](png_structp self, png_const_charp) { png_longjmp(self, 1); },
      [](png_structp, png_const_charp) {});
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  std::vector<png_bytep> rows(static_cast<std::size_t>(image.rows));
  for (int y = 0; y < image.rows; ++y) rows[y] = const_cast<png_bytep>(image.ptr(y));
  bytes.clear();
  const bool written = info != nullptr && run_libpng(png, info, image, rows.data(), bytes);
  png_destroy_write_struct(&png, &info);
  if (!written) bytes.clear();
  return written;
}

}  // namespace mtcnn::cli
