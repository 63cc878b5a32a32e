// The flags of `mtcnn detect` and how they map onto the detector's options.
#pragma once

#include <CLI/CLI.hpp>
#include <mtcnn/detector.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mtcnn::cli {

enum class OutputFormat { kJsonLines, kJsonArray };

struct DetectOptions {
  std::vector<std::string> paths;
  std::optional<std::string> files_from;  // "-" is standard input
  std::optional<std::string> output;      // none or "-" is standard output
  OutputFormat format = OutputFormat::kJsonLines;
  std::optional<std::string> annotate_dir;
  bool include_hidden = false;
  std::optional<std::string> timings;  // per-image stage times, one JSON line each

  float min_face = mtcnn::Options{}.min_face;
  std::vector<float> thresholds{mtcnn::Options{}.thresholds.begin(),
                                mtcnn::Options{}.thresholds.end()};
  float scale_factor = mtcnn::Options{}.scale_factor;
  bool clip_crops = false;
  std::optional<std::string> models;
  unsigned threads = 1;  // replaced by the number of cores in add_detect_options

  bool quiet = false;
  int verbosity = 0;  // number of -v
};

// Registers the options on the `detect` subcommand, with defaults shown in --help.
void add_detect_options(CLI::App& command, DetectOptions& options);

mtcnn::Options detector_options(const DetectOptions& options);

}  // namespace mtcnn::cli
