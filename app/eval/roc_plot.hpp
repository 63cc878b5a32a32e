// The FDDB ROC drawn with OpenCV: true positive rate against false positives, both scores.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "eval/fddb_roc.hpp"

namespace mtcnn::cli {

// A white canvas with axes, ticks, labels, a title, a legend and the two curves. The x axis
// spans 0 to `max_false_positives` (points beyond it are cut off).
cv::Mat draw_roc(const std::vector<RocPoint>& roc, const std::string& title,
                 std::size_t max_false_positives);

// The x axis' extent for a curve: 2000 false positives (the last reported point), or less when
// the curve ends earlier, rounded up to a whole tick.
std::size_t roc_plot_extent(const std::vector<RocPoint>& roc);

}  // namespace mtcnn::cli
