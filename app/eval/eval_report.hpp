// Pieces shared by the evaluations' reports: what was scored (figures: compare/report_figures.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "compare/report_figures.hpp"
#include "eval/detection_source.hpp"

namespace mtcnn::cli {

// {"detections_file": FILE} or the detector's settings.
nlohmann::ordered_json source_json(const DetectionSourceFlags& source);

}  // namespace mtcnn::cli
