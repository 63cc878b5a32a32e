// `mtcnn eval landmarks`: five-point landmark error on a labelled list (CUHK format),
// normalised by the inter-ocular distance (docs/evaluation.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "eval/detection_source.hpp"

namespace mtcnn::cli {

struct LandmarkEvalOptions {
  DetectionSourceFlags source;
  std::string list_file;
  std::string images_dir;
};

void add_landmark_eval_options(CLI::App& command, LandmarkEvalOptions& options);

// Exit status: 0, or 1 when some images could not be scored (their faces count as missed).
int run_landmark_eval(const LandmarkEvalOptions& options);

}  // namespace mtcnn::cli
