#include "compare/agreement_bounds.hpp"

#include <fmt/format.h>

namespace mtcnn::cli {

namespace {

enum class Side { kAtLeast, kAtMost };

BoundCheck check(std::string flag, std::string figure, double bound, Side side,
                 std::optional<double> value) {
  const bool passed =
      value.has_value() && (side == Side::kAtLeast ? *value >= bound : *value <= bound);
  return {std::move(flag), std::move(figure), bound, side == Side::kAtLeast, value, passed};
}

}  // namespace

std::vector<BoundCheck> check_bounds(const Agreement& agreement, const AgreementBounds& bounds) {
  std::vector<BoundCheck> checks;
  if (bounds.min_recall) {
    checks.push_back(
        check("--min-recall", "recall", *bounds.min_recall, Side::kAtLeast, agreement.recall()));
  }
  if (bounds.min_median_iou) {
    checks.push_back(check("--min-median-iou", "median IoU", *bounds.min_median_iou, Side::kAtLeast,
                           agreement.iou_median()));
  }
  if (bounds.max_landmark_error) {
    checks.push_back(check("--max-landmark-error", "landmark error", *bounds.max_landmark_error,
                           Side::kAtMost, agreement.mean_landmark_error()));
  }
  if (bounds.max_extra) {
    checks.push_back(check("--max-extra", "extra", *bounds.max_extra, Side::kAtMost,
                           agreement.extra_fraction()));
  }
  return checks;
}

std::string describe(const BoundCheck& check) {
  if (!check.value) {
    return fmt::format("{} cannot be measured: no faces to measure it on ({} {:g})", check.figure,
                       check.flag, check.bound);
  }
  const char* relation =
      check.passed ? (check.at_least ? ">=" : "<=") : (check.at_least ? "<" : ">");
  return fmt::format("{} {:.4f} {} {:g} ({})", check.figure, *check.value, relation, check.bound,
                     check.flag);
}

}  // namespace mtcnn::cli
