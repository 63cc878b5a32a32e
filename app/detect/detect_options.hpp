// The flags of `mtcnn detect`.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "crops/crop_options.hpp"
#include "detect/detector_flags.hpp"
#include "inputs/image_limits.hpp"

namespace mtcnn::cli {

enum class OutputFormat { kJsonLines, kJsonArray, kCoco };

// The detector flags are shared with `mtcnn eval` (detector_flags.hpp).
struct DetectOptions : DetectorFlags {
  std::vector<std::string> paths;
  std::optional<std::string> files_from;  // "-" is standard input
  std::optional<std::string> output;      // none or "-" is standard output
  OutputFormat format = OutputFormat::kJsonLines;
  std::optional<std::string> annotate_dir;
  bool include_hidden = false;
  std::optional<std::string> timings;  // per-image stage times, one JSON line each
  bool resume = false;  // continue the unfinished -o FILE (FILE.partial) of an earlier run
  std::optional<std::string> shard;   // "K/N" or "auto": this task's share of the inputs
  std::optional<std::size_t> shards;  // N for --shard auto where the engine does not pass it
  std::string command_line;           // as typed, to tell an interrupted user how to resume
  CropOptions crops;
  ImageLimits limits;
};

// Registers the options on the `detect` subcommand, with defaults shown in --help.
void add_detect_options(CLI::App& command, DetectOptions& options);

}  // namespace mtcnn::cli
