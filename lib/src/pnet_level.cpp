#include "pnet_level.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <utility>

namespace mtcnn::detail {

namespace {

// Shortest tile along an axis that is split: one window and one step.
constexpr int kMinTile = kPNetCell + kPNetStride;

// Tiles along one axis: their common length and where they start.
struct AxisPlan {
  int length = 0;
  std::vector<int> starts;
};

// How far apart two tiles of this length start: even, leaving the 10 pixels a window reaches
// past its step to the next tile.
long long advance(long long length) { return (length - (kPNetCell - kPNetStride)) / 2 * 2; }

// The shortest length for which `count` tiles cover extent pixels, with the extent's parity so
// that the last tile, ending on the edge, starts on an even pixel like the others. Returns 0
// when `count` tiles of at least kMinTile cannot split the extent, each starting after the last.
int tile_length(int extent, long long count) {
  if (count == 1) return extent;
  // (count - 1) * advance(t) >= extent - t, with advance(t) = t - reach:
  const long long reach = kPNetCell - kPNetStride + extent % 2;
  long long t = (extent + (count - 1) * reach + count - 1) / count;
  if ((t - extent) % 2 != 0) ++t;
  if (t < kMinTile || t >= extent || (count - 2) * advance(t) >= extent - t) return 0;
  return static_cast<int>(t);
}

AxisPlan axis_plan(int extent, long long count) {
  AxisPlan plan{tile_length(extent, count), {}};
  if (plan.length == 0) return plan;
  const long long step = advance(plan.length);
  for (long long k = 0; k + 1 < count; ++k) plan.starts.push_back(static_cast<int>(k * step));
  plan.starts.push_back(extent - plan.length);
  return plan;
}

// The fewest tiles of at most max_length pixels that cover extent (max_length >= kMinTile).
long long tile_count(int extent, long long max_length) {
  if (extent <= max_length) return 1;
  const long long longest = max_length - (extent - max_length) % 2;
  return 1 + (extent - longest + advance(longest) - 1) / advance(longest);
}

// The windows of one pass whose face score reaches threshold, with their cell x in the level.
// The blobs are transposed (see network_input.hpp): their row axis is the image's x. Only the
// first cells_x x cells_y cells are taken; the pass starts at the level's cell `first`.
void add_windows(const cv::Mat& prob, const cv::Mat& reg, double scale, float threshold,
                 cv::Point first, int cells_x, int cells_y,
                 std::vector<std::pair<int, Candidate>>& out) {
  const int along_y = prob.size[3];
  const std::size_t plane = static_cast<std::size_t>(prob.size[2]) * along_y;
  const float* face = prob.ptr<float>(0, 1);
  const float* offsets = reg.ptr<float>(0, 0);
  for (int cx = 0; cx < cells_x; ++cx) {
    for (int cy = 0; cy < cells_y; ++cy) {
      const std::size_t i = static_cast<std::size_t>(cx) * along_y + cy;
      if (face[i] < threshold) continue;
      const double x = first.x + cx;
      const double y = first.y + cy;
      Candidate c;
      c.x1 = static_cast<float>(std::trunc((kPNetStride * x + 1) / scale));
      c.y1 = static_cast<float>(std::trunc((kPNetStride * y + 1) / scale));
      c.x2 = static_cast<float>(std::trunc((kPNetStride * x + kPNetCell) / scale));
      c.y2 = static_cast<float>(std::trunc((kPNetStride * y + kPNetCell) / scale));
      c.score = face[i];
      for (int k = 0; k < 4; ++k) c.reg[k] = offsets[k * plane + i];
      out.emplace_back(first.x + cx, c);
    }
  }
}

}  // namespace

TilePlan plan_tiles(cv::Size level, long long max_pixels) {
  if (static_cast<long long>(level.width) * level.height <= max_pixels) return {level, {0}, {0}};
  // Every count of tile rows, from strips of the whole height to tiles of the shortest height
  // (a split axis advances at least 4 pixels per tile); the width follows from the budget.
  // Lengths only here, so this stays cheap next to the level's P-Net pass.
  long long best_rows = 0, best_columns = 0, best_pixels = LLONG_MAX;
  const long long most_rows = (level.height - kMinTile) / 4 + 2;
  for (long long rows = 1; rows <= most_rows; ++rows) {
    const int height = tile_length(level.height, rows);
    if (height == 0 || max_pixels / height < kMinTile) continue;
    const long long columns = tile_count(level.width, max_pixels / height);
    const int width = tile_length(level.width, columns);
    if (width == 0) continue;
    const long long pixels = columns * width * rows * height;
    if (pixels < best_pixels) {
      best_pixels = pixels;
      best_rows = rows;
      best_columns = columns;
    }
  }
  CV_Assert(best_pixels != LLONG_MAX);  // max_pixels below a 15x15 tile (odd sides)
  const AxisPlan x = axis_plan(level.width, best_columns);
  const AxisPlan y = axis_plan(level.height, best_rows);
  return {{x.length, y.length}, x.starts, y.starts};
}

std::vector<Candidate> pnet_windows(cv::dnn::Net& net, const TilePlan& plan, const TileFill& fill,
                                    double scale, float threshold) {
  std::vector<Candidate> found;
  std::vector<std::pair<int, Candidate>> column;  // one column of tiles' windows, by cell x
  cv::Mat blob;
  std::vector<cv::Mat> out;
  for (std::size_t i = 0; i < plan.xs.size(); ++i) {
    const bool last_x = i + 1 == plan.xs.size();
    column.clear();
    for (std::size_t j = 0; j < plan.ys.size(); ++j) {
      const bool last_y = j + 1 == plan.ys.size();
      fill({plan.xs[i], plan.ys[j], plan.tile.width, plan.tile.height}, blob);
      net.setInput(blob);
      net.forward(out, std::vector<cv::String>{"conv4-2", "prob1"});
      const int cells_x = last_x ? out[1].size[2] : (plan.xs[i + 1] - plan.xs[i]) / kPNetStride;
      const int cells_y = last_y ? out[1].size[3] : (plan.ys[j + 1] - plan.ys[j]) / kPNetStride;
      add_windows(out[1], out[0], scale, threshold,
                  {plan.xs[i] / kPNetStride, plan.ys[j] / kPNetStride}, cells_x, cells_y, column);
    }
    // One pass lists the windows by x, then y; the tiles of a column list them by tile first.
    if (plan.ys.size() > 1)
      std::stable_sort(column.begin(), column.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [x, c] : column) found.push_back(c);
  }
  return found;
}

}  // namespace mtcnn::detail
