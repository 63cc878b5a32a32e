#include "cli/detect_options.hpp"

#include <algorithm>
#include <thread>

namespace mtcnn::cli {

namespace {

// CLI::Range prints "0.000000 to 1.000000"; this reads better.
const CLI::Validator kProbability(
    [](std::string& value) -> std::string {
      try {
        const double number = std::stod(value);
        if (number >= 0.0 && number <= 1.0) return {};
      } catch (const std::exception&) {
      }
      return "must be a number between 0 and 1, got " + value;
    },
    "0..1");

const CLI::Validator kOpenFraction(
    [](std::string& value) -> std::string {
      try {
        const double number = std::stod(value);
        if (number > 0.0 && number < 1.0) return {};
      } catch (const std::exception&) {
      }
      return "must be a number strictly between 0 and 1, got " + value;
    },
    "(0,1)");

const CLI::Validator kPositive(
    [](std::string& value) -> std::string {
      try {
        if (std::stod(value) > 0.0) return {};
      } catch (const std::exception&) {
      }
      return "must be a positive number, got " + value;
    },
    "POSITIVE");

}  // namespace

void add_detect_options(CLI::App& command, DetectOptions& options) {
  options.threads = std::max(1u, std::thread::hardware_concurrency());

  command.add_option("paths", options.paths, "Image files and directories (walked recursively)")
      ->type_name("PATH");
  command
      .add_option("--files-from", options.files_from,
                  "Read more paths from FILE, one per line ('-' for standard input)")
      ->type_name("FILE");

  command
      .add_option("-o,--output", options.output,
                  "Write the records to FILE instead of standard output (the file appears "
                  "only once complete)")
      ->type_name("FILE");
  command
      .add_option_function<std::string>(
          "--format",
          [&options](const std::string& name) {
            options.format = name == "json" ? OutputFormat::kJsonArray : OutputFormat::kJsonLines;
          },
          "jsonl: one record per line; json: one array")
      ->check(CLI::IsMember({"jsonl", "json"}))
      ->type_name("FORMAT")
      ->default_str("jsonl");
  command
      .add_option("--annotate", options.annotate_dir,
                  "Also write a copy of each image with its detections drawn into DIR, "
                  "mirroring the input tree")
      ->type_name("DIR");
  command.add_flag("--hidden", options.include_hidden,
                   "Walk into hidden files and directories (names starting with '.')");

  command.add_option("--min-face", options.min_face, "Smallest face searched for, in pixels")
      ->check(kPositive)
      ->capture_default_str();
  command.add_option("--thresholds", options.thresholds, "P-Net,R-Net,O-Net score thresholds")
      ->delimiter(',')
      ->expected(3)
      ->check(kProbability)
      ->default_str("0.6,0.7,0.7");
  command.add_option("--scale-factor", options.scale_factor, "Ratio between pyramid levels")
      ->check(kOpenFraction)
      ->capture_default_str();
  command.add_flag("--clip-crops", options.clip_crops,
                   "Crop candidates to the image instead of padding them with black, as "
                   "facenet-pytorch does (only to compare with it)");
  command
      .add_option("--models", options.models,
                  "Directory with det1..det3 .prototxt/.caffemodel (default: $MTCNN_MODELS, "
                  "else " MTCNN_DEFAULT_MODELS_DIR ")")
      ->type_name("DIR");
  command.add_option("-j,--threads", options.threads, "Images processed in parallel")
      ->check(kPositive)
      ->default_str("all cores");

  command
      .add_option("--timings", options.timings,
                  "Write each image's time per stage (decode, pyramid, P-Net, R-Net, O-Net, "
                  "write) to FILE, one JSON line per image in input order")
      ->type_name("FILE");

  auto* quiet = command.add_flag("-q,--quiet", options.quiet,
                                 "Only report errors that stop the run; no progress bar");
  auto* verbose = command.add_flag("-v,--verbose", options.verbosity,
                                   "Report timings per stage at the end (-vv: debug logs)");
  quiet->excludes(verbose);
}

mtcnn::Options detector_options(const DetectOptions& options) {
  mtcnn::Options detector;
  detector.min_face = options.min_face;
  detector.scale_factor = options.scale_factor;
  detector.pad_crops = !options.clip_crops;
  std::copy_n(options.thresholds.begin(),
              std::min(options.thresholds.size(), detector.thresholds.size()),
              detector.thresholds.begin());
  return detector;
}

}  // namespace mtcnn::cli
