// JPEG and PNG written without OpenCV's codecs are the bytes cv::imencode writes: annotated
// copies and crops must not depend on which of the two encoded them.
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include "codecs/image_encoding.hpp"
#include "codecs/jpeg_encoding.hpp"
#include "codecs/png_encoding.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

std::vector<std::uint8_t> opencv_bytes(const std::string& extension, const cv::Mat& image,
                                       const std::vector<int>& parameters = {}) {
  std::vector<std::uint8_t> bytes;
  REQUIRE(cv::imencode(extension, image, bytes, parameters));
  return bytes;
}

// A photo (of the samples, shrunk) and a synthetic pattern with sides that are not multiples of
// the JPEG block size.
std::vector<cv::Mat> test_images() {
  cv::Mat photo = cv::imread((fs::path(MTCNN_SAMPLES_DIR) / "sample1.jpg").string());
  REQUIRE_FALSE(photo.empty());
  cv::resize(photo, photo, cv::Size(301, 203), 0, 0, cv::INTER_AREA);
  return {photo, synthetic_image(67, 45), synthetic_image(1, 1)};
}

}  // namespace

TEST_CASE("codecs: JPEG bytes are OpenCV's at every quality", "[codecs][encode]") {
  for (const cv::Mat& image : test_images()) {
    for (int quality : {0, 1, 50, 90, 95, 100, 120}) {
      INFO(image.size() << ", quality " << quality);
      std::vector<std::uint8_t> ours;
      REQUIRE(encode_jpeg(image, quality, ours));
      CHECK(ours == opencv_bytes(".jpg", image, {cv::IMWRITE_JPEG_QUALITY, quality}));
    }
    std::vector<std::uint8_t> by_default;
    REQUIRE(encode_image(".JPEG", image, by_default));
    CHECK(by_default == opencv_bytes(".jpg", image));  // OpenCV's default quality, 95
  }
}

TEST_CASE("codecs: PNG bytes are OpenCV's", "[codecs][encode]") {
  for (const cv::Mat& image : test_images()) {
    INFO(image.size());
    std::vector<std::uint8_t> ours;
    REQUIRE(encode_png(image, ours));
    CHECK(ours == opencv_bytes(".png", image));
    // And they decode to the image.
    CHECK(cv::norm(cv::imdecode(ours, cv::IMREAD_COLOR), image, cv::NORM_INF) == 0);
  }
}

TEST_CASE("codecs: other formats and parameters go through OpenCV's codecs", "[codecs][encode]") {
  const cv::Mat image = synthetic_image(40, 30);
  std::vector<std::uint8_t> bmp;
  REQUIRE(encode_image(".bmp", image, bmp));
  CHECK(bmp == opencv_bytes(".bmp", image));
  std::vector<std::uint8_t> progressive;
  REQUIRE(encode_image(".jpg", image, progressive, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  CHECK(progressive == opencv_bytes(".jpg", image, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  std::vector<std::uint8_t> squeezed;
  REQUIRE(encode_image(".png", image, squeezed, {cv::IMWRITE_PNG_COMPRESSION, 9}));
  CHECK(squeezed == opencv_bytes(".png", image, {cv::IMWRITE_PNG_COMPRESSION, 9}));

  CHECK(can_encode(".jpg"));
  CHECK(can_encode(".PNG"));
  CHECK(can_encode(".webp"));
  CHECK_FALSE(can_encode(".txt"));
  std::vector<std::uint8_t> none;
  CHECK_THROWS(encode_image(".txt", image, none));  // OpenCV: no writer for the extension
}

TEST_CASE("codecs: a JPEG over libjpeg's size limit is refused, not crashed on",
          "[codecs][encode]") {
  const cv::Mat too_wide(1, 70000, CV_8UC3, cv::Scalar(1, 2, 3));
  std::vector<std::uint8_t> bytes{1, 2, 3};
  CHECK_FALSE(encode_jpeg(too_wide, 90, bytes));
}
