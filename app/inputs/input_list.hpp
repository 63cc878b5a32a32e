// Turns the paths named by the user into the sorted list of inputs to process.
//
// Rule (documented in docs/output-format.md): directories are walked recursively and keep files
// with an image extension; every other named path is kept as is, whatever its extension or even
// if it does not exist (it then gets an error record). "-" is standard input (standard_input.hpp).
// The whole list is sorted by path, component by component and byte-wise, and duplicates are
// dropped, so the output order does not depend on how the paths were given nor on the file system's
// listing order. Walks skip the folders mtcnn writes its own files into (marked with
// kOutputFolderMarker), so a rerun never takes the previous run's annotated copies or crops for
// photos.
#pragma once

#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "records/image_error.hpp"

namespace mtcnn::cli {

// A file of this name marks a folder as one of mtcnn's outputs (see writers/output_tree.hpp).
inline constexpr const char* kOutputFolderMarker = ".mtcnn-output";

struct InputFile {
  std::filesystem::path path;  // lexically normalised; relative stays relative
  // Its name under an output folder (--annotate, --crops): the path below the folder that was
  // walked; for a file named on its own, its path as given (mirror_of_named_file).
  std::filesystem::path mirror_path;
  std::optional<ErrorCode> error;  // set when the walk itself failed on this path
  std::string error_message;
};

struct WalkOptions {
  bool include_hidden = false;  // walk into and keep entries whose name starts with '.'
};

// The output name of a file named on its own (an argument or a --files-from line): its path as
// given when that is relative and stays below the working folder ("photos/a.jpg", so that the
// lists `find` makes keep their folders apart), else its file name ("/abs/a.jpg", "../a.jpg").
std::filesystem::path mirror_of_named_file(const std::filesystem::path& path);

// jpg jpeg png bmp tif tiff webp pgm ppm, in any letter case.
bool has_image_extension(const std::filesystem::path& path);

// One path per line, as for --files-from; a trailing '\r' is removed so lists written on Windows
// work too, and blank lines (also those of only spaces and tabs) are skipped. Other whitespace
// is kept: " a.jpg" names a file whose name starts with a space.
std::vector<std::string> read_path_list(std::istream& in);

std::vector<InputFile> expand_inputs(const std::vector<std::string>& paths,
                                     const WalkOptions& options = {});

}  // namespace mtcnn::cli
