#include "inputs/standard_input.hpp"

#include <algorithm>

#include "common/exit_status.hpp"

namespace mtcnn::cli {

bool is_standard_input(const std::filesystem::path& path) {
  return path.native() == kStandardInputPath;
}

void check_stdin_use(const std::vector<std::string>& paths,
                     const std::optional<std::string>& files_from) {
  if (!files_from || *files_from != kStandardInputPath) return;
  if (std::find(paths.begin(), paths.end(), kStandardInputPath) != paths.end()) {
    throw SetupError(
        "standard input cannot be both the list of paths (--files-from -) and an image (-): "
        "write the list to a file, or the image");
  }
}

}  // namespace mtcnn::cli
