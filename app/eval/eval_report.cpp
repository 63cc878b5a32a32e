#include "eval/eval_report.hpp"

#include "records/record.hpp"

namespace mtcnn::cli {

nlohmann::ordered_json source_json(const DetectionSourceFlags& source) {
  if (source.detections_file) return {{"detections_file", *source.detections_file}};
  nlohmann::ordered_json thresholds = nlohmann::ordered_json::array();
  for (float threshold : source.thresholds) thresholds.push_back(round_to(threshold, 4));
  return {{"detector", "mtcnn"},
          {"min_face", round_to(source.min_face, 4)},
          {"thresholds", thresholds},
          {"scale_factor", round_to(source.scale_factor, 4)},
          {"clip_crops", source.clip_crops},
          {"max_side", source.max_side},
          {"precision", precision_name(source.precision)}};
}

}  // namespace mtcnn::cli
