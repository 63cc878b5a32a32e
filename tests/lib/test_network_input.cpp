#include <catch2/catch.hpp>
#include <cstring>

#include "network_input.hpp"

using namespace mtcnn::detail;

namespace {

Candidate box(float x1, float y1, float x2, float y2) {
  Candidate c;
  c.x1 = x1;
  c.y1 = y1;
  c.x2 = x2;
  c.y2 = y2;
  return c;
}

float at(const cv::Mat& blob, int n, int c, int row, int col) {
  const int index[] = {n, c, row, col};
  return blob.at<float>(index);
}

constexpr float kWhite = (255.0f - 127.5f) * 0.0078125f;

}  // namespace

TEST_CASE("pixels become RGB in (x - 127.5) / 128", "[input]") {
  cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(0, 128, 255));
  const cv::Mat n = normalize_image(bgr);
  const auto px = n.at<cv::Vec3f>(0, 0);
  CHECK(px[0] == Approx(kWhite));  // red first
  CHECK(px[1] == Approx(0.00390625));
  CHECK(px[2] == Approx(kPadValue));
}

TEST_CASE("gray and BGRA images are accepted", "[input]") {
  CHECK(normalize_image(cv::Mat(2, 2, CV_8UC1, cv::Scalar(255))).at<cv::Vec3f>(0, 0)[1] ==
        Approx(kWhite));
  CHECK(normalize_image(cv::Mat(2, 2, CV_8UC4, cv::Scalar(0, 0, 0, 255))).type() == CV_32FC3);
}

TEST_CASE("blobs are transposed: their rows run along the image's x axis", "[input]") {
  cv::Mat image(2, 3, CV_32FC3);  // 3 wide, 2 tall
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) image.at<cv::Vec3f>(y, x) = cv::Vec3f::all(float(10 * y + x));
  const cv::Mat blob = level_blob(image, image.size());
  REQUIRE(blob.size[2] == 3);
  REQUIRE(blob.size[3] == 2);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) CHECK(at(blob, 0, 1, x, y) == float(10 * y + x));
}

TEST_CASE("crops leaving the image are padded with black", "[input]") {
  const cv::Mat white = normalize_image(cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(255)));
  // 1-based inclusive: x from -4 to 5 is 10 pixels, the first 5 outside the image.
  const cv::Mat blob = crops_blob(white, {box(-4, 1, 5, 10)}, 10);
  for (int x = 0; x < 10; ++x) {
    CAPTURE(x);
    CHECK(at(blob, 0, 0, x, 3) == Approx(x < 5 ? kPadValue : kWhite));
  }
}

TEST_CASE("crops wholly outside the image are all padding", "[input]") {
  const cv::Mat white = normalize_image(cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(255)));
  const cv::Mat blob = crops_blob(white, {box(20, 20, 29, 29)}, 24);
  CHECK(at(blob, 0, 2, 12, 12) == Approx(kPadValue));
}

TEST_CASE("clipped crops stretch the part inside the image", "[input]") {
  const cv::Mat white = normalize_image(cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(255)));
  const cv::Mat blob = crops_blob(white, {box(-4, 1, 5, 10)}, 10, /*pad=*/false);
  for (int x = 0; x < 10; ++x) CHECK(at(blob, 0, 0, x, 3) == Approx(kWhite));
}

TEST_CASE("every box becomes one item of the batch", "[input]") {
  const cv::Mat gray = normalize_image(cv::Mat(40, 40, CV_8UC3, cv::Scalar::all(128)));
  const cv::Mat blob =
      crops_blob(gray, {box(1, 1, 20, 20), box(5, 5, 40, 40), box(30, 30, 50, 50)}, 24);
  CHECK(blob.size[0] == 3);
  CHECK(blob.size[1] == 3);
  CHECK(blob.size[2] == 24);
  CHECK(blob.size[3] == 24);
}

TEST_CASE("blobs from 8-bit pixels equal blobs from the normalised image, bit for bit", "[input]") {
  cv::Mat bgr(37, 53, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(bgr, cv::RNG::UNIFORM, 0, 256);
  const cv::Mat normalized = normalize_image(bgr);
  const auto same = [](const cv::Mat& a, const cv::Mat& b) {
    return a.total() == b.total() && std::memcmp(a.data, b.data, a.total() * sizeof(float)) == 0;
  };
  for (const cv::Size size :
       {cv::Size(53, 37), cv::Size(20, 14), cv::Size(7, 5), cv::Size(80, 60)}) {
    CAPTURE(size);
    CHECK(same(level_blob(bgr, size), level_blob(normalized, size)));
  }
  const std::vector<Candidate> boxes{box(1, 1, 20, 20), box(-4, 3, 15, 22), box(30, 20, 60, 50),
                                     box(10, 5, 12, 7)};
  for (const bool pad : {true, false}) {
    CAPTURE(pad);
    CHECK(same(crops_blob(bgr, boxes, 24, pad), crops_blob(normalized, boxes, 24, pad)));
    CHECK(same(crops_blob(bgr, boxes, 48, pad), crops_blob(normalized, boxes, 48, pad)));
  }
  const cv::Mat gray(9, 9, CV_8UC1, cv::Scalar(200));
  CHECK(same(level_blob(to_bgr8(gray), {5, 5}), level_blob(normalize_image(gray), {5, 5})));
}

TEST_CASE("a tile of a level, resampled from the photo, is that tile of the level's blob",
          "[input]") {
  cv::Mat bgr(83, 97, CV_8UC3);
  cv::RNG rng(5);
  rng.fill(bgr, cv::RNG::UNIFORM, 0, 256);
  const cv::Size size(59, 50);
  const cv::Mat whole = level_blob(bgr, size);
  cv::Mat tile;  // reused from one tile to the next, as the detector does
  for (const cv::Rect part : {cv::Rect(0, 0, 20, 50), cv::Rect(18, 10, 17, 14),
                              cv::Rect(44, 36, 15, 14), cv::Rect(0, 0, 59, 50)}) {
    CAPTURE(part);
    level_part_blob(bgr, size, part, tile);
    REQUIRE(tile.size[2] == part.width);
    REQUIRE(tile.size[3] == part.height);
    bool equal = true;
    for (int c = 0; c < 3; ++c)
      for (int x = 0; x < part.width; ++x)
        for (int y = 0; y < part.height; ++y)
          equal &= at(tile, 0, c, x, y) == at(whole, 0, c, part.x + x, part.y + y);
    CHECK(equal);
  }
}

TEST_CASE("crops of a chunk of the boxes are those rows of all the crops", "[input]") {
  cv::Mat bgr(40, 50, CV_8UC3);
  cv::RNG rng(3);
  rng.fill(bgr, cv::RNG::UNIFORM, 0, 256);
  const std::vector<Candidate> boxes{box(1, 1, 20, 20), box(-4, 3, 15, 22), box(30, 20, 60, 50),
                                     box(10, 5, 12, 7), box(2, 2, 40, 40)};
  const cv::Mat all = crops_blob(bgr, boxes, 24);
  cv::Mat chunk;
  crops_blob(bgr, std::span(boxes).subspan(2, 3), 24, true, chunk);
  REQUIRE(chunk.size[0] == 3);
  const std::size_t item = 3 * 24 * 24 * sizeof(float);
  CHECK(std::memcmp(chunk.data, all.ptr<float>(2), 3 * item) == 0);
}
