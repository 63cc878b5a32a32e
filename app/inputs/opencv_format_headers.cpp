#include "inputs/opencv_format_headers.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "inputs/header_bytes.hpp"
#include "inputs/text_header.hpp"

namespace mtcnn::cli {

namespace {

using namespace header_bytes;

std::int64_t little_endian_int32(Bytes bytes, std::size_t at) {
  return static_cast<std::int32_t>(little_endian(bytes, at, 4));
}

std::optional<DeclaredSize> both(std::optional<std::uint64_t> width,
                                 std::optional<std::uint64_t> height) {
  if (!width || !height) return std::nullopt;
  return DeclaredSize{*width, *height};
}

// A JPEG 2000 codestream: SOC, then the SIZ segment whose Xsiz, Ysiz, XOsiz and YOsiz (32-bit
// big-endian, after Lsiz and Rsiz) give the image area.
std::optional<DeclaredSize> read_codestream_size(Bytes bytes) {
  if (!starts_with(bytes, {0xFF, 0x4F, 0xFF, 0x51}) || bytes.size() < 24) return std::nullopt;
  const std::uint64_t x = big_endian(bytes, 8, 4), y = big_endian(bytes, 12, 4);
  const std::uint64_t x_offset = big_endian(bytes, 16, 4), y_offset = big_endian(bytes, 20, 4);
  if (x <= x_offset || y <= y_offset) return std::nullopt;
  return DeclaredSize{x - x_offset, y - y_offset};
}

}  // namespace

// Sun raster: the magic number, then width and height as 32-bit big-endian words.
std::optional<DeclaredSize> read_sun_raster_size(Bytes bytes) {
  if (!starts_with(bytes, {0x59, 0xA6, 0x6A, 0x95}) || bytes.size() < 12) return std::nullopt;
  return DeclaredSize{big_endian(bytes, 4, 4), big_endian(bytes, 8, 4)};
}

// PAM (netpbm P7): "P7", then "KEYWORD value" lines up to ENDHDR, among them WIDTH and HEIGHT.
std::optional<DeclaredSize> read_pam_size(Bytes bytes) {
  if (bytes.size() < 3 || bytes[0] != 'P' || bytes[1] != '7' || !is_header_blank(bytes[2])) {
    return std::nullopt;
  }
  TextHeader header(bytes, 2);
  std::optional<std::uint64_t> width, height;
  while (!header.done()) {
    const std::string_view keyword = header.word();
    if (keyword == "ENDHDR") break;
    if (keyword == "WIDTH") width = header.number();
    if (keyword == "HEIGHT") height = header.number();
  }
  return both(width, height);
}

// PFM: "PF" (colour) or "Pf" (grey), then width and height in decimal, as PNM.
std::optional<DeclaredSize> read_pfm_size(Bytes bytes) {
  if (bytes.size() < 3 || bytes[0] != 'P' || (bytes[1] != 'F' && bytes[1] != 'f') ||
      !is_header_blank(bytes[2])) {
    return std::nullopt;
  }
  TextHeader header(bytes, 2);
  const std::optional<std::uint64_t> width = header.number();
  return both(width, width ? header.number() : std::nullopt);
}

// Radiance HDR: "#?RADIANCE" or "#?RGBE", variable lines up to an empty one, then the resolution
// line, "-Y height +X width" (either sign; X first for a transposed image).
std::optional<DeclaredSize> read_hdr_size(Bytes bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!text.starts_with("#?RADIANCE") && !text.starts_with("#?RGBE")) return std::nullopt;
  const std::size_t blank_line = text.find("\n\n");
  if (blank_line == std::string_view::npos) return std::nullopt;
  TextHeader header(bytes, blank_line + 2);
  const std::string_view first_axis = header.word();
  const std::optional<std::uint64_t> first = header.number();
  const std::string_view second_axis = header.word();
  const std::optional<std::uint64_t> second = header.number();
  const auto is_axis = [](std::string_view axis, char name) {
    return axis.size() == 2 && (axis[0] == '-' || axis[0] == '+') && axis[1] == name;
  };
  if (is_axis(first_axis, 'Y') && is_axis(second_axis, 'X')) return both(second, first);
  if (is_axis(first_axis, 'X') && is_axis(second_axis, 'Y')) return both(first, second);
  return std::nullopt;
}

// OpenEXR: the magic number and version, then attributes (name, type name, 32-bit size, value)
// up to an empty name; "dataWindow" (box2i: xMin, yMin, xMax, yMax) is the decoded area.
std::optional<DeclaredSize> read_exr_size(Bytes bytes) {
  if (!starts_with(bytes, {0x76, 0x2F, 0x31, 0x01})) return std::nullopt;
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::size_t at = 8;
  while (at < text.size() && text[at] != '\0') {
    const std::size_t name_end = text.find('\0', at);
    const std::size_t type_end =
        name_end == std::string_view::npos ? name_end : text.find('\0', name_end + 1);
    if (type_end == std::string_view::npos || type_end + 5 > text.size()) return std::nullopt;
    const std::string_view name = text.substr(at, name_end - at);
    const std::string_view type = text.substr(name_end + 1, type_end - name_end - 1);
    const std::int64_t size = little_endian_int32(bytes, type_end + 1);
    const std::size_t value = type_end + 5;
    if (size < 0 || static_cast<std::uint64_t>(size) > text.size() - value) return std::nullopt;
    if (name == "dataWindow" && type == "box2i" && size == 16) {
      const std::int64_t width =
          little_endian_int32(bytes, value + 8) - little_endian_int32(bytes, value) + 1;
      const std::int64_t height =
          little_endian_int32(bytes, value + 12) - little_endian_int32(bytes, value + 4) + 1;
      if (width <= 0 || height <= 0) return std::nullopt;
      return DeclaredSize{static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height)};
    }
    at = value + static_cast<std::size_t>(size);
  }
  return std::nullopt;
}

// JPEG 2000: a bare codestream, or a JP2 file whose boxes (32-bit length and type; length 1: a
// 64-bit length follows; 0: to the end) lead to the contiguous codestream box "jp2c".
std::optional<DeclaredSize> read_jpeg2000_size(Bytes bytes) {
  if (starts_with(bytes, {0xFF, 0x4F, 0xFF, 0x51})) return read_codestream_size(bytes);
  if (!starts_with(bytes, {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A})) {
    return std::nullopt;
  }
  std::size_t at = 0;
  while (bytes.size() - at >= 8) {
    std::uint64_t length = big_endian(bytes, at, 4);
    std::size_t header = 8;
    if (length == 1) {
      if (bytes.size() - at < 16) return std::nullopt;
      length = big_endian(bytes, at + 8, 8);
      header = 16;
    } else if (length == 0) {
      length = bytes.size() - at;
    }
    if (length < header) return std::nullopt;
    if (starts_with(bytes.subspan(at + 4), {'j', 'p', '2', 'c'})) {
      return read_codestream_size(bytes.subspan(at + header));  // SIZ comes first
    }
    if (length > bytes.size() - at) return std::nullopt;
    at += length;
  }
  return std::nullopt;
}

}  // namespace mtcnn::cli
