// Pieces shared by the evaluations' reports: rounding for the JSON line and what was scored.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "eval/detection_source.hpp"

namespace mtcnn::cli {

// Fractions in the JSON line have 5 decimals, as in `mtcnn compare`; nothing becomes null.
nlohmann::ordered_json summary_fraction(std::optional<double> value);

// {"detections_file": FILE} or the detector's settings.
nlohmann::ordered_json source_json(const DetectionSourceFlags& source);

}  // namespace mtcnn::cli
