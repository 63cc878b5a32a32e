#include "compare/agreement.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "compare/record_pairing.hpp"

namespace mtcnn::cli {

namespace {

std::vector<cv::Rect2d> boxes_of(const std::vector<const StoredFace*>& faces) {
  std::vector<cv::Rect2d> boxes;
  boxes.reserve(faces.size());
  for (const StoredFace* face : faces) boxes.push_back(face->box);
  return boxes;
}

std::vector<const StoredFace*> faces_scoring_at_least(const std::vector<StoredFace>& faces,
                                                      double min_score) {
  std::vector<const StoredFace*> kept;
  for (const StoredFace& face : faces) {
    if (face.score >= min_score) kept.push_back(&face);
  }
  return kept;
}

std::vector<const StoredFace*> all_faces(const std::vector<StoredFace>& faces) {
  return faces_scoring_at_least(faces, -INFINITY);
}

std::optional<double> ratio(double part, std::size_t whole) {
  if (whole == 0) return std::nullopt;
  return part / static_cast<double>(whole);
}

}  // namespace

double intersection_over_union(const cv::Rect2d& a, const cv::Rect2d& b) {
  const double width = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
  const double height = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0.0;
  const double intersection = width * height;
  const double union_area = a.area() + b.area() - intersection;
  return union_area > 0 ? intersection / union_area : 0.0;
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const double rank = fraction * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double weight = rank - static_cast<double>(below);
  return values[below] + (values[above] - values[below]) * weight;
}

std::vector<FaceMatch> match_faces(const std::vector<cv::Rect2d>& wanted,
                                   const std::vector<cv::Rect2d>& available) {
  struct Candidate {
    double iou;
    std::size_t wanted;
    std::size_t available;
  };
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    for (std::size_t j = 0; j < available.size(); ++j) {
      const double iou = intersection_over_union(wanted[i], available[j]);
      if (iou > 0) candidates.push_back({iou, i, j});
    }
  }
  // Ties go to the earlier faces, so the matching never depends on the sort's whims.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(b.iou, a.wanted, a.available) < std::tie(a.iou, b.wanted, b.available);
  });

  std::vector<FaceMatch> matches(wanted.size());
  std::vector<bool> taken(available.size(), false);
  for (const Candidate& candidate : candidates) {
    FaceMatch& match = matches[candidate.wanted];
    if (match.partner || taken[candidate.available]) continue;
    match.partner = candidate.available;
    match.iou = candidate.iou;
    taken[candidate.available] = true;
  }
  return matches;
}

std::optional<double> landmark_error(const StoredFace& result, const StoredFace& reference) {
  if (!result.landmarks || !reference.landmarks || reference.box.width <= 0) return std::nullopt;
  double distance_sum = 0.0;
  for (std::size_t i = 0; i < kStoredLandmarkCount; ++i) {
    const cv::Point2d offset = (*result.landmarks)[i] - (*reference.landmarks)[i];
    distance_sum += std::hypot(offset.x, offset.y);
  }
  return distance_sum / kStoredLandmarkCount / reference.box.width;
}

std::optional<double> Agreement::recall() const {
  return ratio(static_cast<double>(found_faces), reference_faces);
}

std::optional<double> Agreement::recall_near_border() const {
  return ratio(static_cast<double>(border_found_faces), border_faces);
}

std::optional<double> Agreement::recall_elsewhere() const {
  return ratio(static_cast<double>(found_faces - border_found_faces),
               reference_faces - border_faces);
}

bool near_image_border(const cv::Rect2d& box, const cv::Size& image) {
  const double half = 0.6 * std::max(box.width, box.height);
  const cv::Point2d centre(box.x + box.width / 2, box.y + box.height / 2);
  return centre.x - half < 0 || centre.y - half < 0 || centre.x + half > image.width ||
         centre.y + half > image.height;
}

std::optional<double> Agreement::iou_median() const {
  if (reference_face_ious.empty()) return std::nullopt;
  return percentile(reference_face_ious, 0.5);
}

std::optional<double> Agreement::iou_p5() const {
  if (reference_face_ious.empty()) return std::nullopt;
  return percentile(reference_face_ious, 0.05);
}

std::optional<double> Agreement::mean_landmark_error() const {
  return ratio(landmark_error_sum, landmark_faces);
}

std::optional<double> Agreement::extra_fraction() const {
  return ratio(static_cast<double>(extra_faces), result_faces);
}

void add_image(Agreement& agreement, const StoredRecord& result, const StoredRecord& reference,
               const AgreementSettings& settings) {
  ++agreement.images;
  if (result.failed) ++agreement.errors_in_result;
  if (reference.failed) {
    ++agreement.errors_in_reference;
    return;
  }
  static const std::vector<StoredFace> kNoFaces;
  const std::vector<StoredFace>& result_faces = result.failed ? kNoFaces : result.faces;

  // Recall side: confident reference faces against result faces of any score, so a face the
  // result scores just under the cut-off is not called missing.
  const auto wanted = faces_scoring_at_least(reference.faces, settings.min_score);
  const auto candidates = all_faces(result_faces);
  const auto found = match_faces(boxes_of(wanted), boxes_of(candidates));
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    ++agreement.reference_faces;
    agreement.reference_face_ious.push_back(found[i].iou);
    const bool at_border = reference.size && near_image_border(wanted[i]->box, *reference.size);
    agreement.border_faces += at_border;
    if (!found[i].partner || found[i].iou < settings.iou_threshold) continue;
    ++agreement.found_faces;
    agreement.border_found_faces += at_border;
    const StoredFace& partner = *candidates[*found[i].partner];
    agreement.found_without_reference_landmarks += !wanted[i]->landmarks;
    agreement.found_without_result_landmarks += !partner.landmarks;
    if (const auto error = landmark_error(partner, *wanted[i])) {
      ++agreement.landmark_faces;
      agreement.landmark_error_sum += *error;
    }
  }

  // Extra side, the mirror image: confident result faces against reference faces of any score.
  const auto confident = faces_scoring_at_least(result_faces, settings.min_score);
  const auto explained = match_faces(boxes_of(confident), boxes_of(all_faces(reference.faces)));
  agreement.result_faces += confident.size();
  agreement.extra_faces += static_cast<std::size_t>(std::count_if(
      explained.begin(), explained.end(),
      [](const FaceMatch& match) { return !match.partner || match.iou < kExtraFaceIou; }));
}

Agreement measure_agreement(const std::vector<StoredRecord>& result,
                            const std::vector<StoredRecord>& reference,
                            const AgreementSettings& settings) {
  const auto paths = [](const std::vector<StoredRecord>& records) {
    std::vector<std::string> list;
    list.reserve(records.size());
    for (const StoredRecord& record : records) list.push_back(record.path);
    return list;
  };
  const RecordPairing pairing = pair_records(paths(result), paths(reference));

  Agreement agreement;
  for (const auto& [result_index, reference_index] : pairing.pairs) {
    add_image(agreement, result[result_index], reference[reference_index], settings);
  }
  for (const UnpairedRecord& unpaired : pairing.left_only) {
    agreement.missing_in_reference.push_back({result[unpaired.index].path, unpaired.ambiguous});
  }
  for (const UnpairedRecord& unpaired : pairing.right_only) {
    agreement.missing_in_result.push_back({reference[unpaired.index].path, unpaired.ambiguous});
  }
  return agreement;
}

}  // namespace mtcnn::cli
