// The JPEG decoder gives cv::imdecode's image, pixel for pixel: the records of a JPEG must not
// depend on which of the two decoded it.
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "codecs/jpeg_decoding.hpp"
#include "support/cli_support.hpp"
#include "support/cmyk_jpeg.hpp"
#include "support/jpeg_variants.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

// Both decoders on the same bytes: same size, type and every pixel.
void check_same_as_opencv(const std::vector<std::uint8_t>& bytes) {
  const cv::Mat opencv = cv::imdecode(bytes, cv::IMREAD_COLOR);
  REQUIRE_FALSE(opencv.empty());
  const std::optional<cv::Mat> ours = decode_jpeg(bytes);
  REQUIRE(ours.has_value());
  REQUIRE(ours->type() == CV_8UC3);
  REQUIRE(ours->size() == opencv.size());
  CHECK(cv::norm(*ours, opencv, cv::NORM_INF) == 0);
}

// Not flat: so that chroma upsampling and orientation show in the pixels.
cv::Mat gradient_image(int width, int height) {
  cv::Mat image(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      image.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<std::uint8_t>(3 * x + y), static_cast<std::uint8_t>(255 - 2 * y),
                    static_cast<std::uint8_t>((x * y) % 251));
    }
  }
  return image;
}

}  // namespace

TEST_CASE("codecs: JPEGs as OpenCV writes them decode to OpenCV's pixels", "[codecs][jpeg]") {
  const cv::Mat image = gradient_image(67, 45);  // sides that are not multiples of 8 or 16
  for (int quality : {30, 75, 95, 100}) {
    INFO("quality " << quality);
    check_same_as_opencv(encode(image, ".jpg", {cv::IMWRITE_JPEG_QUALITY, quality}));
  }
  check_same_as_opencv(encode(image, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  check_same_as_opencv(encode(image, ".jpg", {cv::IMWRITE_JPEG_RST_INTERVAL, 2}));
  check_same_as_opencv(encode(image, ".jpg", {cv::IMWRITE_JPEG_OPTIMIZE, 1}));
  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  const std::vector<std::uint8_t> grey_jpeg = encode(grey, ".jpg");
  check_same_as_opencv(grey_jpeg);  // grey replicated into the three channels
  const cv::Mat from_grey = *decode_jpeg(grey_jpeg);
  std::vector<cv::Mat> channels;
  cv::split(from_grey, channels);
  CHECK(cv::norm(channels[0], channels[2], cv::NORM_INF) == 0);
}

TEST_CASE("codecs: every chroma sampling and progressive scans decode to OpenCV's pixels",
          "[codecs][jpeg]") {
  const cv::Mat image = gradient_image(50, 37);
  for (const auto& [h, v] : {std::pair{1, 1}, {2, 1}, {1, 2}, {2, 2}}) {
    for (bool progressive : {false, true}) {
      INFO("luma sampled " << h << "x" << v << (progressive ? ", progressive" : ""));
      check_same_as_opencv(ycbcr_jpeg(image, h, v, 85, progressive));
    }
  }
}

TEST_CASE("codecs: the sample photos decode to OpenCV's pixels", "[codecs][jpeg]") {
  int photos = 0;
  for (const auto& entry : fs::directory_iterator(MTCNN_SAMPLES_DIR)) {
    if (entry.path().extension() != ".jpg") continue;
    INFO(entry.path());
    check_same_as_opencv(read_bytes(entry.path()));
    ++photos;
  }
  CHECK(photos >= 6);
}

TEST_CASE("codecs: each EXIF orientation is applied as OpenCV applies it", "[codecs][jpeg]") {
  const std::vector<std::uint8_t> jpeg = encode(gradient_image(40, 24), ".jpg");
  for (std::uint8_t orientation = 0; orientation <= 9; ++orientation) {
    for (bool big_endian : {false, true}) {
      INFO("orientation " << int(orientation) << (big_endian ? ", big-endian" : ""));
      check_same_as_opencv(with_app1(jpeg, {exif_orientation_block(orientation, big_endian)}));
    }
  }
  // Rows and columns swapped for 5 to 8.
  CHECK(decode_jpeg(with_app1(jpeg, {exif_orientation_block(6)}))->size() == cv::Size(24, 40));
  CHECK(decode_jpeg(with_app1(jpeg, {exif_orientation_block(3)}))->size() == cv::Size(40, 24));
}

TEST_CASE("codecs: only the first APP1 block's orientation counts, as in OpenCV",
          "[codecs][jpeg]") {
  const std::vector<std::uint8_t> jpeg = encode(gradient_image(40, 24), ".jpg");
  const auto xmp_first = with_app1(jpeg, {xmp_block(), exif_orientation_block(6)});
  check_same_as_opencv(xmp_first);
  CHECK(decode_jpeg(xmp_first)->size() == cv::Size(40, 24));
  const auto exif_first = with_app1(jpeg, {exif_orientation_block(6), xmp_block()});
  check_same_as_opencv(exif_first);
  CHECK(decode_jpeg(exif_first)->size() == cv::Size(24, 40));
  // An APP1 block too short to hold anything, and one that is not EXIF: stored orientation.
  check_same_as_opencv(with_app1(jpeg, {{'E', 'x'}}));
  check_same_as_opencv(with_app1(jpeg, {{'E', 'x', 'i', 'f', 0, 0, 'Q', 'Q', 0, 0}}));
}

TEST_CASE("codecs: four-channel JPEGs are left to OpenCV; broken ones say why", "[codecs][jpeg]") {
  CHECK_FALSE(decode_jpeg(cmyk_jpeg(gradient_image(32, 16))).has_value());

  std::vector<std::uint8_t> broken = encode(gradient_image(32, 16), ".jpg");
  broken.resize(20);  // inside the first segments: no frame header at all
  CHECK_THROWS_AS(decode_jpeg(broken), JpegDecodeError);
  const std::vector<std::uint8_t> garbage{0xFF, 0xD8, 0xFF, 0x00, 0x13, 0x37};
  CHECK_THROWS_AS(decode_jpeg(garbage), JpegDecodeError);
  try {
    decode_jpeg(garbage);
  } catch (const JpegDecodeError& e) {
    CHECK_FALSE(std::string(e.what()).empty());
  }

  CHECK(looks_like_jpeg(std::vector<std::uint8_t>{0xFF, 0xD8, 0xFF, 0xE0}));
  CHECK_FALSE(looks_like_jpeg(std::vector<std::uint8_t>{0xFF, 0xD8}));
  CHECK_FALSE(looks_like_jpeg(encode(gradient_image(8, 8), ".png")));
}

TEST_CASE("codecs: a progressive JPEG repeating a scan hundreds of times is refused",
          "[codecs][jpeg]") {
  const std::vector<std::uint8_t> jpeg = ycbcr_jpeg(gradient_image(32, 24), 2, 2, 90, true);
  // A few repeats decode (libjpeg only warns), to OpenCV's pixels.
  check_same_as_opencv(with_last_scan_repeated(jpeg, 20));
  try {
    decode_jpeg(with_last_scan_repeated(jpeg, 600));
    FAIL("600 more scans were decoded");
  } catch (const JpegDecodeError& e) {
    CHECK_THAT(e.what(), Catch::Contains("more than 500 scans"));
  }
}
