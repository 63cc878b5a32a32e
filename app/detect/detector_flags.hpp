// The detector's flags, shared by `mtcnn detect` and `mtcnn eval`, and the detectors they make.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <memory>
#include <mtcnn/detector.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detect/face_finder.hpp"

namespace mtcnn::cli {

// The detector's default P-Net, R-Net and O-Net thresholds. (Both ends of the range must come
// from one Options object: begin() and end() of two temporaries make a garbage range.)
inline std::vector<float> default_thresholds() {
  const mtcnn::Options defaults;
  return {defaults.thresholds.begin(), defaults.thresholds.end()};
}

struct DetectorFlags {
  float min_face = mtcnn::Options{}.min_face;
  std::vector<float> thresholds = default_thresholds();
  float scale_factor = mtcnn::Options{}.scale_factor;
  bool clip_crops = false;
  int max_side = 0;  // 0: off
  mtcnn::Precision precision = mtcnn::Options{}.precision;
  bool largest_only = false;  // keep only the largest face of each photo (detect --largest)
  std::optional<std::string> models;
  unsigned threads = 1;  // replaced by the number of cores in add_detector_flags

  bool quiet = false;
  int verbosity = 0;  // number of -v
};

// Registers --min-face, --thresholds, --scale-factor, --clip-crops, --max-side, --precision,
// --models, -j, -q and -v, with defaults shown in --help.
void add_detector_flags(CLI::App& command, DetectorFlags& flags);

// "fp32" or "bf16", as --precision takes it.
const char* precision_name(mtcnn::Precision precision);

mtcnn::Options detector_options(const DetectorFlags& flags);

// One finder per worker, all created before the first image, so broken models stop the run with
// one message instead of a failed record per image. Throws SetupError.
std::vector<std::unique_ptr<FaceFinder>> create_face_finders(const DetectorFlags& flags,
                                                             std::size_t count);

}  // namespace mtcnn::cli
