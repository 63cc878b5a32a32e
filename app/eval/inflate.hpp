// A zlib (RFC 1950) / DEFLATE (RFC 1951) decoder for the compressed elements of MATLAB v5 files,
// written here because the project may not depend on zlib. Every read is bounds-checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace mtcnn::cli {

class InflateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Raw DEFLATE data: stored, fixed- and dynamic-Huffman blocks. Throws InflateError on malformed
// input or when the output would exceed `max_output` bytes (a guard against decompression bombs).
std::vector<std::uint8_t> inflate_raw(std::span<const std::uint8_t> data,
                                      std::size_t max_output = std::size_t{1} << 30);

// A zlib stream: header, DEFLATE data, then the Adler-32 of the output, which is checked.
std::vector<std::uint8_t> inflate_zlib(std::span<const std::uint8_t> data,
                                       std::size_t max_output = std::size_t{1} << 30);

std::uint32_t adler32(std::span<const std::uint8_t> data);

}  // namespace mtcnn::cli
