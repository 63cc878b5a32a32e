// P-Net in tiles against P-Net over the whole level, on a real photo with the real weights, and
// the tile plans' guarantees for any level shape.
#include <catch2/catch.hpp>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "network_input.hpp"
#include "networks.hpp"
#include "pnet_level.hpp"
#include "pyramid.hpp"

using namespace mtcnn::detail;

namespace {

bool same(const Candidate& a, const Candidate& b) {
  return a.x1 == b.x1 && a.y1 == b.y1 && a.x2 == b.x2 && a.y2 == b.y2 && a.score == b.score &&
         a.reg == b.reg;
}

// Tiles of one axis: start at 0 on even pixels, end on the edge, and each leaves the next the
// windows it cannot hold whole (it holds those starting before the next tile does).
void check_axis(const std::vector<int>& starts, int length, int extent) {
  REQUIRE(!starts.empty());
  CHECK(starts.front() == 0);
  CHECK(starts.back() + length == extent);
  if (starts.size() == 1) return;
  CHECK(length >= kPNetCell + kPNetStride);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    CHECK(starts[k] % kPNetStride == 0);
    if (k == 0) continue;
    CHECK(starts[k] > starts[k - 1]);
    CHECK(starts[k] - starts[k - 1] <= length - (kPNetCell - kPNetStride));
  }
}

}  // namespace

TEST_CASE("tile plans fit the budget for any level shape", "[pnet_level]") {
  const long long budget = 300'000;
  for (const cv::Size level :
       {cv::Size(385, 289), cv::Size(2400, 1800), cv::Size(2401, 1799), cv::Size(3001, 2000),
        cv::Size(12002, 8000), cv::Size(19, 600'001), cv::Size(600'001, 19),
        cv::Size(14, 1'000'000), cv::Size(40'008, 26'666), cv::Size(21'500, 21'500),
        cv::Size(547, 549)}) {
    CAPTURE(level);
    const TilePlan plan = plan_tiles(level, budget);
    CHECK(static_cast<long long>(plan.tile.width) * plan.tile.height <= budget);
    check_axis(plan.xs, plan.tile.width, level.width);
    check_axis(plan.ys, plan.tile.height, level.height);
  }
  // A level within the budget runs whole; strips along x cut a 4000x3000 photo's first level
  // no worse than before (3% more pixels than the level at most).
  const TilePlan small = plan_tiles({385, 289}, budget);
  CHECK(small.tile == cv::Size(385, 289));
  const TilePlan large = plan_tiles({2400, 1800}, budget);
  CHECK(double(large.xs.size() * large.ys.size()) * large.tile.area() < 2400 * 1800 * 1.05);
  // A tall level is cut along y, not into 14-pixel strips of its whole height.
  const TilePlan tall = plan_tiles({19, 600'001}, budget);
  CHECK(tall.tile.width == 19);
  CHECK(tall.xs.size() == 1);
}

TEST_CASE("tile plans hold for small budgets and every parity", "[pnet_level]") {
  for (int width = 12; width < 90; width += 7)
    for (int height = 12; height < 90; height += 5)
      for (const long long budget : {225LL, 300LL, 700LL, 2000LL}) {
        CAPTURE(width, height, budget);
        const TilePlan plan = plan_tiles({width, height}, budget);
        if (static_cast<long long>(width) * height > budget)
          CHECK(static_cast<long long>(plan.tile.width) * plan.tile.height <= budget);
        check_axis(plan.xs, plan.tile.width, width);
        check_axis(plan.ys, plan.tile.height, height);
      }
}

TEST_CASE("P-Net in tiles finds exactly the windows of one pass over the level", "[pnet_level]") {
  const std::string weights = MTCNN_SOURCE_DIR "/weights";
  if (!std::filesystem::exists(weights + "/det1.caffemodel"))
    FAIL("no weights in " << weights << ": run scripts/setup.sh first");
  const cv::Mat photo = cv::imread(MTCNN_SAMPLES_DIR "/sample1.jpg", cv::IMREAD_COLOR);
  REQUIRE(!photo.empty());
  const NetworkSource source(weights, "det1", kPNetCell);

  // Levels of a 400-pixel copy, of an odd-width one (where tiles end on the edge's cut
  // windows), and of both turned sideways (tall levels); low threshold, so that many windows
  // count. Tiles are resampled from the photo as the detector does.
  const double scale = 0.6;
  bool along_x = false, along_y = false, along_both = false;
  for (int width : {400, 333}) {
    cv::Mat small;
    cv::resize(photo, small, {width, photo.rows * width / photo.cols}, 0, 0, cv::INTER_AREA);
    for (const bool sideways : {false, true}) {
      cv::Mat pixels = small;
      if (sideways) cv::rotate(small, pixels, cv::ROTATE_90_CLOCKWISE);
      const cv::Size size = scaled_size(pixels.size(), scale);
      const TileFill fill = [&](cv::Rect part, cv::Mat& blob) {
        level_part_blob(pixels, size, part, blob);
      };
      cv::dnn::Net net = source.create();
      const auto whole = pnet_windows(net, plan_tiles(size, 1LL << 40), fill, scale, 0.3f);
      REQUIRE(whole.size() > 100);
      for (const long long budget : {225LL, 2'000LL, 6'000LL, 20'000LL, 40'000LL}) {
        const TilePlan plan = plan_tiles(size, budget);
        INFO("level " << size << ", tiles of " << plan.tile << ", " << plan.xs.size() << " x "
                      << plan.ys.size());
        along_x |= plan.xs.size() > 1 && plan.ys.size() == 1;
        along_y |= plan.xs.size() == 1 && plan.ys.size() > 1;
        along_both |= plan.xs.size() > 1 && plan.ys.size() > 1;
        cv::dnn::Net tile_net = source.create();
        const auto tiled = pnet_windows(tile_net, plan, fill, scale, 0.3f);
        REQUIRE(tiled.size() == whole.size());
        CHECK(std::equal(tiled.begin(), tiled.end(), whole.begin(), same));
      }
    }
  }
  // The budgets above cut levels every way.
  CHECK(along_x);
  CHECK(along_y);
  CHECK(along_both);
}
