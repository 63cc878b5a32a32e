// P-Net over one pyramid level: the 12x12 windows (stride 2) whose face score reaches the
// threshold, as candidate boxes in the image's pixels.
#pragma once

#include <functional>
#include <opencv2/dnn.hpp>
#include <vector>

#include "boxes.hpp"

namespace mtcnn::detail {

inline constexpr int kPNetCell = 12;   // window side, in level pixels
inline constexpr int kPNetStride = 2;  // between windows

// How P-Net covers a level: a grid of tiles, all of one size (so a level shapes its Net once),
// each of at most max_pixels input pixels when the level is larger. Tiles start on even pixels
// (the stride and the 2x2 pooling grid) and overlap by at least the 10 pixels a window reaches
// past its step; the last tile along each axis ends on the level's edge. Among the grids that
// fit, the one with the fewest pixels in all (overlaps are computed twice) is chosen: a whole
// level if it fits, strips along x or y, or tiles along both.
struct TilePlan {
  cv::Size tile;            // every tile's size, in level pixels
  std::vector<int> xs, ys;  // where the tiles start along x and along y, increasing
};

TilePlan plan_tiles(cv::Size level, long long max_pixels);

// fill(part, blob) writes the level's pixels in `part` as a 1 x 3 x W x H blob, transposed as
// level_blob() makes them (see network_input.hpp).
using TileFill = std::function<void(cv::Rect part, cv::Mat& blob)>;

// Runs net on every tile of plan and returns the windows scoring >= threshold, mapped back to
// the image by scale: the very windows and values of one pass over the whole level, in its
// order (x, then y). A tile contributes the windows that start before the next tile along each
// axis does; the last tile along an axis also those the level's edge cuts.
std::vector<Candidate> pnet_windows(cv::dnn::Net& net, const TilePlan& plan, const TileFill& fill,
                                    double scale, float threshold);

}  // namespace mtcnn::detail
