// Overlap of an annotated face ellipse (FDDB) with a detected rectangle: area of the
// intersection over area of the union.
#pragma once

#include <opencv2/core.hpp>

namespace mtcnn::cli {

// FDDB's annotation: semi-axes, the major axis' angle in radians from the x axis, and centre.
struct Ellipse {
  double major_radius = 0;
  double minor_radius = 0;
  double angle = 0;
  cv::Point2d centre;
};

// The smallest axis-aligned rectangle holding the ellipse.
cv::Rect2d bounding_rect(const Ellipse& ellipse);

// Area of the part of the ellipse inside the rectangle. The ellipse is convex, so each vertical
// line meets it in one interval whose ends are known exactly; only the integral over x is
// numerical (midpoint rule on kOverlapColumns columns). The relative error is below 1e-4 for
// overlaps that matter (see tests/test_eval_fddb.cpp and docs/evaluation.md).
double ellipse_area_within(const Ellipse& ellipse, const cv::Rect2d& rect);

inline constexpr int kOverlapColumns = 2048;

// area(E ∩ R) / area(E ∪ R); 0 when they do not meet.
double ellipse_rect_overlap(const Ellipse& ellipse, const cv::Rect2d& rect);

}  // namespace mtcnn::cli
