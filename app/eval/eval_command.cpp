#include "eval/eval_command.hpp"

#include "common/exit_status.hpp"

namespace mtcnn::cli {

namespace {

constexpr const char* kEvalFooter = R"(
Each evaluation runs the detector on the benchmark's images (detector flags as for detect), or
scores a detection file in our record format with --detections. Progress goes to stderr; stdout
gets a table, then last a one-line JSON summary. Protocols and files: docs/evaluation.md.
)";

constexpr const char* kFddbFooter = R"(
Example:
  mtcnn eval fddb --data FDDB --folds 1-10 -o out/fddb
  mtcnn eval fddb --data FDDB --detections other.jsonl -o out/fddb-other
)";

constexpr const char* kLandmarksFooter = R"(
Example:
  mtcnn eval landmarks --list cuhk5/landmarks.txt --images cuhk5/images
  mtcnn eval landmarks --list cuhk5/landmarks.txt --images cuhk5/images --detections other.jsonl
)";

constexpr const char* kWiderFooter = R"(
Example:
  mtcnn eval wider --gt wider_face_split/wider_face_val_bbx_gt.txt --images WIDER_val/images
)";

}  // namespace

void add_eval_command(CLI::App& app, EvalCommand& eval) {
  eval.command = app.add_subcommand(
      "eval", "Measure accuracy against a benchmark's annotations (FDDB, landmarks, WIDER FACE)");
  eval.command->require_subcommand(1);
  eval.command->footer(kEvalFooter);

  eval.fddb = eval.command->add_subcommand(
      "fddb", "FDDB: ROC (discrete and continuous) over the folds, standard result files");
  add_fddb_eval_options(*eval.fddb, eval.fddb_options);
  eval.fddb->footer(kFddbFooter);

  eval.landmarks = eval.command->add_subcommand(
      "landmarks",
      "Five-point landmark error (normalised by the inter-ocular distance), CUHK list");
  add_landmark_eval_options(*eval.landmarks, eval.landmark_options);
  eval.landmarks->footer(kLandmarksFooter);

  eval.wider = eval.command->add_subcommand(
      "wider", "WIDER FACE: AP at IoU 0.5 (invalid faces ignored), recall by face height");
  add_wider_eval_options(*eval.wider, eval.wider_options);
  eval.wider->footer(kWiderFooter);
}

int run_eval(const EvalCommand& eval) {
  if (*eval.fddb) return run_fddb_eval(eval.fddb_options);
  if (*eval.landmarks) return run_landmark_eval(eval.landmark_options);
  if (*eval.wider) return run_wider_eval(eval.wider_options);
  return kExitSetupError;
}

}  // namespace mtcnn::cli
