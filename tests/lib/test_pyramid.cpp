#include <catch2/catch.hpp>

#include "mtcnn/detector.hpp"
#include "pyramid.hpp"

using mtcnn::detail::pyramid_scales;
using mtcnn::detail::scaled_size;

TEST_CASE("pyramid starts where a min-face face fills one 12-pixel window", "[pyramid]") {
  const auto scales = pyramid_scales({640, 480}, 20, 0.709);
  REQUIRE_FALSE(scales.empty());
  CHECK(scales.front() == Approx(0.6));
  for (size_t k = 1; k < scales.size(); ++k) CHECK(scales[k] == Approx(scales[k - 1] * 0.709));
}

TEST_CASE("pyramid stops before the short side drops under 12 pixels", "[pyramid]") {
  // 480 * 0.6 = 288; 288 * 0.709^k >= 12 holds for k = 0..9.
  const auto scales = pyramid_scales({640, 480}, 20, 0.709);
  REQUIRE(scales.size() == 10);
  CHECK(480 * scales.back() >= 12.0);
  CHECK(480 * scales.back() * 0.709 < 12.0);
}

TEST_CASE("pyramid follows min_face and the scale factor", "[pyramid]") {
  CHECK(pyramid_scales({100, 100}, 12, 0.5).front() == Approx(1.0));
  // 100, 50, 25, 12.5: four levels at factor 0.5.
  CHECK(pyramid_scales({100, 100}, 12, 0.5).size() == 4);
  CHECK(pyramid_scales({400, 300}, 40, 0.709).size() <
        pyramid_scales({400, 300}, 20, 0.709).size());
}

TEST_CASE("an image smaller than the smallest face has no pyramid", "[pyramid]") {
  CHECK(pyramid_scales({15, 15}, 20, 0.709).empty());
  CHECK(pyramid_scales({640, 10}, 12, 0.709).empty());
}

TEST_CASE("level sizes round as the reference does", "[pyramid]") {
  CHECK(scaled_size({100, 50}, 0.5) == cv::Size(51, 26));
  CHECK(scaled_size({101, 51}, 0.5) == cv::Size(51, 26));
  CHECK(scaled_size({640, 480}, 0.6) == cv::Size(385, 289));
}

TEST_CASE("a first level over 2^31 - 1 pixels is refused, not overflowed", "[pyramid]") {
  using mtcnn::PyramidTooLargeError;
  // 5001x3333 at min_face 1.2 gives a first level of 50011x33331 (1.67G pixels); at 1.0,
  // 60013x39997 (2.40G).
  CHECK(pyramid_scales({5001, 3333}, 1.2, 0.709).front() == Approx(10.0));
  CHECK_THROWS_AS(pyramid_scales({5001, 3333}, 1.0, 0.709), PyramidTooLargeError);
  // Sides past an int: refused before any size is computed.
  CHECK_THROWS_AS(pyramid_scales({640, 480}, 1e-6, 0.709), PyramidTooLargeError);
  CHECK_THROWS_WITH(pyramid_scales({640, 480}, 0.001, 0.709),
                    Catch::Contains("7680001x5760001") && Catch::Contains("min_face"));
  // At min_face 12 or more no level is larger than the photo plus a pixel each way: the
  // largest photo OpenCV decodes by default (2^30 pixels) passes.
  CHECK(pyramid_scales({32768, 32768}, 12, 0.709).front() == Approx(1.0));
  CHECK(pyramid_scales({1 << 26, 16}, 12, 0.709).front() == Approx(1.0));
}
