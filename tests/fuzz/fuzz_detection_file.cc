// The reader of detection files (mtcnn compare and eval read records from any implementation):
// JSON Lines or a JSON array of records. Anything that is not records must give
// DetectionFileError naming the line; any other exception is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "records/detection_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& record : mtcnn::cli::parse_detection_text(text, "fuzz")) {
      if (record.line == 0) __builtin_trap();  // every record knows where it starts
    }
  } catch (const mtcnn::cli::DetectionFileError&) {
  }
  return 0;
}
