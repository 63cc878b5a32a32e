// mtcnn merge: the outputs of the tasks of one sharded run (--shard K/N) back into the one
// output a single run would have written, byte for byte.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mtcnn::cli {

struct MergeOptions {
  std::vector<std::string> files;
  std::optional<std::string> output;      // none or "-": standard output
  std::optional<std::string> expect;      // a list of the inputs that must all be there
  std::vector<std::string> expect_paths;  // or the paths given to detect (walked as detect does)
  bool include_hidden = false;
  bool quiet = false;
};

void add_merge_options(CLI::App& command, MergeOptions& options);

// 0 merged; 1 merged, but inputs are missing (listed on stderr); 2 refused (duplicates, files
// that are not sorted detect outputs, mixed formats). Throws SetupError.
int run_merge(const MergeOptions& options);

}  // namespace mtcnn::cli
