// A CMYK JPEG as Photoshop writes them (Adobe APP14 marker, inverted ink values), which OpenCV's
// own encoder cannot make: print-oriented archives and scraped datasets contain such files.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "support/jpeg_variants.hpp"

namespace cli_test {

// Encodes an 8-bit BGR image as a 4-channel CMYK JPEG. Adobe's files store 255 - ink, so with no
// black ink (K stored as 255) the stored C, M, Y equal R, G, B: the colours survive a reader that
// converts the Adobe way, and come out as a negative in one that does not.
inline std::vector<std::uint8_t> cmyk_jpeg(const cv::Mat& bgr, int quality = 90) {
  CV_Assert(bgr.type() == CV_8UC3);
  // CMYK in, CMYK stored, Adobe marker written: jpeg_set_defaults' choices for JCS_CMYK.
  return compress_jpeg(
      bgr.cols, bgr.rows, 4, JCS_CMYK, quality, [](jpeg_compress_struct&) {},
      [&](int y, JSAMPLE* row) {
        const auto* pixel = bgr.ptr<cv::Vec3b>(y);
        for (int x = 0; x < bgr.cols; ++x) {
          row[4 * x + 0] = pixel[x][2];
          row[4 * x + 1] = pixel[x][1];
          row[4 * x + 2] = pixel[x][0];
          row[4 * x + 3] = 255;
        }
      });
}

}  // namespace cli_test
