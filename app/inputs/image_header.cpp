#include "inputs/image_header.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <initializer_list>

#include "inputs/codec_headers.hpp"
#include "inputs/header_bytes.hpp"
#include "inputs/opencv_format_headers.hpp"
#include "inputs/text_header.hpp"

namespace mtcnn::cli {

namespace {

using namespace header_bytes;

bool is_webp(Bytes bytes) {
  return starts_with(bytes, {'R', 'I', 'F', 'F'}) && has_at(bytes, 8, {'W', 'E', 'B', 'P'});
}

bool is_tiff(Bytes bytes) {
  // Little- and big-endian, classic (42) and BigTIFF (43).
  return starts_with(bytes, {'I', 'I', 42, 0}) || starts_with(bytes, {'M', 'M', 0, 42}) ||
         starts_with(bytes, {'I', 'I', 43, 0}) || starts_with(bytes, {'M', 'M', 0, 43});
}

// BMP: a 14-byte file header, then the info header whose first field is its own size. The
// OS/2 1.x BITMAPCOREHEADER (12 bytes) has 16-bit sides at 18 and 20; every later one
// (BITMAPINFOHEADER and its V4/V5 extensions, OS/2 2.x) has signed 32-bit sides at 18 and 22,
// where a negative height means rows stored top-down.
std::optional<DeclaredSize> read_bmp_size(Bytes bytes) {
  if (bytes.size() < 26) return std::nullopt;
  const std::uint32_t info_size = little_endian(bytes, 14, 4);
  if (info_size == 12)
    return DeclaredSize{little_endian(bytes, 18, 2), little_endian(bytes, 20, 2)};
  if (info_size < 16) return std::nullopt;
  const auto width = static_cast<std::int32_t>(little_endian(bytes, 18, 4));
  const auto height = static_cast<std::int32_t>(little_endian(bytes, 22, 4));
  if (width <= 0) return std::nullopt;
  return DeclaredSize{static_cast<std::uint64_t>(width),
                      static_cast<std::uint64_t>(std::llabs(std::int64_t{height}))};
}

// PNM (netpbm: P1-P6): "P<n>", then width and height in decimal (text_header.hpp).
bool is_pnm(Bytes bytes) {
  return bytes.size() >= 3 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6' &&
         (is_header_blank(bytes[2]) || bytes[2] == '#');
}

std::optional<DeclaredSize> read_pnm_size(Bytes bytes) {
  TextHeader header(bytes, 2);
  const std::optional<std::uint64_t> width = header.number();
  const std::optional<std::uint64_t> height = width ? header.number() : std::nullopt;
  if (!width || !height) return std::nullopt;
  return DeclaredSize{*width, *height};
}

int saturated(std::uint64_t side) {
  return static_cast<int>(std::min<std::uint64_t>(side, INT_MAX));
}

}  // namespace

std::optional<cv::Size> read_image_size(std::span<const std::uint8_t> bytes) {
  std::optional<DeclaredSize> size;
  if (starts_with(bytes, {0xFF, 0xD8, 0xFF})) {
    size = read_jpeg_size(bytes);
  } else if (starts_with(bytes, {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
    size = read_png_size(bytes);
  } else if (is_webp(bytes)) {
    size = read_webp_size(bytes);
  } else if (is_tiff(bytes)) {
    size = read_tiff_size(bytes);
  } else if (starts_with(bytes, {'B', 'M'})) {
    size = read_bmp_size(bytes);
  } else if (is_pnm(bytes)) {
    size = read_pnm_size(bytes);
  } else {
    // The formats OpenCV also decodes: each reader checks its own signature.
    for (const auto read : {read_sun_raster_size, read_pam_size, read_pfm_size, read_hdr_size,
                            read_exr_size, read_jpeg2000_size}) {
      if ((size = read(bytes))) break;
    }
  }
  if (!size || size->width == 0 || size->height == 0) return std::nullopt;
  return cv::Size(saturated(size->width), saturated(size->height));
}

}  // namespace mtcnn::cli
