// Reading a detect output one record at a time, as its original bytes: JSON Lines, or a JSON
// array written one record per line (what detect --format json writes). Memory holds one line.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "records/text_output.hpp"

namespace mtcnn::cli {

struct StreamedRecord {
  std::string line;        // the record's bytes as written, without separators
  std::string path;        // its exact path bytes (path_bytes decoded when present)
  std::size_t number = 0;  // 1-based record number in its file
};

class RecordStream {
 public:
  // Throws std::runtime_error naming the file when it cannot be read.
  explicit RecordStream(std::filesystem::path file);

  bool is_array() const { return array_; }
  const std::filesystem::path& file() const { return file_; }
  // The next record, or nothing at the end. Throws std::runtime_error ("FILE:LINE: ...") on a
  // line that is not a record.
  std::optional<StreamedRecord> next();

 private:
  std::filesystem::path file_;
  std::ifstream in_;
  bool array_ = false;
  std::size_t line_number_ = 0;
  std::size_t records_ = 0;
};

}  // namespace mtcnn::cli
