// How well the faces of one detection file agree with those of a reference file: the figures
// `mtcnn compare` reports (defined in docs/compare.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "records/detection_file.hpp"

namespace mtcnn::cli {

struct AgreementSettings {
  double min_score = 0.9;       // faces below it are not required to be found, nor counted extra
  double iou_threshold = 0.85;  // a reference face counts as found at this IoU or more
};

// A result face this far from every reference face is a face the reference does not have.
inline constexpr double kExtraFaceIou = 0.5;

// Intersection over union of two boxes; 0 when they do not overlap or both are empty.
double intersection_over_union(const cv::Rect2d& a, const cv::Rect2d& b);

// Linear interpolation between the nearest ranks (numpy's default); `fraction` in [0, 1].
// `values` must not be empty.
double percentile(std::vector<double> values, double fraction);

// Whether the crops the cascade takes around a face would leave the image: the square on the
// box's centre with 1.2 times its longer side does. Where they do, implementations that pad
// crops and those that clip them see different pixels, so agreement is reported apart there.
bool near_image_border(const cv::Rect2d& box, const cv::Size& image);

// One-to-one matching, greedily by highest IoU first: for each face of `wanted`, the index of
// its partner among `available` and their IoU, or nothing when no overlapping face was left.
struct FaceMatch {
  std::optional<std::size_t> partner;
  double iou = 0.0;
};
std::vector<FaceMatch> match_faces(const std::vector<cv::Rect2d>& wanted,
                                   const std::vector<cv::Rect2d>& available);

// Mean distance between corresponding landmarks, as a fraction of the reference box width.
// Nothing when either face has no landmarks or the reference box has no width.
std::optional<double> landmark_error(const StoredFace& result, const StoredFace& reference);

struct MissingImage {
  std::string path;
  bool ambiguous = false;  // its path matches several records of the other file
};

// Totals over the paired images. Faces are those scoring at least min_score unless said.
struct Agreement {
  std::size_t images = 0;                       // paired by path
  std::size_t errors_in_result = 0;             // paired images whose result record has an error
  std::size_t errors_in_reference = 0;          // paired images whose reference record has an error
  std::vector<MissingImage> missing_in_result;  // reference records without a result
  std::vector<MissingImage> missing_in_reference;  // result records without a reference

  std::size_t reference_faces = 0;
  std::size_t found_faces = 0;   // matched at IoU >= iou_threshold
  std::size_t border_faces = 0;  // reference faces near_image_border (size known)
  std::size_t border_found_faces = 0;
  std::vector<double> reference_face_ious;            // one per reference face, 0 when unmatched
  std::size_t landmark_faces = 0;                     // found faces with landmarks on both sides
  std::size_t found_without_reference_landmarks = 0;  // found faces the reference gives no points
  std::size_t found_without_result_landmarks = 0;     // found faces the result gives no points
  double landmark_error_sum = 0.0;
  std::size_t result_faces = 0;
  std::size_t extra_faces = 0;

  // Nothing when there is nothing to measure (no faces on the side the figure is about).
  std::optional<double> recall() const;
  std::optional<double> recall_near_border() const;
  std::optional<double> recall_elsewhere() const;
  std::optional<double> iou_median() const;
  std::optional<double> iou_p5() const;
  std::optional<double> mean_landmark_error() const;
  std::optional<double> extra_fraction() const;
};

// Adds the faces of one image to the totals. A failed result counts as finding no faces; a
// failed reference leaves nothing to compare against, so the image only counts as an error.
void add_image(Agreement& agreement, const StoredRecord& result, const StoredRecord& reference,
               const AgreementSettings& settings);

// Pairs the records of the two files by path and compares the faces of each pair.
Agreement measure_agreement(const std::vector<StoredRecord>& result,
                            const std::vector<StoredRecord>& reference,
                            const AgreementSettings& settings);

}  // namespace mtcnn::cli
