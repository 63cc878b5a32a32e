// Landmark accuracy on labelled faces: each labelled face takes the detection whose box overlaps
// its box most (IoU), and the distance of each predicted point from the labelled one is
// normalised by the inter-ocular distance (between the labelled eye centres).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "eval/landmark_list.hpp"
#include "records/detection_file.hpp"

namespace mtcnn::cli {

// Below this IoU with the labelled box, the face counts as missed.
inline constexpr double kLandmarkMatchIou = 0.3;
// A face whose mean normalised error exceeds this is a failure (the usual CUHK/AFLW figure).
inline constexpr double kLandmarkFailureError = 0.1;

struct LandmarkScores {
  std::size_t faces = 0;       // labelled faces
  std::size_t missed = 0;      // no detection at IoU >= 0.3 (or the image failed)
  std::size_t unmeasured = 0;  // matched, but no landmarks or the labelled eyes coincide
  std::size_t measured = 0;    // matched with landmarks: the faces the errors are over
  std::size_t failures = 0;    // measured faces with mean error > 0.1
  std::array<double, kStoredLandmarkCount> error_sums{};  // per landmark, normalised
  double mean_error_sum = 0;                              // of each face's mean over 5 points

  std::optional<double> landmark_error(std::size_t landmark) const;
  std::optional<double> mean_error() const;
  std::optional<double> failure_rate() const;  // of the measured faces
  std::optional<double> miss_rate() const;     // of the labelled faces
};

// Normalised error of each point; nothing when the labelled eyes coincide.
std::optional<std::array<double, kStoredLandmarkCount>> normalised_errors(
    const LabelledFace& labelled, const std::array<cv::Point2d, kStoredLandmarkCount>& predicted);

// Adds one labelled face, given the detections of its image (none when the image failed).
void add_face(LandmarkScores& scores, const LabelledFace& labelled,
              const std::vector<StoredFace>& detections);

}  // namespace mtcnn::cli
