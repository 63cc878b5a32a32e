// Image files whose header declares a size of our choosing while the file itself stays tiny:
// the "2.7 MB PNG that declares 30000 x 30000 pixels" of a scraped dataset, in every format the
// tool walks. Each starts from a real small image that OpenCV encodes, with its size fields
// rewritten, so everything but the size is what a real encoder writes. Made on the fly, never
// committed.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/cli_support.hpp"

namespace hostile {

using Bytes = std::vector<std::uint8_t>;

inline void put_big_endian(Bytes& bytes, std::size_t at, std::uint32_t value, int count) {
  for (int i = 0; i < count; ++i) {
    bytes.at(at + i) = static_cast<std::uint8_t>(value >> (8 * (count - 1 - i)));
  }
}

inline void put_little_endian(Bytes& bytes, std::size_t at, std::uint32_t value, int count) {
  for (int i = 0; i < count; ++i) bytes.at(at + i) = static_cast<std::uint8_t>(value >> (8 * i));
}

inline std::uint32_t little_endian(const Bytes& bytes, std::size_t at, int count) {
  std::uint32_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | bytes.at(at + i);
  return value;
}

inline Bytes small(const std::string& extension, const std::vector<int>& parameters = {}) {
  return cli_test::encode(cli_test::synthetic_image(16, 12), extension, parameters);
}

// PNG: IHDR is the first chunk (at 8: length, type, then width and height); its CRC-32 covers
// type and data and is recomputed, as libpng checks it. The image data stays 16 x 12.
inline Bytes png(std::uint32_t width, std::uint32_t height) {
  Bytes bytes = small(".png");
  put_big_endian(bytes, 16, width, 4);
  put_big_endian(bytes, 20, height, 4);
  const std::uint32_t crc = static_cast<std::uint32_t>(::crc32(0L, bytes.data() + 12, 4 + 13));
  put_big_endian(bytes, 29, crc, 4);
  return bytes;
}

// JPEG: the baseline frame header SOF0 (FF C0, length, precision, then height and width).
inline Bytes jpeg(std::uint16_t width, std::uint16_t height) {
  Bytes bytes = small(".jpg");
  for (std::size_t i = 2; i + 8 < bytes.size(); ++i) {
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xC0) {
      put_big_endian(bytes, i + 5, height, 2);
      put_big_endian(bytes, i + 7, width, 2);
      return bytes;
    }
  }
  throw std::runtime_error("no SOF0 in OpenCV's JPEG");
}

// WebP, lossy and simple ("VP8 " right after the RIFF header): the key frame header holds
// 14-bit width and height after its start code 9D 01 2A, so 16383 is the most it can declare.
inline Bytes webp(std::uint16_t width, std::uint16_t height) {
  Bytes bytes = small(".webp", {cv::IMWRITE_WEBP_QUALITY, 90});
  const Bytes start_code{0x9D, 0x01, 0x2A};
  if (bytes.size() < 30 || std::string(bytes.begin() + 12, bytes.begin() + 16) != "VP8 " ||
      !std::equal(start_code.begin(), start_code.end(), bytes.begin() + 23)) {
    throw std::runtime_error("OpenCV's WebP is not a simple lossy file");
  }
  put_little_endian(bytes, 26, width & 0x3FFF, 2);
  put_little_endian(bytes, 28, height & 0x3FFF, 2);
  return bytes;
}

// TIFF (little-endian, as OpenCV writes it): the ImageWidth (256) and ImageLength (257) entries
// of the first directory, SHORT or LONG.
inline Bytes tiff(std::uint32_t width, std::uint32_t height) {
  Bytes bytes = small(".tiff");
  if (bytes.at(0) != 'I') throw std::runtime_error("OpenCV's TIFF is not little-endian");
  const std::uint32_t directory = little_endian(bytes, 4, 4);
  const std::uint32_t entries = little_endian(bytes, directory, 2);
  int patched = 0;
  for (std::uint32_t i = 0; i < entries; ++i) {
    const std::size_t entry = directory + 2 + 12 * i;
    const std::uint32_t tag = little_endian(bytes, entry, 2);
    if (tag != 256 && tag != 257) continue;
    const std::uint32_t value = tag == 256 ? width : height;
    const std::uint32_t type = little_endian(bytes, entry + 2, 2);
    if (type == 3 && value > 0xFFFF) {  // SHORT cannot hold it: make the entry a LONG
      put_little_endian(bytes, entry + 2, 4, 2);
    }
    put_little_endian(bytes, entry + 8, value, type == 3 && value <= 0xFFFF ? 2 : 4);
    ++patched;
  }
  if (patched != 2) throw std::runtime_error("no ImageWidth/ImageLength in OpenCV's TIFF");
  return bytes;
}

// BMP with a BITMAPINFOHEADER: signed 32-bit width at 18 and height at 22; a negative height
// is a top-down bitmap.
inline Bytes bmp(std::int32_t width, std::int32_t height) {
  Bytes bytes = small(".bmp");
  put_little_endian(bytes, 18, static_cast<std::uint32_t>(width), 4);
  put_little_endian(bytes, 22, static_cast<std::uint32_t>(height), 4);
  return bytes;
}

// Binary PPM with a comment in its header, and a few bytes of pixels.
inline Bytes ppm(std::uint64_t width, std::uint64_t height) {
  const std::string header =
      "P6\n# made by a test\n" + std::to_string(width) + " " + std::to_string(height) + "\n255\n";
  Bytes bytes(header.begin(), header.end());
  bytes.resize(bytes.size() + 300, 0x80);
  return bytes;
}

// Sun raster, a format OpenCV decodes with its own code: eight big-endian 32-bit
// fields (magic, width, height, depth, length, type 1 = standard, no colour map), then BGR rows,
// here only as many as `rows` (all of them for a real image).
inline Bytes sun_raster(std::uint32_t width, std::uint32_t height, std::uint32_t rows) {
  const std::uint32_t row_bytes = (width * 3 + 1) / 2 * 2;  // rows are padded to 16 bits
  Bytes bytes(32 + std::size_t{row_bytes} * rows, 0x60);
  const std::uint32_t fields[] = {0x59A66A95, width, height, 24, row_bytes * height, 1, 0, 0};
  for (int i = 0; i < 8; ++i) put_big_endian(bytes, 4 * i, fields[i], 4);
  return bytes;
}

// PAM (netpbm P7): keyword lines up to ENDHDR, and a few bytes of pixels.
inline Bytes pam(std::uint64_t width, std::uint64_t height) {
  const std::string header = "P7\nWIDTH " + std::to_string(width) + "\nHEIGHT " +
                             std::to_string(height) + "\nDEPTH 3\nMAXVAL 255\nENDHDR\n";
  Bytes bytes(header.begin(), header.end());
  bytes.resize(bytes.size() + 300, 0x80);
  return bytes;
}

// PFM: "PF", width, height, scale (negative: little-endian floats), a few floats.
inline Bytes pfm(std::uint64_t width, std::uint64_t height) {
  const std::string header = "PF\n" + std::to_string(width) + " " + std::to_string(height) + "\n-1\n";
  Bytes bytes(header.begin(), header.end());
  bytes.resize(bytes.size() + 300, 0);
  return bytes;
}

// Radiance HDR: its header lines, the resolution line, a few bytes of pixels.
inline Bytes hdr(std::uint64_t width, std::uint64_t height) {
  const std::string header = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y " +
                             std::to_string(height) + " +X " + std::to_string(width) + "\n";
  Bytes bytes(header.begin(), header.end());
  bytes.resize(bytes.size() + 300, 0x80);
  return bytes;
}

// OpenEXR as OpenCV writes it, its dataWindow (box2i: xMin, yMin, xMax, yMax) rewritten.
inline Bytes exr(std::uint32_t width, std::uint32_t height) {
  cv::Mat image;
  cli_test::synthetic_image(16, 12).convertTo(image, CV_32FC3, 1.0 / 255);
  Bytes bytes = cli_test::encode(image, ".exr");
  const std::string attribute("dataWindow\0box2i\0", 17);
  const auto found = std::search(bytes.begin(), bytes.end(), attribute.begin(), attribute.end());
  if (found == bytes.end()) throw std::runtime_error("no dataWindow in OpenCV's EXR");
  const std::size_t value = static_cast<std::size_t>(found - bytes.begin()) + 17 + 4;
  put_little_endian(bytes, value, 0, 4);
  put_little_endian(bytes, value + 4, 0, 4);
  put_little_endian(bytes, value + 8, width - 1, 4);
  put_little_endian(bytes, value + 12, height - 1, 4);
  return bytes;
}

// JPEG 2000 (a JP2 file, as OpenCV writes it): Xsiz and Ysiz of the codestream's SIZ segment.
inline Bytes jp2(std::uint32_t width, std::uint32_t height) {
  Bytes bytes = cli_test::encode(cli_test::synthetic_image(64, 48), ".jp2");
  const Bytes siz{0xFF, 0x4F, 0xFF, 0x51};
  const auto found = std::search(bytes.begin(), bytes.end(), siz.begin(), siz.end());
  if (found == bytes.end()) throw std::runtime_error("no SIZ in OpenCV's JPEG 2000");
  const std::size_t at = static_cast<std::size_t>(found - bytes.begin());
  put_big_endian(bytes, at + 8, width, 4);
  put_big_endian(bytes, at + 12, height, 4);
  return bytes;
}

}  // namespace hostile
