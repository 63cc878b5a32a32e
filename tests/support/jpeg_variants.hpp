// JPEGs as cameras and editors write them, which OpenCV's encoder cannot make: chroma sampled
// 4:4:4, 4:2:2 or 4:4:0, and APP1 blocks (EXIF with an orientation, XMP) after the start-of-image
// marker.
#pragma once

#include <jpeglib.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace cli_test {

// libjpeg's compressor, as every JPEG writer of the tests uses it: `configure` adjusts the
// settings after jpeg_set_defaults and the quality, `fill_row(y, row)` provides each row of
// width x components samples.
template <typename Configure, typename FillRow>
std::vector<std::uint8_t> compress_jpeg(int width, int height, int components,
                                        J_COLOR_SPACE colour_space, int quality,
                                        Configure configure, FillRow fill_row) {
  jpeg_compress_struct compressor{};
  jpeg_error_mgr errors{};
  compressor.err = jpeg_std_error(&errors);
  errors.error_exit = [](j_common_ptr) { std::abort(); };  // only fixed, valid inputs come here
  jpeg_create_compress(&compressor);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&compressor, &buffer, &size);
  compressor.image_width = static_cast<JDIMENSION>(width);
  compressor.image_height = static_cast<JDIMENSION>(height);
  compressor.input_components = components;
  compressor.in_color_space = colour_space;
  jpeg_set_defaults(&compressor);
  jpeg_set_quality(&compressor, quality, TRUE);
  configure(compressor);
  jpeg_start_compress(&compressor, TRUE);
  std::vector<JSAMPLE> row(static_cast<std::size_t>(width) * components);
  while (compressor.next_scanline < compressor.image_height) {
    fill_row(static_cast<int>(compressor.next_scanline), row.data());
    JSAMPROW rows[] = {row.data()};
    jpeg_write_scanlines(&compressor, rows, 1);
  }
  jpeg_finish_compress(&compressor);
  jpeg_destroy_compress(&compressor);
  std::vector<std::uint8_t> bytes(buffer, buffer + size);
  std::free(buffer);
  return bytes;
}

// Encodes 8-bit BGR as YCbCr with the luma sampled h x v times the chroma (2x2 is OpenCV's 4:2:0).
inline std::vector<std::uint8_t> ycbcr_jpeg(const cv::Mat& bgr, int h, int v, int quality = 90,
                                            bool progressive = false) {
  CV_Assert(bgr.type() == CV_8UC3);
  return compress_jpeg(
      bgr.cols, bgr.rows, 3, JCS_EXT_BGR, quality,
      [&](jpeg_compress_struct& compressor) {
        compressor.comp_info[0].h_samp_factor = h;
        compressor.comp_info[0].v_samp_factor = v;
        if (progressive) jpeg_simple_progression(&compressor);
      },
      [&](int y, JSAMPLE* row) { std::memcpy(row, bgr.ptr(y), bgr.cols * 3); });
}

// An EXIF block (APP1 data) whose only entry is the orientation tag, little- or big-endian.
inline std::vector<std::uint8_t> exif_orientation_block(std::uint8_t orientation,
                                                        bool big_endian = false) {
  if (big_endian) {
    return {'E',  'x',         'i', 'f', 0, 0,        // APP1 identifier
            'M',  'M',         0,   42,  0, 0, 0, 8,  // big-endian TIFF header, IFD at 8
            0,    1,                                  // one entry
            0x01, 0x12,        0,   3,   0, 0, 0, 1,  // tag 0x0112, SHORT, count 1
            0,    orientation, 0,   0,                // its value
            0,    0,           0,   0};               // no next IFD
  }
  return {'E',         'x',  'i', 'f', 0, 0,        // APP1 identifier
          'I',         'I',  42,  0,   8, 0, 0, 0,  // little-endian TIFF header, IFD at 8
          1,           0,                           // one entry
          0x12,        0x01, 3,   0,   1, 0, 0, 0,  // tag 0x0112, SHORT, count 1
          orientation, 0,    0,   0,                // its value
          0,           0,    0,   0};               // no next IFD
}

// An XMP packet's APP1 data (its identifier and a minimal packet).
inline std::vector<std::uint8_t> xmp_block() {
  const std::string text = std::string("http://ns.adobe.com/xap/1.0/") + '\0' +
                           "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
  return {text.begin(), text.end()};
}

// The JPEG with APP1 segments holding `blocks`, in order, right after its SOI, as cameras place
// them.
inline std::vector<std::uint8_t> with_app1(const std::vector<std::uint8_t>& jpeg,
                                           const std::vector<std::vector<std::uint8_t>>& blocks) {
  std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + 2);  // SOI
  for (const auto& block : blocks) {
    const std::size_t length = block.size() + 2;
    out.insert(out.end(), {0xFF, 0xE1, static_cast<std::uint8_t>(length >> 8),
                           static_cast<std::uint8_t>(length & 0xFF)});
    out.insert(out.end(), block.begin(), block.end());
  }
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

// The JPEG with its last scan (from its SOS marker to the end-of-image marker) repeated `times`
// more times: in a progressive JPEG, each repeat is one more pass over the coefficients, which
// libjpeg only warns about (the "scan bomb").
inline std::vector<std::uint8_t> with_last_scan_repeated(const std::vector<std::uint8_t>& jpeg,
                                                         int times) {
  std::size_t last_scan = 0;
  for (std::size_t i = 0; i + 1 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA) last_scan = i;  // no FF DA inside scan data
  }
  CV_Assert(last_scan > 0 && jpeg.size() >= 2 && jpeg[jpeg.size() - 2] == 0xFF &&
            jpeg.back() == 0xD9);
  std::vector<std::uint8_t> out(jpeg.begin(), jpeg.end() - 2);
  for (int k = 0; k < times; ++k) out.insert(out.end(), jpeg.begin() + last_scan, jpeg.end() - 2);
  out.insert(out.end(), {0xFF, 0xD9});
  return out;
}

}  // namespace cli_test
