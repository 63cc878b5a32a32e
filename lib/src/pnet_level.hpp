// P-Net over one pyramid level: the 12x12 windows (stride 2) whose face score reaches the
// threshold, as candidate boxes in the image's pixels.
#pragma once

#include <opencv2/dnn.hpp>
#include <vector>

#include "boxes.hpp"

namespace mtcnn::detail {

inline constexpr int kPNetCell = 12;   // window side, in level pixels
inline constexpr int kPNetStride = 2;  // between windows

// Blob rows (image columns) per P-Net pass so that a pass sees at most max_pixels input
// pixels (or one window and a step, if more): even, and more than the level's width when the
// level fits whole.
int pnet_strip_rows(cv::Size level, long long max_pixels);

// Runs net on blob (1 x 3 x W x H, transposed as level_blob() makes it) in strips of
// strip_rows blob rows and returns the windows scoring >= threshold, mapped back to the image
// by scale. Strips give the very windows and values of one pass over the whole level: they
// overlap by the 10 columns a window reaches past its step, and each keeps the pooling grid.
std::vector<Candidate> pnet_windows(cv::dnn::Net& net, const cv::Mat& blob, double scale,
                                    float threshold, int strip_rows);

}  // namespace mtcnn::detail
