// The text headers of the netpbm family (PNM P1-P6, PAM P7, PFM): words and decimal numbers
// separated by whitespace, '#' starting a comment that runs to the end of the line. Shared by
// the header checks of image_header.cpp and opencv_format_headers.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mtcnn::cli {

inline bool is_header_blank(std::uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

class TextHeader {
 public:
  // Reads `bytes` from offset `at` (just after the magic number).
  TextHeader(std::span<const std::uint8_t> bytes, std::size_t at) : bytes_(bytes), at_(at) {}

  std::string_view word() {
    skip_blanks_and_comments();
    const std::size_t start = at_;
    while (at_ < bytes_.size() && !is_header_blank(bytes_[at_])) ++at_;
    return {reinterpret_cast<const char*>(bytes_.data()) + start, at_ - start};
  }

  // A number past 10^15 only needs to stay over every limit: it stops growing there.
  std::optional<std::uint64_t> number() {
    skip_blanks_and_comments();
    std::uint64_t value = 0;
    std::size_t digits = 0;
    for (; at_ < bytes_.size() && bytes_[at_] >= '0' && bytes_[at_] <= '9'; ++at_, ++digits) {
      if (value < 1'000'000'000'000'000) value = value * 10 + (bytes_[at_] - '0');
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

  bool done() {
    skip_blanks_and_comments();
    return at_ >= bytes_.size();
  }

 private:
  void skip_blanks_and_comments() {
    while (at_ < bytes_.size()) {
      if (is_header_blank(bytes_[at_])) {
        ++at_;
      } else if (bytes_[at_] == '#') {
        while (at_ < bytes_.size() && bytes_[at_] != '\n' && bytes_[at_] != '\r') ++at_;
      } else {
        return;
      }
    }
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t at_;
};

}  // namespace mtcnn::cli
