#include "detect/detector_flags.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "common/exit_status.hpp"
#include "common/model_dir.hpp"

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

const CLI::Validator kSideOrOff(
    [](std::string& value) -> std::string {
      try {
        std::size_t used = 0;
        const long number = std::stol(value, &used);
        if (used == value.size() && number >= 0 && number <= 1'000'000) return {};
      } catch (const std::exception&) {
      }
      return "must be 0 (off) or a whole number of pixels up to 1000000, got " + value;
    },
    "");

// "0.6,0.7,0.7": one argument, so that `--thresholds 0.6,0.7,0.7 photos/` leaves photos/ alone.
std::vector<float> parse_thresholds(const std::string& text) {
  std::vector<float> values;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    std::string probability = part;
    if (!kProbability(probability).empty()) {
      throw CLI::ValidationError("--thresholds",
                                 "each value must be a number between 0 and 1, got '" + part + "'");
    }
    values.push_back(std::stof(part));
  }
  if (values.size() != 3 || text.back() == ',') {
    throw CLI::ValidationError(
        "--thresholds",
        "takes three numbers joined by commas (P-Net,R-Net,O-Net), got '" + text + "'");
  }
  return values;
}

}  // namespace

const char* precision_name(mtcnn::Precision precision) {
  return precision == mtcnn::Precision::kBf16 ? "bf16" : "fp32";
}

void add_detector_flags(CLI::App& command, DetectorFlags& flags) {
  flags.threads = std::max(1u, std::thread::hardware_concurrency());

  command.add_option("--min-face", flags.min_face, "Smallest face searched for, in pixels")
      ->check(kPositive)
      ->capture_default_str();
  command
      .add_option_function<std::string>(
          "--thresholds",
          [&flags](const std::string& text) { flags.thresholds = parse_thresholds(text); },
          "P-Net,R-Net,O-Net score thresholds, one argument: three numbers joined by commas")
      ->type_name("A,B,C")
      ->default_str("0.6,0.7,0.7");
  command.add_option("--scale-factor", flags.scale_factor, "Ratio between pyramid levels")
      ->check(kOpenFraction)
      ->capture_default_str();
  command.add_flag("--clip-crops", flags.clip_crops,
                   "Crop candidates to the image instead of padding them with black, as "
                   "facenet-pytorch does (only to compare with it)");
  command
      .add_option("--max-side", flags.max_side,
                  "Search photos whose longer side exceeds N pixels on a copy shrunk to N, for "
                  "speed; faces come back in the photo's pixels, small ones may be missed "
                  "(0: off; see docs/performance.md)")
      ->check(kSideOrOff)
      ->type_name("N")
      ->capture_default_str();
  command
      .add_option_function<std::string>(
          "--precision",
          [&flags](const std::string& name) {
            flags.precision = name == "bf16" ? mtcnn::Precision::kBf16 : mtcnn::Precision::kFp32;
          },
          "Arithmetic of the convolutions: fp32 (exact) or bf16 (faster on CPUs with "
          "AVX512_BF16; boxes and scores move slightly, see docs/performance.md)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->type_name("NAME")
      ->default_str(precision_name(flags.precision));
  command
      .add_option("--models", flags.models,
                  "Directory with det1..det3 .prototxt/.caffemodel (default: $MTCNN_MODELS, "
                  "else " MTCNN_DEFAULT_MODELS_DIR ")")
      ->type_name("DIR");
  command.add_option("-j,--threads", flags.threads, "Images processed in parallel")
      ->check(kPositive)
      ->default_str("all cores");

  auto* quiet = command.add_flag("-q,--quiet", flags.quiet,
                                 "Only report errors that stop the run; no progress bar");
  auto* verbose = command.add_flag("-v,--verbose", flags.verbosity,
                                   "Report timings per stage at the end (-vv: debug logs)");
  quiet->excludes(verbose);
}

mtcnn::Options detector_options(const DetectorFlags& flags) {
  mtcnn::Options detector;
  detector.min_face = flags.min_face;
  detector.scale_factor = flags.scale_factor;
  detector.pad_crops = !flags.clip_crops;
  detector.max_side = flags.max_side;
  detector.precision = flags.precision;
  std::copy_n(flags.thresholds.begin(),
              std::min(flags.thresholds.size(), detector.thresholds.size()),
              detector.thresholds.begin());
  return detector;
}

std::vector<std::unique_ptr<FaceFinder>> create_face_finders(const DetectorFlags& flags,
                                                             std::size_t count) {
  const ModelDirChoice models = resolve_model_dir(flags.models);
  check_model_dir(models);
  spdlog::debug("models from {} ({})", models.dir.string(), models.origin);
  if (!mtcnn::precision_supported(flags.precision)) {
    spdlog::warn("--precision {}: this CPU lacks AVX512_BF16; computing in fp32",
                 precision_name(flags.precision));
  }
  std::vector<std::unique_ptr<FaceFinder>> finders;
  try {
    for (std::size_t i = 0; i < count; ++i) {
      finders.push_back(std::make_unique<MtcnnFaceFinder>(models.dir, detector_options(flags),
                                                          flags.largest_only));
    }
  } catch (const mtcnn::ModelError& e) {
    throw SetupError(std::string(e.what()) + "; " + kModelFixHint);
  } catch (const mtcnn::OptionsError& e) {
    throw SetupError(std::string("invalid detector options: ") + e.what());
  }
  return finders;
}

}  // namespace mtcnn::cli
