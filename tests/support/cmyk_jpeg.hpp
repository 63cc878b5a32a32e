// A CMYK JPEG as Photoshop writes them (Adobe APP14 marker, inverted ink values), which OpenCV's
// own encoder cannot make: print-oriented archives and scraped datasets contain such files.
#pragma once

#include <jpeglib.h>

#include <cstdint>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <vector>

namespace cli_test {

// Encodes an 8-bit BGR image as a 4-channel CMYK JPEG. Adobe's files store 255 - ink, so with no
// black ink (K stored as 255) the stored C, M, Y equal R, G, B: the colours survive a reader that
// converts the Adobe way, and come out as a negative in one that does not.
inline std::vector<std::uint8_t> cmyk_jpeg(const cv::Mat& bgr, int quality = 90) {
  CV_Assert(bgr.type() == CV_8UC3);
  jpeg_compress_struct compressor{};
  jpeg_error_mgr errors{};
  compressor.err = jpeg_std_error(&errors);
  errors.error_exit = [](j_common_ptr) { std::abort(); };  // only fixed, valid inputs come here
  jpeg_create_compress(&compressor);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&compressor, &buffer, &size);
  compressor.image_width = static_cast<JDIMENSION>(bgr.cols);
  compressor.image_height = static_cast<JDIMENSION>(bgr.rows);
  compressor.input_components = 4;
  compressor.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&compressor);  // CMYK in, CMYK stored, Adobe marker written
  jpeg_set_quality(&compressor, quality, TRUE);
  jpeg_start_compress(&compressor, TRUE);
  std::vector<JSAMPLE> row(static_cast<std::size_t>(bgr.cols) * 4);
  while (compressor.next_scanline < compressor.image_height) {
    const auto* pixel = bgr.ptr<cv::Vec3b>(static_cast<int>(compressor.next_scanline));
    for (int x = 0; x < bgr.cols; ++x) {
      row[4 * x + 0] = pixel[x][2];
      row[4 * x + 1] = pixel[x][1];
      row[4 * x + 2] = pixel[x][0];
      row[4 * x + 3] = 255;
    }
    JSAMPROW rows[] = {row.data()};
    jpeg_write_scanlines(&compressor, rows, 1);
  }
  jpeg_finish_compress(&compressor);
  jpeg_destroy_compress(&compressor);
  std::vector<std::uint8_t> bytes(buffer, buffer + size);
  std::free(buffer);
  return bytes;
}

}  // namespace cli_test
