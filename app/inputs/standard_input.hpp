// "-" as an input: the image's bytes come from standard input (`curl -s URL | mtcnn detect -`).
// It is an explicit input like a named file: sorted with the others, its record's path is "-",
// and a second "-" is a duplicate. A file really named "-" is given as "./-".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mtcnn::cli {

inline constexpr const char* kStandardInputPath = "-";
// Its name under output folders (--annotate, --crops): there is no file name to mirror.
inline constexpr const char* kStandardInputMirror = "stdin";

bool is_standard_input(const std::filesystem::path& path);

// Throws SetupError when standard input is wanted twice: by --files-from - (the list of paths)
// and by "-" (an image). Give it every path named, also those read from the list: a list naming
// "-" would find standard input already read.
void check_stdin_use(const std::vector<std::string>& paths,
                     const std::optional<std::string>& files_from);

}  // namespace mtcnn::cli
