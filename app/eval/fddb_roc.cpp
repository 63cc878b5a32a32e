#include "eval/fddb_roc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "eval/assignment.hpp"

namespace mtcnn::cli {

std::vector<EllipseMatch> match_ellipses(const std::vector<Ellipse>& faces,
                                         const std::vector<cv::Rect2d>& boxes) {
  std::vector<EllipseMatch> matches;
  if (faces.empty() || boxes.empty()) return matches;
  std::vector<std::vector<double>> overlap(faces.size(), std::vector<double>(boxes.size()));
  for (std::size_t f = 0; f < faces.size(); ++f) {
    for (std::size_t d = 0; d < boxes.size(); ++d) {
      overlap[f][d] = ellipse_rect_overlap(faces[f], boxes[d]);
    }
  }
  const auto assignment = max_weight_assignment(overlap);
  for (std::size_t f = 0; f < faces.size(); ++f) {
    if (!assignment[f] || overlap[f][*assignment[f]] <= 0) continue;  // not a real match
    matches.push_back({f, *assignment[f], overlap[f][*assignment[f]]});
  }
  return matches;
}

ImageMatchCounts match_image(const std::vector<Ellipse>& faces,
                             const std::vector<StoredFace>& detections) {
  std::vector<StoredFace> sorted = detections;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const StoredFace& a, const StoredFace& b) { return a.score > b.score; });
  ImageMatchCounts counts;
  counts.discrete_true.push_back(0);
  counts.continuous_true.push_back(0.0);
  std::vector<cv::Rect2d> kept;
  for (const StoredFace& detection : sorted) {
    counts.scores.push_back(detection.score);
    kept.push_back(detection.box);
    std::size_t discrete = 0;
    double continuous = 0.0;
    for (const EllipseMatch& match : match_ellipses(faces, kept)) {
      if (match.overlap > kFddbDiscreteOverlap) ++discrete;
      continuous += match.overlap;
    }
    counts.discrete_true.push_back(discrete);
    counts.continuous_true.push_back(continuous);
  }
  return counts;
}

std::vector<RocPoint> fddb_roc(const std::vector<ImageMatchCounts>& images,
                               std::size_t annotated_faces) {
  struct Entry {
    double score;
    std::size_t image;
  };
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < images.size(); ++i) {
    for (double score : images[i].scores) entries.push_back({score, i});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.score > b.score; });

  const double faces = std::max<std::size_t>(annotated_faces, 1);
  std::vector<std::size_t> kept(images.size(), 0);
  std::size_t total_kept = 0, discrete = 0;
  double continuous = 0.0;
  std::vector<RocPoint> roc{{std::numeric_limits<double>::infinity(), 0, 0.0, 0.0}};
  for (std::size_t e = 0; e < entries.size(); ++e) {
    // Keeping one more detection of an image replaces that image's counts at k by those at k+1.
    const ImageMatchCounts& image = images[entries[e].image];
    std::size_t& k = kept[entries[e].image];
    discrete += image.discrete_true[k + 1] - image.discrete_true[k];
    continuous += image.continuous_true[k + 1] - image.continuous_true[k];
    ++k;
    ++total_kept;
    const bool last_of_score = e + 1 == entries.size() || entries[e + 1].score != entries[e].score;
    if (!last_of_score) continue;
    roc.push_back({entries[e].score, total_kept - discrete, discrete / faces, continuous / faces});
  }
  return roc;
}

namespace {

double tpr_at(const std::vector<RocPoint>& roc, std::size_t false_positives,
              double RocPoint::*rate) {
  double best = 0.0;
  for (const RocPoint& point : roc) {
    if (point.false_positives <= false_positives) best = std::max(best, point.*rate);
  }
  return best;
}

}  // namespace

double discrete_tpr_at(const std::vector<RocPoint>& roc, std::size_t false_positives) {
  return tpr_at(roc, false_positives, &RocPoint::discrete_tpr);
}

double continuous_tpr_at(const std::vector<RocPoint>& roc, std::size_t false_positives) {
  return tpr_at(roc, false_positives, &RocPoint::continuous_tpr);
}

std::string roc_csv(const std::vector<RocPoint>& roc, double RocPoint::*rate) {
  std::string text = "false_positives,true_positive_rate,score_threshold\n";
  for (const RocPoint& point : roc) {
    // Scores are single-precision: their shortest exact form keeps distinct scores distinct
    // (six decimals printed 0.999997 for nine different scores).
    text += fmt::format("{},{:.6f},{}\n", point.false_positives, point.*rate,
                        std::isinf(point.threshold)
                            ? "inf"
                            : fmt::format("{}", static_cast<float>(point.threshold)));
  }
  return text;
}

}  // namespace mtcnn::cli
