// --max-pixels and the byte limit: hostile files are refused with too_large before their pixels
// are decoded, real images of every format still decode, 0 lifts the limit.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <limits>

#include "inputs/hostile_images.hpp"
#include "inputs/image_decoding.hpp"
#include "inputs/image_limits.hpp"
#include "inputs/opencv_pixel_limit.hpp"
#include "records/image_error.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

struct Refusal {
  ErrorCode code = ErrorCode::kDetectFailed;
  std::string message;
};

Refusal refusal(const fs::path& path, const ImageLimits& limits = {}) {
  try {
    const cv::Mat image = decode_image(path, limits);
    FAIL("decoding " << path << " did not fail: " << image.cols << " x " << image.rows);
  } catch (const ImageFailure& failure) {
    return {failure.code(), failure.what()};
  }
  return {};
}

// The process's peak resident memory so far, in MiB. /proc/self/clear_refs can reset it to the
// current size, so that a later reading shows the growth since then.
long peak_rss_mib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

}  // namespace

TEST_CASE("limits: a hostile header is refused with too_large, fast and without allocating",
          "[inputs][limits][decode]") {
  TempDir tmp;
  const std::vector<std::pair<std::string, hostile::Bytes>> files{
      {"30000x30000.png", hostile::png(30000, 30000)},
      {"65000x65000.jpg", hostile::jpeg(65000, 65000)},
      {"16383x16383.webp", hostile::webp(16383, 16383)},
      {"30000x30000.tiff", hostile::tiff(30000, 30000)},
      {"30000x30000.bmp", hostile::bmp(30000, -30000)},
      {"30000x30000.ppm", hostile::ppm(30000, 30000)},
      // Formats OpenCV decodes with its own code or OpenEXR's or OpenJPEG's: found by
      // making the seeds of tests/fuzz/fuzz_image_decoding.cc, each had 2.7 GB allocated before
      // its data ran out.
      {"30000x30000.ras", hostile::sun_raster(30000, 30000, 1)},
      {"30000x30000.pam", hostile::pam(30000, 30000)},
      {"30000x30000.pfm", hostile::pfm(30000, 30000)},
      {"30000x30000.hdr", hostile::hdr(30000, 30000)},
      {"30000x30000.exr", hostile::exr(30000, 30000)},
      {"30000x30000.jp2", hostile::jp2(30000, 30000)},
  };
  for (const auto& [name, bytes] : files) write_bytes(tmp / name, bytes);

  for (const auto& [name, bytes] : files) {
    INFO(name);
    reset_peak_rss();
    const long before = peak_rss_mib();
    const auto start = std::chrono::steady_clock::now();
    const Refusal refused = refusal(tmp / name);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(refused.code == ErrorCode::kTooLarge);
    CHECK_THAT(refused.message, Catch::Contains("header declares") &&
                                    Catch::Contains("over --max-pixels 180000000"));
    CHECK(seconds < 5);  // decoding would take minutes; reading a header takes microseconds
    CHECK(peak_rss_mib() - before < 100);  // and gigabytes
  }
}

TEST_CASE("limits: real images of every format still decode", "[inputs][limits][decode]") {
  TempDir tmp;
  const cv::Mat image = synthetic_image(64, 48);
  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  for (const char* extension :
       {".jpg", ".png", ".webp", ".tiff", ".bmp", ".ppm", ".pgm", ".ras", ".pam", ".jp2"}) {
    INFO(extension);
    const fs::path path = tmp / (std::string("small") + extension);
    write_bytes(path, encode(std::string(extension) == ".pgm" ? grey : image, extension));
    CHECK(decode_image(path).size() == cv::Size(64, 48));
  }
}

TEST_CASE("limits: an image of exactly --max-pixels passes, one pixel more does not",
          "[inputs][limits][decode]") {
  TempDir tmp;
  write_bytes(tmp / "a.png", encode(synthetic_image(64, 48), ".png"));  // 3072 pixels
  CHECK(decode_image(tmp / "a.png", {.max_pixels = 3072}).size() == cv::Size(64, 48));
  const Refusal refused = refusal(tmp / "a.png", {.max_pixels = 3071});
  CHECK(refused.code == ErrorCode::kTooLarge);
  CHECK(refused.message == "its header declares 64 x 48 = 3072 pixels, over --max-pixels 3071");
}

TEST_CASE("limits: --max-pixels 0 lets a large image through", "[inputs][limits][decode]") {
  TempDir tmp;
  {
    // 144 Mpx of one colour: a few hundred kilobytes of PNG, quick to encode.
    const cv::Mat large(12000, 12000, CV_8UC3, cv::Scalar(40, 90, 160));
    write_bytes(tmp / "large.png", encode(large, ".png"));
  }
  CHECK(refusal(tmp / "large.png", {.max_pixels = 100'000'000}).code == ErrorCode::kTooLarge);
  const cv::Mat decoded = decode_image(tmp / "large.png", {.max_pixels = 0});
  CHECK(decoded.size() == cv::Size(12000, 12000));
  CHECK(decoded.at<cv::Vec3b>(11999, 11999) == cv::Vec3b(40, 90, 160));
}

TEST_CASE("limits: without a pixel limit OpenCV's own still holds; a Sun raster's header is read",
          "[inputs][limits][decode]") {
  TempDir tmp;
  // A Sun raster header declaring 1.6 Gpx with one row of data: with --max-pixels 0 mtcnn reads
  // no header, and OpenCV refuses it after reading its own (its default limit is 2^30 pixels),
  // which is too_large as well.
  write_bytes(tmp / "huge.ras", hostile::sun_raster(40000, 40000, 1));
  // A real one of 8000 pixels: decoded, and refused from its header under a lower limit.
  write_bytes(tmp / "small.ras", hostile::sun_raster(100, 80, 80));

  if (std::getenv(kOpenCvPixelLimitVariable) != nullptr) {
    WARN("OPENCV_IO_MAX_IMAGE_PIXELS is set: OpenCV's refusal is not checked");
  } else {
    const Refusal huge = refusal(tmp / "huge.ras", {.max_pixels = 0});
    CHECK(huge.code == ErrorCode::kTooLarge);
    CHECK_THAT(huge.message,
               Catch::Contains("OpenCV") && Catch::Contains("OPENCV_IO_MAX_IMAGE_PIXELS"));
  }
  CHECK(decode_image(tmp / "small.ras").size() == cv::Size(100, 80));
  const Refusal small = refusal(tmp / "small.ras", {.max_pixels = 5000});
  CHECK(small.code == ErrorCode::kTooLarge);
  CHECK(small.message == "its header declares 100 x 80 = 8000 pixels, over --max-pixels 5000");
}

TEST_CASE("limits: a file over the byte limit is refused before it is read",
          "[inputs][limits][decode]") {
  TempDir tmp;
  const auto png = encode(synthetic_image(64, 48), ".png");
  write_bytes(tmp / "a.png", png);
  CHECK(decode_image(tmp / "a.png", {.max_bytes = png.size()}).size() == cv::Size(64, 48));
  const Refusal refused = refusal(tmp / "a.png", {.max_bytes = png.size() - 1});
  CHECK(refused.code == ErrorCode::kTooLarge);
  CHECK(refused.message == std::to_string(png.size()) + " bytes, over the limit of " +
                               std::to_string(png.size() - 1) + " bytes");

  // A sparse 3 GiB file: refused from its size, so neither read nor held.
  {
    std::ofstream sparse(tmp / "sparse.png", std::ios::binary);
    sparse.write(reinterpret_cast<const char*>(png.data()),
                 static_cast<std::streamsize>(png.size()));
  }
  fs::resize_file(tmp / "sparse.png", std::uintmax_t{3} << 30);
  reset_peak_rss();
  const long before = peak_rss_mib();
  CHECK(refusal(tmp / "sparse.png").code == ErrorCode::kTooLarge);
  CHECK(peak_rss_mib() - before < 100);
}

TEST_CASE("limits: --max-pixels on the command line", "[inputs][limits]") {
  const auto parse = [](const std::string& command_line) {
    CLI::App app;
    ImageLimits limits;
    add_image_limit_options(app, limits);
    app.parse(command_line, false);
    return limits;
  };
  CHECK(parse("").max_pixels == 180'000'000);
  CHECK(parse("--max-pixels 0").max_pixels == 0);
  CHECK(parse("--max-pixels 5000000000").max_pixels == 5'000'000'000);
  CHECK(parse("--max-pixels=12").max_pixels == 12);
  CHECK_THROWS_AS(parse("--max-pixels -1"), CLI::ParseError);
  CHECK_THROWS_AS(parse("--max-pixels lots"), CLI::ParseError);

  CLI::App app;
  ImageLimits limits;
  add_image_limit_options(app, limits);
  const std::string help = app.help();
  CHECK_THAT(help, Catch::Contains("--max-pixels N=180000000") && Catch::Contains("0: no limit"));
}

TEST_CASE("limits: OpenCV's limit is raised only where it would refuse what we allow",
          "[inputs][limits]") {
  CHECK_FALSE(opencv_pixel_limit_needed({}));  // 180 Mpx: OpenCV's 2^30 allows it
  CHECK_FALSE(opencv_pixel_limit_needed({.max_pixels = std::uint64_t{1} << 30}));
  CHECK(opencv_pixel_limit_needed({.max_pixels = (std::uint64_t{1} << 30) + 1}) ==
        (std::uint64_t{1} << 30) + 1);
  CHECK(opencv_pixel_limit_needed({.max_pixels = 0}) == std::numeric_limits<std::size_t>::max());
}
