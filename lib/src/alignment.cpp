#include "mtcnn/alignment.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace mtcnn {

namespace {

// InsightFace's five points for 112 x 112 (a fact of the template, used as published).
constexpr std::array<std::array<double, 2>, kLandmarkCount> kArcFace112{{{38.2946, 51.6963},
                                                                         {73.5318, 51.5014},
                                                                         {56.0252, 71.7366},
                                                                         {41.5493, 92.3655},
                                                                         {70.7299, 92.2041}}};

cv::Point2d mean_of(const FivePoints& points) {
  cv::Point2d sum(0, 0);
  for (const cv::Point2d& p : points) sum += p;
  return sum / static_cast<double>(points.size());
}

}  // namespace

FivePoints arcface_template(int size) {
  const double scale = size / 112.0;
  FivePoints points;
  for (int i = 0; i < kLandmarkCount; ++i) {
    points[i] = {kArcFace112[i][0] * scale, kArcFace112[i][1] * scale};
  }
  return points;
}

cv::Matx23d similarity_transform(const FivePoints& from, const FivePoints& to) {
  // With both point sets centred, a similarity is x' = a x - b y, y' = b x + a y (a = s cos t,
  // b = s sin t), linear in (a, b): least squares gives them in closed form. This is Umeyama's
  // solution restricted to proper rotations, which is what it returns once it corrects a
  // reflection, so the matrices equal scikit-image's.
  const cv::Point2d from_mean = mean_of(from);
  const cv::Point2d to_mean = mean_of(to);
  double spread = 0, dot = 0, cross = 0;
  for (int i = 0; i < kLandmarkCount; ++i) {
    const cv::Point2d p = from[i] - from_mean;
    const cv::Point2d q = to[i] - to_mean;
    spread += p.dot(p);
    dot += p.dot(q);
    cross += p.x * q.y - p.y * q.x;
  }
  const double a = spread > 0 ? dot / spread : 1.0;
  const double b = spread > 0 ? cross / spread : 0.0;
  return {a, -b, to_mean.x - (a * from_mean.x - b * from_mean.y),
          b, a,  to_mean.y - (b * from_mean.x + a * from_mean.y)};
}

FivePoints landmarks_of(const Face& face) {
  FivePoints points;
  for (int i = 0; i < kLandmarkCount; ++i) points[i] = face.landmarks[i];
  return points;
}

cv::Matx23d box_transform(const cv::Rect2f& box, double margin, int size) {
  const double side = std::max(box.width, box.height) * (1.0 + margin);
  const double cx = box.x + box.width / 2.0;
  const double cy = box.y + box.height / 2.0;
  const double s = side > 0 ? size / side : 1.0;
  // The square's corner (cx - side/2, cy - side/2) goes to the crop's origin.
  return {s, 0, -s * (cx - side / 2), 0, s, -s * (cy - side / 2)};
}

cv::Mat warp_crop(const cv::Mat& image, const cv::Matx23d& m, int size) {
  cv::Mat crop;
  cv::warpAffine(image, crop, cv::Mat(m), {size, size}, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar::all(0));
  return crop;
}

cv::Mat box_crop(const cv::Mat& image, const cv::Rect2f& box, double margin, int size) {
  const cv::Matx23d m = box_transform(box, margin, size);
  // The square in whole pixels, as the transform places it (its side is size / scale).
  const double side = size / m(0, 0);
  const cv::Rect square(static_cast<int>(std::lround(-m(0, 2) / m(0, 0))),
                        static_cast<int>(std::lround(-m(1, 2) / m(1, 1))),
                        std::max(1, static_cast<int>(std::lround(side))),
                        std::max(1, static_cast<int>(std::lround(side))));
  cv::Mat cut(square.size(), image.type(), cv::Scalar::all(0));
  const cv::Rect inside = square & cv::Rect(0, 0, image.cols, image.rows);
  if (!inside.empty()) image(inside).copyTo(cut(inside - square.tl()));
  cv::Mat crop;
  cv::resize(cut, crop, {size, size}, 0, 0, cut.cols > size ? cv::INTER_AREA : cv::INTER_LINEAR);
  return crop;
}

}  // namespace mtcnn
