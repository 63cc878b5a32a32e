// Where an evaluation gets its detections: the detector run on the benchmark's images (with the
// detector flags of `mtcnn detect`), or a detection file in our record format (--detections),
// which is how another implementation's output is scored by the same evaluator.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "detect/detector_flags.hpp"
#include "records/detection_file.hpp"

namespace mtcnn::cli {

struct DetectionSourceFlags : DetectorFlags {
  std::optional<std::string> detections_file;
};

// Registers the detector flags and --detections FILE.
void add_detection_source_flags(CLI::App& command, DetectionSourceFlags& flags);

// One record per image, in the order of `images` (its `path` is the image's path). From a file,
// records pair with the images as `mtcnn compare` pairs paths (equal, or one ends with "/" and
// the other); an image without a record counts as failed. A failed image has no faces.
// Throws SetupError (models, unreadable detection file).
std::vector<StoredRecord> detections_for(const std::vector<std::string>& images,
                                         const DetectionSourceFlags& flags);

}  // namespace mtcnn::cli
