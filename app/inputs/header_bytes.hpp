// Reading the fixed fields of a file header from its first bytes: signatures and integers of
// either byte order. Callers check the length before reading a field.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

namespace mtcnn::cli::header_bytes {

using Bytes = std::span<const std::uint8_t>;

inline bool has_at(Bytes bytes, std::size_t at, std::initializer_list<std::uint8_t> signature) {
  return bytes.size() >= at + signature.size() &&
         std::equal(signature.begin(), signature.end(), bytes.begin() + at);
}

inline bool starts_with(Bytes bytes, std::initializer_list<std::uint8_t> signature) {
  return has_at(bytes, 0, signature);
}

// Unsigned integers of `count` (at most 8) bytes at `at`.
inline std::uint64_t little_endian(Bytes bytes, std::size_t at, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = count; i-- > 0;) value = (value << 8) | bytes[at + i];
  return value;
}

inline std::uint64_t big_endian(Bytes bytes, std::size_t at, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < count; ++i) value = (value << 8) | bytes[at + i];
  return value;
}

}  // namespace mtcnn::cli::header_bytes
