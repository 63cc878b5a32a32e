// The limits `mtcnn compare` can enforce on an Agreement, for regression checks in scripts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compare/agreement.hpp"

namespace mtcnn::cli {

struct AgreementBounds {
  std::optional<double> min_recall;
  std::optional<double> min_median_iou;
  std::optional<double> max_landmark_error;
  std::optional<double> max_extra;
};

struct BoundCheck {
  std::string flag;    // "--min-recall"
  std::string figure;  // "recall"
  double bound = 0.0;
  bool at_least = true;         // the figure must reach the bound; false: must not exceed it
  std::optional<double> value;  // nothing when the figure could not be measured
  bool passed = false;          // a figure that cannot be measured fails its bound
};

// One check per bound that was given, in the order of the flags above.
std::vector<BoundCheck> check_bounds(const Agreement& agreement, const AgreementBounds& bounds);

// "recall 0.9048 < 0.95 (--min-recall)", or why it could not be measured.
std::string describe(const BoundCheck& check);

}  // namespace mtcnn::cli
