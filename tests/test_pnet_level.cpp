// P-Net in strips against P-Net over the whole level, on a real photo with the real weights.
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

}  // namespace

TEST_CASE("strip rows are even, fit the budget, and cover a small level in one pass",
          "[pnet_level]") {
  CHECK(pnet_strip_rows({384, 288}, 300'000) > 384);       // whole
  CHECK(pnet_strip_rows({385, 288}, 300'000) > 385);       // whole, odd width
  CHECK(pnet_strip_rows({2400, 1800}, 300'000) == 166);    // 166 x 1800 <= 300k
  CHECK(pnet_strip_rows({5000, 100'000}, 300'000) == 14);  // never less than a step
  CHECK(pnet_strip_rows({2400, 1800}, 300'000) * 1800 <= 300'000);
}

TEST_CASE("P-Net in strips finds exactly the windows of one pass over the level", "[pnet_level]") {
  const std::string weights = MTCNN_SOURCE_DIR "/weights";
  if (!std::filesystem::exists(weights + "/det1.caffemodel"))
    FAIL("no weights in " << weights << ": run scripts/setup.sh first");
  const cv::Mat photo = cv::imread(MTCNN_SAMPLES_DIR "/sample1.jpg", cv::IMREAD_COLOR);
  REQUIRE(!photo.empty());
  const NetworkSource source(weights, "det1", kPNetCell);

  // The first level of a 400-pixel copy, and an odd-width level (where a strip ends on the
  // edge's cut windows) of a few hundred pixels; low threshold, so that many windows count.
  const double scale = 0.6;
  for (int width : {400, 333}) {
    const cv::Size size = scaled_size({width, photo.rows * width / photo.cols}, scale);
    cv::Mat small;
    cv::resize(photo, small, {width, photo.rows * width / photo.cols}, 0, 0, cv::INTER_AREA);
    const cv::Mat blob = level_blob(small, size);
    cv::dnn::Net net = source.create();
    const auto whole = pnet_windows(net, blob, scale, 0.3f, 1 << 20);
    REQUIRE(whole.size() > 100);
    for (int rows : {14, 16, 40, 100}) {
      INFO("level " << size << ", strips of " << rows << " rows");
      cv::dnn::Net strip_net = source.create();
      const auto strips = pnet_windows(strip_net, blob, scale, 0.3f, rows);
      REQUIRE(strips.size() == whole.size());
      CHECK(std::equal(strips.begin(), strips.end(), whole.begin(), same));
    }
  }
}
