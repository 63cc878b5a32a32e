// Where a text writer sends its bytes: standard output, flushed after every record so a pipe
// sees results as they come, or a file given with -o that appears only when complete.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>

#include "common/atomic_file.hpp"

namespace mtcnn::cli {

class TextOutput {
 public:
  // No path means standard output.
  explicit TextOutput(const std::optional<std::filesystem::path>& file);

  std::ostream& stream();
  // After each record: flushes standard output; throws std::runtime_error on a write error.
  void end_record();
  // After the last record: publishes the file (or flushes standard output).
  void close();

 private:
  std::unique_ptr<AtomicFile> file_;  // null for standard output
};

}  // namespace mtcnn::cli
