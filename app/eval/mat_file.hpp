// A minimal reader of MATLAB v5 .mat files (little-endian), enough for the WIDER FACE split lists:
// cell arrays, numeric arrays (any stored integer or float type, returned as double) and char
// arrays, compressed (inflated by zlib) or not. Structs, sparse and complex arrays are rejected.
// Not libmatio, which overflows its stack on deeply nested cells (docs/architecture.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace mtcnn::cli {

class MatFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MatValue {
  enum class Kind { cell, numeric, text };
  Kind kind = Kind::numeric;
  std::vector<std::size_t> dimensions;
  std::vector<MatValue> cells;  // column-major, for cells
  std::vector<double> numbers;  // column-major, for numeric arrays
  std::string text;             // UTF-8, column-major characters, for char arrays

  std::size_t element_count() const;
};

// Top-level variables by name. Throws MatFormatError naming `source` on anything malformed.
std::map<std::string, MatValue> parse_mat(std::span<const std::uint8_t> bytes,
                                          const std::string& source);
std::map<std::string, MatValue> read_mat_file(const std::filesystem::path& file);

}  // namespace mtcnn::cli
