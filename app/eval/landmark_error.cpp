#include "eval/landmark_error.hpp"

#include <cmath>

#include "compare/agreement.hpp"

namespace mtcnn::cli {

namespace {

std::optional<double> fraction(double part, std::size_t whole) {
  if (whole == 0) return std::nullopt;
  return part / static_cast<double>(whole);
}

}  // namespace

std::optional<double> LandmarkScores::landmark_error(std::size_t landmark) const {
  return fraction(error_sums[landmark], measured);
}
std::optional<double> LandmarkScores::mean_error() const {
  return fraction(mean_error_sum, measured);
}
std::optional<double> LandmarkScores::failure_rate() const {
  return fraction(static_cast<double>(failures), measured);
}
std::optional<double> LandmarkScores::miss_rate() const {
  return fraction(static_cast<double>(missed), faces);
}

std::optional<std::array<double, kStoredLandmarkCount>> normalised_errors(
    const LabelledFace& labelled, const std::array<cv::Point2d, kStoredLandmarkCount>& predicted) {
  const double inter_ocular = cv::norm(labelled.points[0] - labelled.points[1]);
  if (inter_ocular <= 0) return std::nullopt;
  std::array<double, kStoredLandmarkCount> errors{};
  for (std::size_t i = 0; i < kStoredLandmarkCount; ++i) {
    errors[i] = cv::norm(predicted[i] - labelled.points[i]) / inter_ocular;
  }
  return errors;
}

void add_face(LandmarkScores& scores, const LabelledFace& labelled,
              const std::vector<StoredFace>& detections) {
  ++scores.faces;
  const StoredFace* best = nullptr;
  double best_iou = 0;
  for (const StoredFace& detection : detections) {
    const double iou = intersection_over_union(labelled.box, detection.box);
    if (iou > best_iou) {
      best_iou = iou;
      best = &detection;
    }
  }
  if (best == nullptr || best_iou < kLandmarkMatchIou) {
    ++scores.missed;
    return;
  }
  if (!best->landmarks) {
    ++scores.unmeasured;
    return;
  }
  const auto errors = normalised_errors(labelled, *best->landmarks);
  if (!errors) {
    ++scores.unmeasured;  // unusable label: nothing to normalise by
    return;
  }
  ++scores.measured;
  double sum = 0;
  for (std::size_t i = 0; i < kStoredLandmarkCount; ++i) {
    scores.error_sums[i] += (*errors)[i];
    sum += (*errors)[i];
  }
  const double mean = sum / kStoredLandmarkCount;
  scores.mean_error_sum += mean;
  if (mean > kLandmarkFailureError) ++scores.failures;
}

}  // namespace mtcnn::cli
