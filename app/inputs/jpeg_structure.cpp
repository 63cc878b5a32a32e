#include "inputs/jpeg_structure.hpp"

#include <cstddef>
#include <cstring>

namespace mtcnn::cli {

namespace {

constexpr std::uint8_t kMarkerPrefix = 0xFF;
constexpr std::uint8_t kStartOfImage = 0xD8;
constexpr std::uint8_t kEndOfImage = 0xD9;
constexpr std::uint8_t kStartOfScan = 0xDA;
constexpr std::uint8_t kTemporary = 0x01;

bool is_restart(std::uint8_t marker) { return marker >= 0xD0 && marker <= 0xD7; }

// Markers without a length field.
bool is_standalone(std::uint8_t marker) {
  return marker == kTemporary || marker == kStartOfImage || is_restart(marker);
}

// Skips entropy-coded data starting at pos. Inside it 0xFF is always followed by 0x00 (a stuffed
// byte) or a restart marker, so the first other 0xFF xx pair is the next marker. Returns the
// position of that marker's 0xFF, or data.size() if the data ends first.
std::size_t skip_scan_data(std::span<const std::uint8_t> data, std::size_t pos) {
  while (pos < data.size()) {
    const void* found = std::memchr(data.data() + pos, kMarkerPrefix, data.size() - pos);
    if (found == nullptr) return data.size();
    pos = static_cast<std::size_t>(static_cast<const std::uint8_t*>(found) - data.data());
    if (pos + 1 >= data.size()) return data.size();
    const std::uint8_t next = data[pos + 1];
    if (next == 0x00 || is_restart(next)) {
      pos += 2;
    } else if (next == kMarkerPrefix) {
      pos += 1;  // fill byte before a marker
    } else {
      return pos;
    }
  }
  return data.size();
}

}  // namespace

JpegStructure inspect_jpeg(std::span<const std::uint8_t> data) {
  if (data.size() < 3 || data[0] != kMarkerPrefix || data[1] != kStartOfImage ||
      data[2] != kMarkerPrefix) {
    return JpegStructure::kNotJpeg;
  }
  std::size_t pos = 2;
  while (true) {
    if (pos >= data.size()) return JpegStructure::kTruncated;
    if (data[pos] != kMarkerPrefix) return JpegStructure::kMalformed;
    while (pos < data.size() && data[pos] == kMarkerPrefix) ++pos;  // fill bytes
    if (pos >= data.size()) return JpegStructure::kTruncated;
    const std::uint8_t marker = data[pos++];
    if (marker == kEndOfImage) return JpegStructure::kComplete;
    if (is_standalone(marker)) continue;

    if (pos + 2 > data.size()) return JpegStructure::kTruncated;
    const std::size_t length = (std::size_t{data[pos]} << 8) | data[pos + 1];
    if (length < 2) return JpegStructure::kMalformed;
    if (pos + length > data.size()) return JpegStructure::kTruncated;
    pos += length;
    if (marker == kStartOfScan) pos = skip_scan_data(data, pos);
  }
}

}  // namespace mtcnn::cli
