// Files that appear complete or not at all: data goes to "<target>.tmp-<pid>" in the target's
// directory (same file system, so the final rename is atomic) and is renamed over the target
// only once everything was written. A crash or an aborted batch leaves the old target intact.
// The one implementation of this in the project: records, annotated copies, weights, eval files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string_view>

namespace mtcnn::cli {

std::filesystem::path temporary_path_for(const std::filesystem::path& target);

// Whether commit() waits for the data to reach the disk before the rename: worth its cost for
// a batch's records or the weights (so a power cut cannot leave an empty target behind), not for
// each of a million annotated copies, which a rerun remakes.
enum class Durability { kSynced, kUnsynced };

// A file written through a stream and published by commit(); destroying it uncommitted
// removes the temporary file. A target that exists and is not a regular file (/dev/null,
// /dev/stdout, a FIFO) is written directly: there is no file to replace, and renaming over a
// device would replace the device.
class AtomicFile {
 public:
  // Creates the temporary file; throws std::runtime_error if it cannot.
  explicit AtomicFile(std::filesystem::path target, Durability durability = Durability::kSynced);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return stream_; }
  // Flushes, syncs to disk if asked, and renames onto the target. Throws std::runtime_error.
  void commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  Durability durability_;
  bool direct_ = false;  // the target is a device or pipe
  std::ofstream stream_;
  bool committed_ = false;
};

// Writes bytes to target atomically (AtomicFile in one call). Throws std::runtime_error naming
// the file.
void write_file_atomically(const std::filesystem::path& target, std::span<const std::uint8_t> bytes,
                           Durability durability = Durability::kUnsynced);
void write_file_atomically(const std::filesystem::path& target, std::string_view text,
                           Durability durability = Durability::kUnsynced);

}  // namespace mtcnn::cli
