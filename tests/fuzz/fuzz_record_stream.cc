// mtcnn merge's reader (RecordStream): a detect output one record at a time, from a file. The
// bytes go through a temporary file, as merge reads them; a line that is not a record must give
// std::runtime_error, any other exception is reported as a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "merge/record_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One file per fuzzing process (-jobs runs several), rewritten for each input.
  static const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                            ("mtcnn-fuzz-record-stream-" + std::to_string(::getpid()));
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    mtcnn::cli::RecordStream stream(file);
    std::size_t expected = 0;
    while (const auto record = stream.next()) {
      if (record->number != ++expected) __builtin_trap();  // numbered 1, 2, ... in file order
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
