#include "outputs/output_tree.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "common/atomic_file.hpp"
#include "common/exit_status.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

// The real location of a path that may not exist yet (its existing part resolved).
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) real = fs::absolute(path);
  // "a/missing/.." stays in its unresolved part; "a/" keeps an empty last component.
  real = real.lexically_normal();
  return real.has_filename() ? real : real.parent_path();
}

bool is_within(const fs::path& inner, const fs::path& outer) {
  const auto [outer_end, inner_end] =
      std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  (void)inner_end;
  return outer_end == outer.end();
}

bool is_empty_folder(const fs::path& folder) {
  std::error_code ec;
  return fs::is_empty(folder, ec) && !ec;
}

}  // namespace

void check_output_folder_outside_inputs(const fs::path& folder,
                                        const std::vector<std::string>& given,
                                        const std::string& option) {
  const fs::path out = resolved(folder);
  std::set<fs::path> checked_parents;
  for (const std::string& name : given) {
    const fs::path path = fs::path(name).lexically_normal();
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      const fs::path root = resolved(path);
      if (out == root) {
        throw SetupError(option + " " + folder.string() + ": that is the input folder " + name +
                         "; its files would replace the photos. Choose a folder outside it.");
      }
      if (is_within(out, root)) {
        throw SetupError(option + " " + folder.string() + " lies inside the input folder " + name +
                         ", whose walk would take the written files as photos. Choose a folder "
                         "outside it.");
      }
      continue;
    }
    // A file named on its own is written at folder/mirror_of_named_file(path): refuse the folder
    // where that is the file itself.
    const fs::path mirror = mirror_of_named_file(path);
    fs::path home = mirror == path ? fs::path(".") : path.parent_path();
    if (home.empty()) home = ".";
    if (!checked_parents.insert(home).second || !fs::is_directory(home, ec)) continue;
    if (resolved(home) == out) {
      throw SetupError(option + " " + folder.string() + ": the input " + name +
                       " would be replaced by its own copy. Choose another folder.");
    }
  }
}

void check_distinct_output_names(const std::vector<InputFile>& inputs, const OutputNaming& naming,
                                 const fs::path& folder, const std::string& option) {
  std::vector<std::pair<fs::path, std::size_t>> names;
  names.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].error) names.emplace_back(naming(inputs[i].mirror_path), i);
  }
  std::sort(names.begin(), names.end());
  std::string clashes;
  std::size_t count = 0;
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (names[i].first != names[i - 1].first) continue;
    if (++count <= 3) {
      clashes += "\n  " + inputs[names[i - 1].second].path.string() + " and " +
                 inputs[names[i].second].path.string() + " -> " +
                 (folder / names[i].first).string();
    }
  }
  if (count == 0) return;
  throw SetupError(option + ": " + std::to_string(count) +
                   (count == 1 ? " pair of inputs would" : " pairs of inputs would") +
                   " be written to the same file:" + clashes + (count > 3 ? "\n  ..." : "") +
                   "\nFiles named on their own keep only their file name and walked files their "
                   "path below the folder given; name a common parent folder instead, or run "
                   "them with separate " +
                   option + " folders.");
}

void check_not_an_input(const fs::path& file, const std::vector<InputFile>& inputs,
                        const std::string& option) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return;
  // Renaming onto the file replaces that directory entry only, so the danger is an input with
  // the same name in the same (possibly differently spelt) folder.
  for (const InputFile& input : inputs) {
    if (input.path.filename() == file.filename() && fs::equivalent(input.path, file, ec)) {
      throw SetupError(option + " " + file.string() + " is the input " + input.path.string() +
                       "; choose another file name.");
    }
  }
}

OutputTree::OutputTree(fs::path folder, std::string option, const std::vector<InputFile>& inputs)
    : folder_(std::move(folder)), option_(std::move(option)), inputs_(inputs) {
  std::error_code ec;
  const bool existed = fs::exists(folder_, ec);
  fs::create_directories(folder_, ec);
  if (ec || !fs::is_directory(folder_)) {
    throw SetupError("cannot create the " + option_ + " folder " + folder_.string() +
                     (ec ? ": " + ec.message() : ": a file is in the way"));
  }
  const fs::path marker = folder_ / kOutputFolderMarker;
  if (!existed || is_empty_folder(folder_)) {
    std::ofstream(marker) << "mtcnn writes its " << option_
                          << " files here; mtcnn skips this folder when it walks input "
                             "folders.\n";
  }
}

bool OutputTree::is_input(const fs::path& target) {
  struct stat target_status {};
  if (::stat(target.c_str(), &target_status) != 0) return false;
  if (!input_identities_) {
    input_identities_.emplace();
    for (const InputFile& input : inputs_) {
      struct stat status {};
      if (!input.error && ::stat(input.path.c_str(), &status) == 0) {
        input_identities_->emplace(status.st_dev, status.st_ino);
      }
    }
  }
  return input_identities_->count({target_status.st_dev, target_status.st_ino}) != 0;
}

void OutputTree::write(const fs::path& relative, std::span<const std::uint8_t> bytes) {
  const fs::path target = folder_ / relative;
  if (is_input(target)) {
    throw std::runtime_error(target.string() + " is one of the inputs; not written over");
  }
  // Folders made once per run: a million crops in a few folders need not ask a million times.
  if (made_folders_.insert(target.parent_path()).second) {
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      made_folders_.erase(target.parent_path());
      throw std::runtime_error("cannot create " + target.parent_path().string() + ": " +
                               ec.message());
    }
  }
  write_file_atomically(target, bytes);
}

}  // namespace mtcnn::cli
