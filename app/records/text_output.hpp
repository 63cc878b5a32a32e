// Where a record writer's bytes go: standard output, or the -o file.
//
// The -o file is streamed: records go to FILE.partial as they come, each record handed to the
// operating system in one write() as soon as it is complete (so a killed process loses nothing
// it wrote, and a cut can only tear the last line), synced to disk at most every few seconds
// and at the end, and the file is renamed to FILE once the batch is complete. FILE.partial is
// therefore how an unfinished run is recognised, and what --resume continues (resumed_at). A
// device or pipe given as FILE (/dev/null, /dev/stdout, a FIFO) is written directly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>

namespace mtcnn::cli {

// FILE.partial: the name of an unfinished -o file.
std::filesystem::path partial_path_for(const std::filesystem::path& file);

class TextOutput {
 public:
  // No path means standard output. With resume_at, FILE.partial is kept up to that many bytes
  // (a torn last record cut off) and continued. Throws std::runtime_error when the file cannot
  // be created (missing folders are made first).
  explicit TextOutput(const std::optional<std::filesystem::path>& file,
                      std::optional<std::uintmax_t> resume_at = std::nullopt);
  ~TextOutput();
  TextOutput(TextOutput&&) noexcept;
  TextOutput& operator=(TextOutput&&) noexcept;

  // Records are composed here; end_record() hands them over. Bytes beyond a large buffer also
  // go out on their own, so a long document (COCO's annotations) never sits in memory.
  std::ostream& stream();
  // Writes what the stream holds in one write() and, every few seconds, syncs the file. Throws
  // std::runtime_error on a write error (a full disk).
  void end_record();
  // After the last record: writes, syncs and renames FILE.partial to FILE (or flushes stdout).
  void close();

 private:
  class Sink;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<std::ostream> stream_;
};

}  // namespace mtcnn::cli
