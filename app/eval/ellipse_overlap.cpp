#include "eval/ellipse_overlap.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mtcnn::cli {

namespace {

// The ellipse as the quadratic form a dx^2 + 2 b dx dy + c dy^2 <= 1 around its centre.
struct Quadratic {
  double a, b, c;
};

Quadratic quadratic_of(const Ellipse& e) {
  const double cos_t = std::cos(e.angle), sin_t = std::sin(e.angle);
  const double inv_major = 1.0 / (e.major_radius * e.major_radius);
  const double inv_minor = 1.0 / (e.minor_radius * e.minor_radius);
  return {cos_t * cos_t * inv_major + sin_t * sin_t * inv_minor,
          cos_t * sin_t * (inv_major - inv_minor),
          sin_t * sin_t * inv_major + cos_t * cos_t * inv_minor};
}

double half_width(const Ellipse& e) {
  const double cos_t = std::cos(e.angle), sin_t = std::sin(e.angle);
  return std::sqrt(std::pow(e.major_radius * cos_t, 2) + std::pow(e.minor_radius * sin_t, 2));
}

double half_height(const Ellipse& e) {
  const double cos_t = std::cos(e.angle), sin_t = std::sin(e.angle);
  return std::sqrt(std::pow(e.major_radius * sin_t, 2) + std::pow(e.minor_radius * cos_t, 2));
}

}  // namespace

cv::Rect2d bounding_rect(const Ellipse& ellipse) {
  const double w = half_width(ellipse), h = half_height(ellipse);
  return {ellipse.centre.x - w, ellipse.centre.y - h, 2 * w, 2 * h};
}

double ellipse_area_within(const Ellipse& ellipse, const cv::Rect2d& rect) {
  if (ellipse.major_radius <= 0 || ellipse.minor_radius <= 0) return 0.0;
  const cv::Rect2d box = bounding_rect(ellipse) & rect;
  if (box.width <= 0 || box.height <= 0) return 0.0;

  const Quadratic q = quadratic_of(ellipse);
  const double step = box.width / kOverlapColumns;
  double area = 0.0;
  for (int i = 0; i < kOverlapColumns; ++i) {
    const double dx = box.x + (i + 0.5) * step - ellipse.centre.x;
    // c dy^2 + 2 b dx dy + (a dx^2 - 1) <= 0
    const double discriminant = q.b * q.b * dx * dx - q.c * (q.a * dx * dx - 1.0);
    if (discriminant <= 0) continue;
    const double root = std::sqrt(discriminant);
    const double top = ellipse.centre.y + (-q.b * dx - root) / q.c;
    const double bottom = ellipse.centre.y + (-q.b * dx + root) / q.c;
    const double inside = std::min(bottom, rect.y + rect.height) - std::max(top, rect.y);
    if (inside > 0) area += inside * step;
  }
  return area;
}

double ellipse_rect_overlap(const Ellipse& ellipse, const cv::Rect2d& rect) {
  const double intersection = ellipse_area_within(ellipse, rect);
  if (intersection <= 0) return 0.0;
  const double ellipse_area = std::numbers::pi * ellipse.major_radius * ellipse.minor_radius;
  const double union_area = ellipse_area + rect.area() - intersection;
  return union_area > 0 ? intersection / union_area : 0.0;
}

}  // namespace mtcnn::cli
