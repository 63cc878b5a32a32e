// `mtcnn eval BENCHMARK`: accuracy against a benchmark's annotations (docs/evaluation.md).
#pragma once

#include <CLI/CLI.hpp>

#include "eval/eval_fddb.hpp"
#include "eval/eval_landmarks.hpp"
#include "eval/eval_wider.hpp"

namespace mtcnn::cli {

struct EvalCommand {
  CLI::App* command = nullptr;
  CLI::App* fddb = nullptr;
  FddbEvalOptions fddb_options;
  CLI::App* landmarks = nullptr;
  LandmarkEvalOptions landmark_options;
  CLI::App* wider = nullptr;
  WiderEvalOptions wider_options;
};

// Adds `eval` and its benchmarks under `app`. `eval` must outlive the parse and the run.
void add_eval_command(CLI::App& app, EvalCommand& eval);

// Runs the benchmark that was chosen; the exit status of that evaluation.
int run_eval(const EvalCommand& eval);

}  // namespace mtcnn::cli
