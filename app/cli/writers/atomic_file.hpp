// Files that appear complete or not at all: data goes to "<target>.tmp-<pid>" in the target's
// directory (same file system, so the final rename is atomic) and is renamed over the target
// only once everything was written. A crash or an aborted batch leaves the old target intact.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>

namespace mtcnn::cli {

std::filesystem::path temporary_path_for(const std::filesystem::path& target);

// Writes bytes to target atomically. Throws std::runtime_error naming the file.
void write_file_atomically(const std::filesystem::path& target,
                           std::span<const std::uint8_t> bytes);

// A text file written through a stream and published by commit(); destroying it uncommitted
// removes the temporary file.
class AtomicTextFile {
 public:
  // Creates the temporary file; throws std::runtime_error if it cannot.
  explicit AtomicTextFile(std::filesystem::path target);
  ~AtomicTextFile();
  AtomicTextFile(const AtomicTextFile&) = delete;
  AtomicTextFile& operator=(const AtomicTextFile&) = delete;

  std::ostream& stream() { return stream_; }
  // Flushes, syncs to disk and renames onto the target. Throws std::runtime_error on failure.
  void commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::ofstream stream_;
  bool committed_ = false;
};

}  // namespace mtcnn::cli
