#include "inputs/input_list.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <system_error>

#include "common/ascii_case.hpp"
#include "inputs/standard_input.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

bool is_hidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && name.front() == '.';
}

// "photos/./a//b/" -> "photos/a/b": the form used for sorting, de-duplication and output. A file
// named "-" given as "./-" keeps its "./": plain "-" is standard input.
fs::path normalise(const std::string& given) {
  fs::path path = fs::path(given).lexically_normal();
  if (path.has_relative_path() && !path.has_filename()) path = path.parent_path();
  if (is_standard_input(path) && given != kStandardInputPath) return fs::path(".") / path;
  return path;
}

// Walks one directory tree the user named. Symbolic links to directories are not followed (as
// fd and ripgrep do), which also rules out cycles; links to files are kept like files. A
// subdirectory that cannot be listed becomes an input with an error, so it shows up in the output.
void walk_directory(const fs::path& root, const WalkOptions& options, std::vector<InputFile>& out) {
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path dir = pending.back();
    pending.pop_back();

    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      if (!options.include_hidden && is_hidden(entry.path())) continue;
      std::error_code type_ec;
      if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
        if (fs::exists(entry.path() / kOutputFolderMarker, type_ec)) {
          spdlog::info("skipping {}: mtcnn wrote it (it holds {})", entry.path().string(),
                       kOutputFolderMarker);
          continue;
        }
        pending.push_back(entry.path());
      } else if (!entry.is_directory(type_ec) && has_image_extension(entry.path())) {
        // Normalised so that walking "." yields "a.jpg", not "./a.jpg".
        const fs::path path = entry.path().lexically_normal();
        out.push_back({path, path.lexically_relative(root), std::nullopt, {}});
      }
    }
    if (ec) {
      const fs::path path = dir.lexically_normal();
      out.push_back({path, path.lexically_relative(root), ErrorCode::kUnreadable,
                     "cannot list directory: " + ec.message()});
    }
  }
}

}  // namespace

fs::path mirror_of_named_file(const fs::path& path) {
  const bool climbs =
      std::any_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
  return path.is_relative() && !climbs ? path : path.filename();
}

bool has_image_extension(const fs::path& path) {
  static constexpr std::array<std::string_view, 9> kExtensions{
      ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"};
  const std::string ext = ascii_lower(path.extension().string());
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::vector<std::string> read_path_list(std::istream& in) {
  std::vector<std::string> paths;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // A line of spaces and tabs only is a blank line (an editor's leftover), not a file name.
    if (line.find_first_not_of(" \t") != std::string::npos) paths.push_back(line);
  }
  return paths;
}

std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths,
                                     const WalkOptions& options) {
  std::vector<InputFile> inputs;
  for (const std::string& given : paths) {
    const fs::path path = normalise(given);
    std::error_code ec;
    if (is_standard_input(path)) {
      inputs.push_back({path, kStandardInputMirror, std::nullopt, {}});
    } else if (fs::is_directory(path, ec)) {
      walk_directory(path, options, inputs);
    } else {
      // Named explicitly: always processed; decoding reports a missing or unusable file.
      inputs.push_back({path, mirror_of_named_file(path), std::nullopt, {}});
    }
  }
  // Stable, so among duplicates the first one given keeps its mirror path.
  std::stable_sort(inputs.begin(), inputs.end(),
                   [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
  const auto duplicates =
      std::unique(inputs.begin(), inputs.end(),
                  [](const InputFile& a, const InputFile& b) { return a.path == b.path; });
  inputs.erase(duplicates, inputs.end());
  return inputs;
}

}  // namespace mtcnn::cli
