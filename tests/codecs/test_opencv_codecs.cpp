// OpenCV's image codecs are loaded when an image needs them, not when the tool starts.
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include "codecs/opencv_codecs.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";

// `mtcnn detect` on `arguments` in `dir`, with the dynamic loader naming each library it opens
// on standard error (glibc's LD_DEBUG=files).
CommandResult detect_listing_libraries(const TempDir& dir, const std::string& arguments) {
  return run_shell("cd " + shell_quote(dir.path().string()) + " && LD_DEBUG=files " +
                       shell_quote(MTCNN_BINARY) + " detect -q --models " +
                       shell_quote(kWeightsDir.string()) + " " + arguments,
                   dir.path());
}

bool opened_imgcodecs(const CommandResult& result) {
  return result.err.find("libopencv_imgcodecs.so") != std::string::npos;
}

}  // namespace

TEST_CASE(
    "codecs e2e: JPEGs never load OpenCV's codecs, nor JPEG or PNG copies and crops; a PNG "
    "input or a BMP copy does",
    "[codecs][e2e]") {
  TempDir tmp;
  write_bytes(tmp / "a.jpg", encode(synthetic_image(64, 48), ".jpg"));
  write_bytes(tmp / "b.png", encode(synthetic_image(64, 48), ".png"));

  const CommandResult jpegs = detect_listing_libraries(tmp, "a.jpg -o a.jsonl");
  REQUIRE(jpegs.exit_code == 0);
  // The listing works (the tool's own libraries are in it) and imgcodecs is not.
  REQUIRE(jpegs.err.find("file=libopencv_dnn.so") != std::string::npos);
  CHECK_FALSE(opened_imgcodecs(jpegs));

  const CommandResult png = detect_listing_libraries(tmp, "b.png -o b.jsonl");
  REQUIRE(png.exit_code == 0);
  CHECK(opened_imgcodecs(png));
  CHECK(read_text(tmp / "b.jsonl").find("\"width\":64") != std::string::npos);

  // Copies and crops in JPEG and PNG are written by libjpeg-turbo and libpng.
  const CommandResult annotated = detect_listing_libraries(
      tmp, "a.jpg -o c.jsonl --annotate out --crops crops --crop-format png");
  REQUIRE(annotated.exit_code == 0);
  CHECK_FALSE(opened_imgcodecs(annotated));
  CHECK(cv::imread((tmp / "out" / "a.jpg").string()).size() == cv::Size(64, 48));

  write_bytes(tmp / "c.bmp", encode(synthetic_image(64, 48), ".bmp"));
  const CommandResult bmp = detect_listing_libraries(tmp, "c.bmp -o d.jsonl --annotate out2");
  REQUIRE(bmp.exit_code == 0);
  CHECK(opened_imgcodecs(bmp));
  CHECK(cv::imread((tmp / "out2" / "c.bmp").string()).size() == cv::Size(64, 48));
}

TEST_CASE("codecs: OpenCV's codecs through the loader", "[codecs]") {
  const cv::Mat image = synthetic_image(20, 10);
  std::vector<std::uint8_t> png;
  REQUIRE(opencv_encode(".png", image, png));
  const cv::Mat decoded = opencv_decode(png, cv::IMREAD_COLOR);
  REQUIRE(decoded.size() == image.size());
  CHECK(cv::norm(decoded, image, cv::NORM_INF) == 0);
  CHECK(opencv_codecs_loaded());
  CHECK(opencv_can_encode(".png"));
  CHECK(opencv_can_encode(".jpg"));
  CHECK_FALSE(opencv_can_encode(".docx"));
  // Not an image: an empty Mat, as from cv::imdecode.
  const std::vector<std::uint8_t> text{'h', 'e', 'l', 'l', 'o', '\n'};
  CHECK(opencv_decode(text, cv::IMREAD_COLOR).empty());
}
