// FDDB's ellipse lists (FDDB-fold-NN-ellipseList.txt), as mtcnn eval fddb reads them. A
// malformed list must give FddbFormatError; any other exception is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "eval/fddb_folds.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    for (const auto& image : mtcnn::cli::parse_fddb_fold(in, 1, "fuzz")) {
      if (image.fold != 1) __builtin_trap();
    }
  } catch (const mtcnn::cli::FddbFormatError&) {
  }
  return 0;
}
