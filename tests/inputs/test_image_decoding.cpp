// Decoding one input and the error code each kind of broken file gets.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "inputs/image_decoding.hpp"
#include "inputs/jpeg_structure.hpp"
#include "records/image_error.hpp"
#include "support/cli_support.hpp"
#include "support/cmyk_jpeg.hpp"
#include "support/jpeg_variants.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

ErrorCode failure_code(const fs::path& path) {
  try {
    decode_image(path);
  } catch (const ImageFailure& failure) {
    return failure.code();
  }
  FAIL("decoding " << path << " did not fail");
  return ErrorCode::kDetectFailed;
}

std::vector<std::uint8_t> cut(std::vector<std::uint8_t> bytes, std::size_t size) {
  bytes.resize(size);
  return bytes;
}

}  // namespace

TEST_CASE("cli: a good image decodes to 8-bit BGR of its size", "[cli][decode]") {
  TempDir tmp;
  write_bytes(tmp / "a.png", encode(synthetic_image(64, 48), ".png"));
  cv::Mat grey;
  cv::cvtColor(synthetic_image(30, 20), grey, cv::COLOR_BGR2GRAY);
  write_bytes(tmp / "grey.pgm", encode(grey, ".pgm"));

  const cv::Mat colour = decode_image(tmp / "a.png");
  CHECK(colour.size() == cv::Size(64, 48));
  CHECK(colour.type() == CV_8UC3);
  const cv::Mat from_grey = decode_image(tmp / "grey.pgm");
  CHECK(from_grey.size() == cv::Size(30, 20));
  CHECK(from_grey.type() == CV_8UC3);
}

TEST_CASE("cli: EXIF orientation is applied when decoding", "[cli][decode]") {
  TempDir tmp;
  const cv::Mat upright = synthetic_image(64, 48);
  const auto jpeg = encode(upright, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 100});
  write_bytes(tmp / "plain.jpg", jpeg);
  write_bytes(tmp / "rotated.jpg",
              with_app1(jpeg, {exif_orientation_block(6)}));  // "rotate 90 clockwise"

  const cv::Mat plain = decode_image(tmp / "plain.jpg");
  const cv::Mat rotated = decode_image(tmp / "rotated.jpg");
  CHECK(plain.size() == cv::Size(64, 48));
  REQUIRE(rotated.size() == cv::Size(48, 64));
  cv::Mat expected;
  cv::rotate(plain, expected, cv::ROTATE_90_CLOCKWISE);
  CHECK(cv::norm(rotated, expected, cv::NORM_INF) == 0);
}

TEST_CASE("cli: a CMYK JPEG decodes to its colours, not their negative", "[cli][decode]") {
  TempDir tmp;
  cv::Mat colours(48, 64, CV_8UC3);
  colours(cv::Rect(0, 0, 32, 48)).setTo(cv::Scalar(40, 90, 200));    // BGR: an orange red
  colours(cv::Rect(32, 0, 32, 48)).setTo(cv::Scalar(220, 180, 30));  // a light blue
  write_bytes(tmp / "cmyk.jpg", cmyk_jpeg(colours, 100));

  const cv::Mat decoded = decode_image(tmp / "cmyk.jpg");
  REQUIRE(decoded.type() == CV_8UC3);
  REQUIRE(decoded.size() == colours.size());
  // JPEG's loss (chroma is not subsampled in CMYK) stays within a few levels per channel.
  CHECK(cv::norm(decoded, colours, cv::NORM_L1) / colours.total() / 3 < 4.0);
}

TEST_CASE("cli: each way a file can be broken has its error code", "[cli][decode]") {
  TempDir tmp;
  const auto jpeg = encode(synthetic_image(), ".jpg");
  write_bytes(tmp / "empty.jpg", {});
  write_text(tmp / "text.jpg", "this is not a picture\n");
  write_bytes(tmp / "truncated.jpg", cut(jpeg, jpeg.size() / 2));
  write_bytes(tmp / "header-only.jpg", cut(jpeg, 40));
  write_bytes(tmp / "garbage.png", cut(encode(synthetic_image(), ".png"), 30));
  fs::create_directory(tmp / "folder.jpg");
  REQUIRE(::mkfifo((tmp / "pipe.jpg").c_str(), 0600) == 0);
  fs::create_symlink(tmp / "gone.jpg", tmp / "dangling.jpg");

  CHECK(failure_code(tmp / "missing.jpg") == ErrorCode::kNotFound);
  CHECK(failure_code(tmp / "dangling.jpg") == ErrorCode::kNotFound);
  CHECK(failure_code(tmp / "empty.jpg") == ErrorCode::kEmptyFile);
  CHECK(failure_code(tmp / "text.jpg") == ErrorCode::kDecodeFailed);
  CHECK(failure_code(tmp / "truncated.jpg") == ErrorCode::kDecodeFailed);
  CHECK(failure_code(tmp / "header-only.jpg") == ErrorCode::kDecodeFailed);
  CHECK(failure_code(tmp / "garbage.png") == ErrorCode::kDecodeFailed);
  CHECK(failure_code(tmp / "folder.jpg") == ErrorCode::kNotAFile);
  CHECK(failure_code(tmp / "pipe.jpg") == ErrorCode::kNotAFile);  // must not block
}

TEST_CASE("cli: an unreadable file is reported as such", "[cli][decode]") {
  if (::geteuid() == 0) {
    WARN("skipped: running as root, permissions are not enforced");
    return;
  }
  TempDir tmp;
  write_bytes(tmp / "secret.jpg", encode(synthetic_image(), ".jpg"));
  fs::permissions(tmp / "secret.jpg", fs::perms::none);
  CHECK(failure_code(tmp / "secret.jpg") == ErrorCode::kUnreadable);
}

TEST_CASE("cli: the JPEG walk finds the end of complete files", "[cli][decode]") {
  const cv::Mat image = synthetic_image(120, 90);
  const auto baseline = encode(image, ".jpg");
  const auto progressive = encode(image, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1});
  const auto with_restarts = encode(image, ".jpg", {cv::IMWRITE_JPEG_RST_INTERVAL, 2});
  CHECK(inspect_jpeg(baseline) == JpegStructure::kComplete);
  CHECK(inspect_jpeg(progressive) == JpegStructure::kComplete);
  CHECK(inspect_jpeg(with_restarts) == JpegStructure::kComplete);

  // Cameras and phones append data after the end-of-image marker; that is still complete.
  auto with_trailer = baseline;
  for (int i = 0; i < 1000; ++i) with_trailer.push_back(static_cast<std::uint8_t>(i));
  CHECK(inspect_jpeg(with_trailer) == JpegStructure::kComplete);
}

TEST_CASE("cli: the JPEG walk spots truncation anywhere", "[cli][decode]") {
  const cv::Mat image = synthetic_image(120, 90);
  for (const auto& jpeg :
       {encode(image, ".jpg"), encode(image, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1})}) {
    // Every cut from just after the start-of-image marker to the last byte.
    for (std::size_t size = 3; size < jpeg.size(); ++size) {
      INFO("cut at " << size << " of " << jpeg.size());
      CHECK(inspect_jpeg(cut(jpeg, size)) == JpegStructure::kTruncated);
    }
  }
}

TEST_CASE("cli: the JPEG walk leaves other formats alone", "[cli][decode]") {
  CHECK(inspect_jpeg(encode(synthetic_image(), ".png")) == JpegStructure::kNotJpeg);
  CHECK(inspect_jpeg(std::vector<std::uint8_t>{}) == JpegStructure::kNotJpeg);
  CHECK(inspect_jpeg(std::vector<std::uint8_t>{0xFF, 0xD8}) == JpegStructure::kNotJpeg);
  // A start-of-image marker followed by rubbish: for the decoder to judge.
  CHECK(inspect_jpeg(std::vector<std::uint8_t>{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0x12,
                                               0x34}) == JpegStructure::kMalformed);
}
