// The CUHK 5-point list, as mtcnn eval landmarks reads it. A malformed line must give
// LandmarkListError; any other exception is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "eval/landmark_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    for (const auto& face : mtcnn::cli::parse_landmark_list(in, "fuzz")) {
      // Accepted boxes have a positive size (x2 > x1, y2 > y1).
      if (!(face.box.width > 0) || !(face.box.height > 0)) __builtin_trap();
    }
  } catch (const mtcnn::cli::LandmarkListError&) {
  }
  return 0;
}
