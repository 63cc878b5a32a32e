// --max-pixels, OpenCV's limit and standard input through the mtcnn binary, as a user runs it.
//
// Hidden ([.]) until `mtcnn detect` registers add_image_limit_options, calls
// apply_opencv_pixel_limit and check_stdin_use, and passes its limits to decode_image: run them
// with `mtcnn_tests "[detect-limits]"`, and drop the [.] once it does.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "inputs/hostile_images.hpp"
#include "support/cli_support.hpp"

using namespace cli_test;

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";

// In `dir`, with OPENCV_IO_MAX_IMAGE_PIXELS as the test's caller has it unless `environment`
// sets it.
CommandResult detect_in(const TempDir& dir, const std::string& arguments,
                        const std::string& environment = "") {
  return run_shell("cd " + shell_quote(dir.path().string()) + " && " + environment + " " +
                       shell_quote(MTCNN_BINARY) + " detect -q --models " +
                       shell_quote(kWeightsDir.string()) + " " + arguments,
                   dir.path());
}

nlohmann::json only_record(const CommandResult& result) {
  const auto lines = split_lines(result.out);
  REQUIRE(lines.size() == 1);
  return nlohmann::json::parse(lines[0]);
}

}  // namespace

TEST_CASE("limits e2e: --max-pixels refuses from the header, 0 lifts it", "[detect-limits][e2e]") {
  TempDir tmp;
  write_bytes(tmp / "a.png", encode(synthetic_image(64, 48), ".png"));  // 3072 pixels

  const CommandResult refused = detect_in(tmp, "--max-pixels 3071 a.png");
  INFO(refused.err);
  CHECK(refused.exit_code == 1);
  CHECK(only_record(refused)["error"]["code"] == "too_large");
  const CommandResult allowed = detect_in(tmp, "--max-pixels 3072 a.png");
  CHECK(allowed.exit_code == 0);
  CHECK(only_record(allowed)["width"] == 64);
  CHECK(detect_in(tmp, "--max-pixels -1 a.png").exit_code == 2);
}

TEST_CASE("limits e2e: with --max-pixels 0 OpenCV's own limit no longer refuses first",
          "[detect-limits][e2e]") {
  TempDir tmp;
  // 1.6 Gpx declared by a format mtcnn reads no header of: over OpenCV's default 2^30.
  write_bytes(tmp / "huge.ras", hostile::sun_raster(40000, 40000, 1));
  const std::string unset = "env -u OPENCV_IO_MAX_IMAGE_PIXELS";

  CHECK(only_record(detect_in(tmp, "huge.ras", unset))["error"]["code"] == "too_large");
  // mtcnn raises OPENCV_IO_MAX_IMAGE_PIXELS before it loads OpenCV's codecs: OpenCV then gets to
  // the (one) row of data and finds the rest missing.
  CHECK(only_record(detect_in(tmp, "--max-pixels 0 huge.ras", unset))["error"]["code"] ==
        "decode_failed");
  // A value the user set is kept: both limits apply.
  write_bytes(tmp / "a.png", encode(synthetic_image(64, 48), ".png"));
  const auto kept =
      only_record(detect_in(tmp, "--max-pixels 0 a.png", "OPENCV_IO_MAX_IMAGE_PIXELS=1000"));
  CHECK(kept["error"]["code"] == "too_large");
  CHECK_THAT(kept["error"]["message"].get<std::string>(), Catch::Contains("1000"));
  // JPEG is decoded by mtcnn itself (libjpeg-turbo): OpenCV's variable does not apply to it,
  // --max-pixels does.
  write_bytes(tmp / "b.jpg", encode(synthetic_image(64, 48), ".jpg"));
  CHECK(only_record(detect_in(tmp, "b.jpg", "OPENCV_IO_MAX_IMAGE_PIXELS=1000"))["width"] == 64);
  CHECK(only_record(detect_in(tmp, "--max-pixels 3071 b.jpg"))["error"]["code"] == "too_large");
}

TEST_CASE("limits e2e: --files-from - and - together exit 2", "[detect-limits][e2e]") {
  TempDir tmp;
  write_bytes(tmp / "a.png", encode(synthetic_image(64, 48), ".png"));
  const CommandResult both = detect_in(tmp, "--files-from - - < a.png");
  CHECK(both.exit_code == 2);
  CHECK(both.out.empty());
  CHECK_THAT(both.err, Catch::Contains("--files-from -"));
}
