#include "codecs/jpeg_encoding.hpp"

#include <algorithm>
#include <cstdlib>

#include "codecs/libjpeg_errors.hpp"

namespace mtcnn::cli {

namespace {

// The libjpeg calls, in a frame that holds only plain C structs and references to objects
// outside it, so that an error's longjmp skips no destructor. libjpeg allocates the output
// (jpeg_mem_dest); `output` and `size` say where, and the caller frees it.
bool run_libjpeg(const cv::Mat& image, int quality, unsigned char*& output, unsigned long& size,
                 LibjpegErrors& errors) {
  jpeg_compress_struct info{};
  info.err = silent_libjpeg_errors(errors);
  if (setjmp(errors.escape) != 0) {
    jpeg_destroy_compress(&info);
    return false;
  }
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, &output, &size);
  info.image_width = static_cast<JDIMENSION>(image.cols);
  info.image_height = static_cast<JDIMENSION>(image.rows);
  info.input_components = 3;
  // OpenCV swaps each row to RGB; libjpeg-turbo reads BGR rows with the same conversion.
  info.in_color_space = JCS_EXT_BGR;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);  // limited to baseline tables, as OpenCV asks
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPLE*>(image.ptr(static_cast<int>(info.next_scanline)));
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  return true;
}

}  // namespace

bool encode_jpeg(const cv::Mat& image, int quality, std::vector<std::uint8_t>& bytes) {
  CV_Assert(image.type() == CV_8UC3);
  unsigned char* output = nullptr;
  unsigned long size = 0;
  LibjpegErrors errors{};
  const bool written = run_libjpeg(image, std::clamp(quality, 0, 100), output, size, errors);
  bytes.clear();
  if (written) bytes.assign(output, output + size);
  std::free(output);  // jpeg_mem_dest's buffer, also after an error
  return written;
}

}  // namespace mtcnn::cli
