// `mtcnn eval wider`: WIDER FACE average precision at IoU 0.5 and recall by face height
// (docs/evaluation.md), overall and, with --split-dir, per official Easy/Medium/Hard setting.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "eval/detection_source.hpp"

namespace mtcnn::cli {

struct WiderEvalOptions {
  DetectionSourceFlags source;
  std::string ground_truth;
  std::string images_dir;
  std::optional<std::string> split_dir;
};

void add_wider_eval_options(CLI::App& command, WiderEvalOptions& options);

// Exit status: 0, or 1 when some images could not be scored (they count as finding nothing).
int run_wider_eval(const WiderEvalOptions& options);

}  // namespace mtcnn::cli
