// The battery: every kind of input a scraped dataset throws at the tool, built on the fly, run
// through the real binary in one batch. Each gives exactly one record with the right code (or a
// good record for the odd but valid ones), and the run exits 1 and takes seconds.
//
// With MTCNN_BATTERY_DIR set, the hidden test "[.][battery-files]" only writes the files there,
// for scripts/robustness-table.sh (time and peak memory per input, docs/robustness.md).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "inputs/hostile_images.hpp"
#include "support/cli_support.hpp"
#include "support/cmyk_jpeg.hpp"
#include "support/jpeg_variants.hpp"

using namespace cli_test;
using nlohmann::json;

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";
const fs::path kSamplesDir = MTCNN_SAMPLES_DIR;

std::vector<std::uint8_t> encoded(const cv::Mat& image, const std::string& extension,
                                  const std::vector<int>& parameters = {}) {
  return encode(image, extension, parameters);
}

struct Expected {
  std::string code;    // "" for a good record
  bool faces = false;  // a good record that must find a face
};

// Writes the battery into `dir`; returns what each path must give. The GIF is not in the folder
// (the walk only takes image extensions): it is named on the command line.
std::map<std::string, Expected> write_battery(const fs::path& dir) {
  fs::create_directories(dir);
  const cv::Mat photo = cv::imread((kSamplesDir / "sample1.jpg").string());
  cv::Mat face;
  cv::resize(photo(cv::Rect(300, 250, 800, 500)), face, {640, 400}, 0, 0, cv::INTER_AREA);
  std::map<std::string, Expected> expected;
  const auto put = [&](const std::string& name, const std::vector<std::uint8_t>& bytes,
                       Expected want) {
    write_bytes(dir / name, bytes);
    expected["in/" + name] = want;
  };
  const std::vector<std::uint8_t> jpeg = encoded(face, ".jpg");
  put("good.jpg", jpeg, {"", true});
  put("truncated.jpg", {jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() / 2)},
      {"decode_failed"});
  put("empty.jpg", {}, {"empty_file"});
  const std::string text = "this is not a picture\n";
  put("text.jpg", {text.begin(), text.end()}, {"decode_failed"});
  cv::Mat deep;
  face.convertTo(deep, CV_16UC3, 257);
  put("16-bit.png", encoded(deep, ".png"), {"", true});
  cv::Mat grey;
  cv::cvtColor(face, grey, cv::COLOR_BGR2GRAY);
  put("grey.png", encoded(grey, ".png"), {"", true});
  cv::Mat rgba;
  cv::cvtColor(face, rgba, cv::COLOR_BGR2BGRA);
  put("rgba.png", encoded(rgba, ".png"), {"", true});
  put("four-channel.tiff", encoded(rgba, ".tiff"), {"", true});
  // EXIF orientation 6: "rotate 90 clockwise".
  put("exif-orientation-6.jpg", with_app1(jpeg, {exif_orientation_block(6)}), {"", true});
  put("cmyk.jpg", cmyk_jpeg(face), {"", true});
  // A progressive JPEG whose last scan is repeated 2000 times: refused after 500 scans.
  cv::Mat small;
  cv::resize(face, small, {160, 100}, 0, 0, cv::INTER_AREA);
  put("scan-bomb.jpg", with_last_scan_repeated(ycbcr_jpeg(small, 2, 2, 90, true), 2000),
      {"decode_failed"});
  put("1x1.png", encoded(cv::Mat(1, 1, CV_8UC3, cv::Scalar(9, 9, 9)), ".png"), {""});
  put("11x11.png", encoded(cv::Mat(11, 11, CV_8UC3, cv::Scalar(9, 9, 9)), ".png"), {""});
  put("bomb-30000x30000.png", hostile::png(30000, 30000), {"too_large"});
  put("bomb-65000x65000.jpg", hostile::jpeg(65000, 65000), {"too_large"});
  REQUIRE(::mkfifo((dir / "fifo.jpg").c_str(), 0600) == 0);
  expected["in/fifo.jpg"] = {"not_a_file"};
  fs::create_symlink(dir / "gone.jpg", dir / "dangling.jpg");
  expected["in/dangling.jpg"] = {"not_found"};
  fs::create_symlink("loop-b.jpg", dir / "loop-a.jpg");
  fs::create_symlink("loop-a.jpg", dir / "loop-b.jpg");
  expected["in/loop-a.jpg"] = {"unreadable"};
  expected["in/loop-b.jpg"] = {"unreadable"};
  put("caf\xe9.jpg", jpeg, {"", true});  // a Latin-1 name: not UTF-8
  put("new\nline.jpg", jpeg, {"", true});
  if (::geteuid() != 0) {  // root reads everything
    put("unreadable.jpg", jpeg, {"unreadable"});
    ::chmod((dir / "unreadable.jpg").c_str(), 0);
  }
  write_bytes(dir.parent_path() / "animation.gif",
              {'G', 'I',  'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0,    0,    0, 255, 255,
               255, 0x2C, 0,   0,   0,   0,   1, 0, 1, 0, 0,    2, 2, 0x44, 0x01, 0, 0x3B});
  expected["animation.gif"] = {"decode_failed"};
  return expected;
}

}  // namespace

TEST_CASE("robustness e2e: every hostile input gives its one record, the batch goes on",
          "[robustness][e2e]") {
  TempDir tmp;
  const auto expected = write_battery(tmp / "in");
  const auto start = std::chrono::steady_clock::now();
  const CommandResult run =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
                    " detect -q --threads 2 --models " + shell_quote(kWeightsDir.string()) +
                    " in animation.gif -o out.jsonl",
                tmp.path());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(run.err);
  CHECK(run.exit_code == 1);
  CHECK(seconds < 60);  // seconds on a quiet machine; a bomb decoded would take minutes

  std::map<std::string, json> records;
  for (const std::string& line : split_lines(read_text(tmp / "out.jsonl"))) {
    const json record = json::parse(line);  // valid JSON, whatever the name's bytes
    records[record["path"].get<std::string>()] = record;
  }
  CHECK(records.size() == expected.size());  // exactly one record each
  for (const auto& [path, want] : expected) {
    const std::string shown = path == "in/caf\xe9.jpg" ? "in/caf\xef\xbf\xbd.jpg" : path;
    INFO(path);
    REQUIRE(records.count(shown) == 1);
    const json& record = records.at(shown);
    if (want.code.empty()) {
      CHECK(record["error"].is_null());
      if (want.faces) CHECK(record["faces"].size() >= 1);
    } else {
      CHECK(record["error"]["code"] == want.code);
      CHECK(record["faces"].empty());
    }
  }
  // The rotated photo was turned upright before detection: 400 x 640, not 640 x 400.
  CHECK(records.at("in/exif-orientation-6.jpg")["width"] == 400);
  CHECK(records.at("in/caf\xef\xbf\xbd.jpg")["path_bytes"] == "aW4vY2Fm6S5qcGc=");
}

TEST_CASE("robustness: the battery's files, for scripts/robustness-table.sh",
          "[.][battery-files]") {
  const char* dir = std::getenv("MTCNN_BATTERY_DIR");
  REQUIRE(dir != nullptr);
  write_battery(fs::path(dir) / "in");
}
