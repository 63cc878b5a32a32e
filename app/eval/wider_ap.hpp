// WIDER FACE scores: average precision at IoU 0.5 in the VOC manner (all-point interpolation)
// and recall by face height. Faces flagged invalid are neither counted nor penalised.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "eval/wider_annotations.hpp"
#include "records/detection_file.hpp"

namespace mtcnn::cli {

inline constexpr double kWiderMatchIou = 0.5;

// Face heights in pixels: < 20, 20-50, 50-100, > 100 (a height on a bound goes up).
inline constexpr std::size_t kHeightBands = 4;
inline constexpr double kHeightBandBounds[kHeightBands - 1] = {20, 50, 100};
std::size_t height_band(double height);

struct WiderScores {
  std::size_t faces = 0;          // valid faces
  std::size_t invalid_faces = 0;  // flagged invalid
  std::size_t detections = 0;
  std::size_t ignored_detections = 0;  // matched an invalid face
  std::size_t true_positives = 0;      // with all detections kept
  std::optional<double> average_precision;
  std::array<std::size_t, kHeightBands> band_faces{};
  std::array<std::size_t, kHeightBands> band_found{};

  std::optional<double> recall() const;
  std::optional<double> band_recall(std::size_t band) const;
};

// Area under the precision/recall curve, precision made monotone from the right (VOC 2010+).
// `recall` ascending, one precision per recall.
double all_point_average_precision(const std::vector<double>& recall,
                                   const std::vector<double>& precision);

// `detections[i]` belongs to `images[i]`. Detections are taken best first over all images; each
// is matched to the face of its image it overlaps most. At IoU >= 0.5 it is a true positive if
// that face is valid and not yet taken, ignored if the face is invalid, and a false positive
// otherwise (a duplicate, too).
WiderScores score_wider(const std::vector<WiderImage>& images,
                        const std::vector<std::vector<StoredFace>>& detections);

}  // namespace mtcnn::cli
