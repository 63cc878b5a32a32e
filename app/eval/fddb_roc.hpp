// The FDDB protocol's scores: per image a one-to-one matching of detections to annotated
// ellipses maximising the total overlap, then the ROC over a sweep of the score threshold.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eval/ellipse_overlap.hpp"
#include "records/detection_file.hpp"

namespace mtcnn::cli {

// A match with more overlap than this is a true positive for the discrete score.
inline constexpr double kFddbDiscreteOverlap = 0.5;

// What one image contributes when only its k best detections are kept, for every k: the
// matching is redone for each k, as a threshold that drops detections can change it.
struct ImageMatchCounts {
  std::vector<double> scores;              // the detections' scores, best first
  std::vector<std::size_t> discrete_true;  // [k]: matches with overlap > 0.5, k = 0..n
  std::vector<double> continuous_true;     // [k]: sum of the matches' overlaps
};

ImageMatchCounts match_image(const std::vector<Ellipse>& faces,
                             const std::vector<StoredFace>& detections);

// Matched pairs (face, detection) and their overlaps for one image's faces and detections.
struct EllipseMatch {
  std::size_t face = 0;
  std::size_t detection = 0;
  double overlap = 0;
};
std::vector<EllipseMatch> match_ellipses(const std::vector<Ellipse>& faces,
                                         const std::vector<cv::Rect2d>& boxes);

// One point per distinct score: all detections scoring at least `threshold` are kept. False
// positives are the kept detections without a match of overlap > 0.5, for both scores.
struct RocPoint {
  double threshold = 0;
  std::size_t false_positives = 0;
  double discrete_tpr = 0;    // true positives / annotated faces
  double continuous_tpr = 0;  // sum of matched overlaps / annotated faces
};

// The ROC as CSV: "false_positives,true_positive_rate,score_threshold", one row per point, with
// the given rate (discrete or continuous).
std::string roc_csv(const std::vector<RocPoint>& roc, double RocPoint::*rate);

// Starts with the point at threshold +infinity (nothing kept, 0 FP, TPR 0).
std::vector<RocPoint> fddb_roc(const std::vector<ImageMatchCounts>& images,
                               std::size_t annotated_faces);

// The true positive rate at `false_positives`: the best rate among the points with at most that
// many false positives.
double discrete_tpr_at(const std::vector<RocPoint>& roc, std::size_t false_positives);
double continuous_tpr_at(const std::vector<RocPoint>& roc, std::size_t false_positives);

}  // namespace mtcnn::cli
