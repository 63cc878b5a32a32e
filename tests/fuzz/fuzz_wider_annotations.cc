// WIDER FACE's ground-truth list (wider_face_val_bbx_gt.txt), as mtcnn eval wider reads it. A
// malformed list must give WiderFormatError; any other exception is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "eval/wider_annotations.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    for (const auto& image : mtcnn::cli::parse_wider_ground_truth(in, "fuzz")) {
      if (image.name.empty()) __builtin_trap();  // a name is a non-blank line
    }
  } catch (const mtcnn::cli::WiderFormatError&) {
  }
  return 0;
}
