#include "eval/roc_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace mtcnn::cli {

namespace {

constexpr int kWidth = 800, kHeight = 560;
constexpr int kLeft = 80, kRight = 30, kTop = 50, kBottom = 70;
const cv::Scalar kBlack(0, 0, 0), kGrid(225, 225, 225);
const cv::Scalar kDiscreteColour(180, 90, 20), kContinuousColour(30, 120, 230);  // BGR
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

void centred_text(cv::Mat& canvas, const std::string& text, cv::Point centre, double scale,
                  int thickness = 1) {
  int baseline = 0;
  const cv::Size size = cv::getTextSize(text, kFont, scale, thickness, &baseline);
  cv::putText(canvas, text, {centre.x - size.width / 2, centre.y + size.height / 2}, kFont, scale,
              kBlack, thickness, cv::LINE_AA);
}

std::size_t tick_step(std::size_t extent) {
  for (std::size_t step : {1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000}) {
    if (extent / step <= 8) return step;
  }
  return 10000;
}

}  // namespace

std::size_t roc_plot_extent(const std::vector<RocPoint>& roc) {
  const std::size_t last = roc.empty() ? 0 : roc.back().false_positives;
  const std::size_t extent = std::clamp<std::size_t>(last, 10, 2000);
  // Round up to a whole tick; rounding can call for a coarser tick, so round again to that.
  const auto round_up = [](std::size_t value, std::size_t step) {
    return (value + step - 1) / step * step;
  };
  const std::size_t rounded = round_up(extent, tick_step(extent));
  return round_up(rounded, tick_step(rounded));
}

cv::Mat draw_roc(const std::vector<RocPoint>& roc, const std::string& title,
                 std::size_t max_false_positives) {
  cv::Mat canvas(kHeight, kWidth, CV_8UC3, cv::Scalar(255, 255, 255));
  const int plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double x_extent = std::max<std::size_t>(max_false_positives, 1);
  const auto to_pixel = [&](double fp, double tpr) {
    return cv::Point(cvRound(kLeft + fp / x_extent * plot_w), cvRound(kTop + (1.0 - tpr) * plot_h));
  };

  // Grid, ticks and their labels.
  const std::size_t x_step = tick_step(max_false_positives);
  for (std::size_t fp = 0; fp <= max_false_positives; fp += x_step) {
    const cv::Point top = to_pixel(static_cast<double>(fp), 1.0);
    const cv::Point bottom = to_pixel(static_cast<double>(fp), 0.0);
    cv::line(canvas, top, bottom, kGrid, 1);
    cv::line(canvas, bottom, bottom + cv::Point(0, 6), kBlack, 1);
    centred_text(canvas, std::to_string(fp), bottom + cv::Point(0, 20), 0.45);
  }
  for (int tenth = 0; tenth <= 10; ++tenth) {
    const double tpr = tenth / 10.0;
    const cv::Point left = to_pixel(0, tpr), right = to_pixel(x_extent, tpr);
    cv::line(canvas, left, right, kGrid, 1);
    cv::line(canvas, left - cv::Point(6, 0), left, kBlack, 1);
    centred_text(canvas, fmt::format("{:.1f}", tpr), left - cv::Point(28, 0), 0.45);
  }
  cv::rectangle(canvas, to_pixel(0, 1.0), to_pixel(x_extent, 0.0), kBlack, 1);

  // Axis titles and the plot title.
  centred_text(canvas, "false positives (whole set)", {kLeft + plot_w / 2, kHeight - 18}, 0.55);
  cv::Mat y_label(30, plot_h, CV_8UC3, cv::Scalar(255, 255, 255));
  centred_text(y_label, "true positive rate", {plot_h / 2, 15}, 0.55);
  cv::rotate(y_label, y_label, cv::ROTATE_90_COUNTERCLOCKWISE);
  y_label.copyTo(canvas(cv::Rect(4, kTop, 30, plot_h)));
  centred_text(canvas, title, {kWidth / 2, kTop / 2}, 0.6, 1);

  // The curves, as steps: the rate holds until the next threshold adds detections.
  const auto draw_curve = [&](double RocPoint::*rate, const cv::Scalar& colour) {
    std::vector<cv::Point> points;
    for (std::size_t i = 0; i < roc.size(); ++i) {
      const double fp = std::min<double>(roc[i].false_positives, x_extent);
      if (i > 0) points.push_back(to_pixel(fp, roc[i - 1].*rate));
      points.push_back(to_pixel(fp, roc[i].*rate));
      if (roc[i].false_positives >= x_extent) break;
    }
    if (!roc.empty() && roc.back().false_positives < x_extent) {
      points.push_back(to_pixel(roc.back().false_positives, roc.back().*rate));
    }
    cv::polylines(canvas, points, false, colour, 2, cv::LINE_AA);
  };
  draw_curve(&RocPoint::discrete_tpr, kDiscreteColour);
  draw_curve(&RocPoint::continuous_tpr, kContinuousColour);

  // Legend in the lower right, where ROC curves leave room.
  const cv::Point legend = to_pixel(x_extent, 0.0) + cv::Point(-330, -70);
  const cv::Point legend_size(320, 60);
  cv::rectangle(canvas, legend, legend + legend_size, cv::Scalar(255, 255, 255), cv::FILLED);
  cv::rectangle(canvas, legend, legend + legend_size, kBlack, 1);
  const auto legend_row = [&](int row, const cv::Scalar& colour, const std::string& text) {
    const cv::Point start = legend + cv::Point(10, 20 + row * 25);
    cv::line(canvas, start, start + cv::Point(30, 0), colour, 3, cv::LINE_AA);
    cv::putText(canvas, text, start + cv::Point(40, 5), kFont, 0.45, kBlack, 1, cv::LINE_AA);
  };
  legend_row(0, kDiscreteColour, "discrete (overlap > 0.5 counts 1)");
  legend_row(1, kContinuousColour, "continuous (counts the overlap)");
  return canvas;
}

}  // namespace mtcnn::cli
