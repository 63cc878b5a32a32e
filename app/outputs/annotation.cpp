#include "outputs/annotation.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <opencv2/imgproc.hpp>

namespace mtcnn::cli {

namespace {

// Left and right differ in colour so a swapped landmark order is visible at a glance.
const std::array<cv::Scalar, mtcnn::kLandmarkCount> kLandmarkColours{
    cv::Scalar(255, 0, 0),    // left eye: blue
    cv::Scalar(0, 0, 255),    // right eye: red
    cv::Scalar(0, 255, 255),  // nose: yellow
    cv::Scalar(255, 0, 255),  // mouth left: magenta
    cv::Scalar(255, 255, 0),  // mouth right: cyan
};
const cv::Scalar kBoxColour(0, 220, 0);
const cv::Scalar kTextColour(0, 0, 0);

struct DrawingSizes {
  int line_thickness;
  int landmark_radius;
  double font_scale;
  int font_thickness;
};

// About 2 px lines on a 1000 px image, never thinner than 1 px nor text smaller than legible.
DrawingSizes sizes_for(const cv::Size& image) {
  const double long_side = std::max(image.width, image.height);
  const int thickness = std::max(1, cvRound(long_side / 500.0));
  return {thickness, std::max(2, thickness * 2), std::max(0.4, long_side / 1800.0),
          std::max(1, thickness / 2)};
}

void draw_score(cv::Mat& image, const cv::Rect& box, float score, const DrawingSizes& sizes) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", static_cast<double>(score));
  int baseline = 0;
  const cv::Size text_size = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, sizes.font_scale,
                                             sizes.font_thickness, &baseline);
  const int pad = sizes.line_thickness;
  const int label_height = text_size.height + baseline + 2 * pad;
  // Above the box, or just inside it when the box touches the top of the image.
  const int top = box.y - label_height >= 0 ? box.y - label_height : std::max(box.y, 0);
  const cv::Rect label(box.x, top, text_size.width + 2 * pad, label_height);
  cv::rectangle(image, label, kBoxColour, cv::FILLED);
  cv::putText(image, text, cv::Point(label.x + pad, label.y + pad + text_size.height),
              cv::FONT_HERSHEY_SIMPLEX, sizes.font_scale, kTextColour, sizes.font_thickness,
              cv::LINE_AA);
}

}  // namespace

void draw_detections(cv::Mat& bgr, const std::vector<mtcnn::Face>& faces) {
  const DrawingSizes sizes = sizes_for(bgr.size());
  // Lowest score first, so the best face ends up drawn on top where boxes overlap.
  for (auto it = faces.rbegin(); it != faces.rend(); ++it) {
    const mtcnn::Face& face = *it;
    const cv::Rect box(cvRound(face.box.x), cvRound(face.box.y), cvRound(face.box.width),
                       cvRound(face.box.height));
    cv::rectangle(bgr, box, kBoxColour, sizes.line_thickness, cv::LINE_AA);
    for (int i = 0; i < mtcnn::kLandmarkCount; ++i) {
      const cv::Point centre(cvRound(face.landmarks[i].x), cvRound(face.landmarks[i].y));
      cv::circle(bgr, centre, sizes.landmark_radius, kLandmarkColours[i], cv::FILLED, cv::LINE_AA);
    }
    draw_score(bgr, box, face.score, sizes);
  }
}

}  // namespace mtcnn::cli
