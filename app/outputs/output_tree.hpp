// A folder of files made from the inputs, mirroring the input tree: annotated copies now,
// aligned crops next. Three promises, kept here for every such output:
// - a file's name depends only on its input (InputFile::mirror_path), never on the rest of the
//   batch, the thread count or a shard; two inputs that would share a name are refused at set-up;
// - files appear whole or not at all (atomic_file);
// - a file given as input is never written over: the folder may not be, or lie inside, an input
//   folder (checked at set-up), and every write checks its target is not one of the inputs.
// The folder is marked as mtcnn's (kOutputFolderMarker), so input walks skip it later.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "inputs/input_list.hpp"

namespace mtcnn::cli {

// The name, under the output folder, of an input's file: a function of its mirror path only.
using OutputNaming = std::function<std::filesystem::path(const std::filesystem::path& mirror)>;

// Set-up checks, before any work; each throws SetupError with a message naming the option.
// `given` are the paths the user named (arguments and --files-from lines).
// Refuses a folder that is, or lies inside, a folder given as input, or that is the folder of a
// file given as input (its copies would replace the photos, or be walked as inputs next time).
void check_output_folder_outside_inputs(const std::filesystem::path& folder,
                                        const std::vector<std::string>& given,
                                        const std::string& option);
// Refuses a batch in which two inputs would be written to the same file, listing a few.
void check_distinct_output_names(const std::vector<InputFile>& inputs, const OutputNaming& naming,
                                 const std::filesystem::path& folder, const std::string& option);

// Refuses an output file (-o, --timings) that would replace one of the inputs.
void check_not_an_input(const std::filesystem::path& file, const std::vector<InputFile>& inputs,
                        const std::string& option);

class OutputTree {
 public:
  // Creates the folder if needed and marks it as mtcnn's when it is new or empty (a folder that
  // already holds other files is left unmarked: the user may walk it for photos of their own).
  // `inputs` must outlive the tree. Throws SetupError.
  OutputTree(std::filesystem::path folder, std::string option,
             const std::vector<InputFile>& inputs);

  const std::filesystem::path& folder() const { return folder_; }

  // Writes bytes to folder/relative (creating subfolders) in one step. Throws std::runtime_error
  // when the target is one of the inputs or cannot be written.
  void write(const std::filesystem::path& relative, std::span<const std::uint8_t> bytes);

 private:
  bool is_input(const std::filesystem::path& target);

  std::filesystem::path folder_;
  std::string option_;
  const std::vector<InputFile>& inputs_;
  // (device, inode) of every input, built the first time a target already exists (a rerun into
  // the same folder); a fresh folder never pays for it.
  std::optional<std::set<std::pair<dev_t, ino_t>>> input_identities_;
  std::set<std::filesystem::path> made_folders_;
};

}  // namespace mtcnn::cli
