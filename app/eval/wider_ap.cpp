#include "eval/wider_ap.hpp"

#include <algorithm>

#include "compare/agreement.hpp"

namespace mtcnn::cli {

std::size_t height_band(double height) {
  std::size_t band = 0;
  while (band < kHeightBands - 1 && height >= kHeightBandBounds[band]) ++band;
  return band;
}

std::optional<double> WiderScores::recall() const {
  if (faces == 0) return std::nullopt;
  return static_cast<double>(true_positives) / static_cast<double>(faces);
}

std::optional<double> WiderScores::band_recall(std::size_t band) const {
  if (band_faces[band] == 0) return std::nullopt;
  return static_cast<double>(band_found[band]) / static_cast<double>(band_faces[band]);
}

double all_point_average_precision(const std::vector<double>& recall,
                                   const std::vector<double>& precision) {
  // Envelope: the precision at a recall is the best precision at that recall or beyond.
  std::vector<double> envelope = precision;
  for (std::size_t i = envelope.size(); i-- > 1;) {
    envelope[i - 1] = std::max(envelope[i - 1], envelope[i]);
  }
  double area = 0, previous_recall = 0;
  for (std::size_t i = 0; i < recall.size(); ++i) {
    area += (recall[i] - previous_recall) * envelope[i];
    previous_recall = recall[i];
  }
  return area;
}

WiderScores score_wider(const std::vector<WiderImage>& images,
                        const std::vector<std::vector<StoredFace>>& detections) {
  WiderScores scores;
  for (const WiderImage& image : images) {
    for (const WiderFace& face : image.faces) {
      if (face.invalid) {
        ++scores.invalid_faces;
        continue;
      }
      ++scores.faces;
      ++scores.band_faces[height_band(face.box.height)];
    }
  }

  struct Entry {
    double score;
    std::size_t image, detection;
  };
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < detections.size(); ++i) {
    for (std::size_t d = 0; d < detections[i].size(); ++d) {
      entries.push_back({detections[i][d].score, i, d});
    }
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.score > b.score; });

  std::vector<std::vector<bool>> taken(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) taken[i].assign(images[i].faces.size(), false);
  std::vector<double> recall, precision;
  std::size_t true_positives = 0, false_positives = 0;
  for (const Entry& entry : entries) {
    const std::vector<WiderFace>& faces = images[entry.image].faces;
    const cv::Rect2d& box = detections[entry.image][entry.detection].box;
    double best_iou = 0;
    std::optional<std::size_t> best;
    for (std::size_t f = 0; f < faces.size(); ++f) {
      const double iou = intersection_over_union(box, faces[f].box);
      if (iou > best_iou) {
        best_iou = iou;
        best = f;
      }
    }
    ++scores.detections;
    if (best && best_iou >= kWiderMatchIou && faces[*best].invalid) {
      ++scores.ignored_detections;
      continue;
    }
    if (best && best_iou >= kWiderMatchIou && !taken[entry.image][*best]) {
      taken[entry.image][*best] = true;
      ++true_positives;
      ++scores.band_found[height_band(faces[*best].box.height)];
    } else {
      ++false_positives;
    }
    recall.push_back(scores.faces > 0 ? static_cast<double>(true_positives) / scores.faces : 0.0);
    precision.push_back(static_cast<double>(true_positives) /
                        static_cast<double>(true_positives + false_positives));
  }
  scores.true_positives = true_positives;
  if (scores.faces > 0) scores.average_precision = all_point_average_precision(recall, precision);
  return scores;
}

}  // namespace mtcnn::cli
