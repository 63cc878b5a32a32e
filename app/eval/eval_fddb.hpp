// `mtcnn eval fddb`: the detector (or a detection file) scored with the FDDB protocol; writes
// the standard per-fold result files, the ROC as CSV and as a plot (docs/evaluation.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "eval/detection_source.hpp"

namespace mtcnn::cli {

struct FddbEvalOptions {
  DetectionSourceFlags source;
  std::string data_dir;
  std::string folds = "1-10";
  std::string output_dir = "eval-fddb";
};

void add_fddb_eval_options(CLI::App& command, FddbEvalOptions& options);

// Exit status: 0, or 1 when some images could not be scored (unreadable, or no record in the
// detection file; they count as finding nothing). Throws SetupError.
int run_fddb_eval(const FddbEvalOptions& options);

}  // namespace mtcnn::cli
