// mtcnn detect --crops as a user runs it: files mirroring the tree, tar shards, the choice of
// faces, and refusals before any work.
#include <catch2/catch.hpp>
#include <mtcnn/alignment.hpp>
#include <mtcnn/detector.hpp>
#include <nlohmann/json.hpp>

#include "support/cli_support.hpp"

using namespace cli_test;
using nlohmann::json;

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";
const fs::path kSamplesDir = MTCNN_SAMPLES_DIR;

std::string detect(const std::string& arguments) {
  return shell_quote(MTCNN_BINARY) + " detect -q --models " + shell_quote(kWeightsDir.string()) +
         " " + arguments;
}

std::string in_dir(const TempDir& tmp, const std::string& command) {
  return "cd " + shell_quote(tmp.path().string()) + " && " + command;
}

std::vector<json> parse_lines(const std::string& text) {
  std::vector<json> records;
  for (const std::string& line : split_lines(text)) records.push_back(json::parse(line));
  return records;
}

// photos/a/one.jpg and photos/two.jpg: two sample photos, 3 faces each.
void make_photos(const TempDir& tmp) {
  fs::create_directories(tmp / "photos" / "a");
  fs::copy_file(kSamplesDir / "sample1.jpg", tmp / "photos" / "a" / "one.jpg");
  fs::copy_file(kSamplesDir / "sample2.jpg", tmp / "photos" / "two.jpg");
}

}  // namespace

TEST_CASE("crops e2e: one aligned crop per face, mirroring the tree, named in the record",
          "[crops][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  const CommandResult run = run_shell(in_dir(tmp, detect("photos --crops out")), tmp.path());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto records = parse_lines(run.out);
  REQUIRE(records.size() == 2);
  std::size_t faces = 0;
  for (const json& record : records) {
    const std::string stem = fs::path(record["path"].get<std::string>())
                                 .lexically_relative("photos")
                                 .replace_extension();
    for (std::size_t k = 0; k < record["faces"].size(); ++k, ++faces) {
      const std::string expected = "out/" + stem + "_" + std::to_string(k) + ".png";
      CHECK(record["faces"][k]["crop"] == expected);
      const cv::Mat crop = cv::imread((tmp / expected).string());
      REQUIRE_FALSE(crop.empty());
      CHECK(crop.size() == cv::Size(112, 112));
    }
  }
  CHECK(faces == 6);
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tmp / "out")) {
    files += entry.path().extension() == ".png";
  }
  CHECK(files == faces);  // one file per face, nothing else
  CHECK_FALSE(temporaries_left(tmp / "out"));
}

TEST_CASE("crops e2e: the aligned crop puts the landmarks near the template", "[crops][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  REQUIRE(run_shell(in_dir(tmp, detect("photos/two.jpg --crops out --crop-size 224")), tmp.path())
              .exit_code == 0);
  // The crops, detected again: their landmarks land a few pixels from ArcFace's points.
  const CommandResult again =
      run_shell(in_dir(tmp, detect("--min-face 40 out/photos/two_0.png")), tmp.path());
  const auto records = parse_lines(again.out);
  REQUIRE(records.size() == 1);
  REQUIRE(records[0]["faces"].size() >= 1);
  const json& points = records[0]["faces"][0]["landmarks"];
  const auto tmpl = mtcnn::arcface_template(224);
  const char* names[] = {"left_eye", "right_eye", "nose", "mouth_left", "mouth_right"};
  double distance = 0;
  for (int i = 0; i < 5; ++i) {
    distance +=
        cv::norm(cv::Point2d(points[names[i]][0].get<double>(), points[names[i]][1].get<double>()) -
                 tmpl[i]);
  }
  CHECK(distance / 5 < 224 * 0.06);
}

TEST_CASE("crops e2e: box template, size, jpg, and which faces get a crop", "[crops][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  const CommandResult run = run_shell(
      in_dir(tmp, detect("photos/two.jpg --crops out --crop-template box --crop-margin 0.2 "
                         "--crop-size 64 --crop-format jpg --crop-min-score 0.9")),
      tmp.path());
  REQUIRE(run.exit_code == 0);
  const json record = parse_lines(run.out).at(0);
  std::size_t cropped = 0;
  for (const json& face : record["faces"]) {
    if (face["score"].get<double>() >= 0.9) {
      REQUIRE(face["crop"].is_string());
      CHECK(cv::imread((tmp / face["crop"].get<std::string>()).string()).size() ==
            cv::Size(64, 64));
      ++cropped;
    } else {
      CHECK(face["crop"].is_null());  // in the record, but no crop
    }
  }
  CHECK(cropped >= 1);
  CHECK(cropped < record["faces"].size());

  const CommandResult big_eyes = run_shell(
      in_dir(tmp, detect("photos/two.jpg --crops out2 --crop-min-size 100000")), tmp.path());
  // Held in a variable: a range-for over a member of a temporary reads freed memory (ASan).
  const std::vector<json> records = parse_lines(big_eyes.out);
  for (const json& face : records.at(0)["faces"]) CHECK(face["crop"].is_null());
}

TEST_CASE("crops e2e: --largest keeps one face per photo, in records and crops", "[crops][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  const CommandResult all = run_shell(in_dir(tmp, detect("photos")), tmp.path());
  const CommandResult run =
      run_shell(in_dir(tmp, detect("photos --largest --crops out")), tmp.path());
  REQUIRE(run.exit_code == 0);
  const auto every = parse_lines(all.out);
  const auto largest = parse_lines(run.out);
  REQUIRE(largest.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    REQUIRE(largest[i]["faces"].size() == 1);
    double biggest = 0;
    for (const json& face : every[i]["faces"]) {
      biggest = std::max(biggest, face["box"][2].get<double>() * face["box"][3].get<double>());
    }
    const json& kept = largest[i]["faces"][0];
    CHECK(kept["box"][2].get<double>() * kept["box"][3].get<double>() == Approx(biggest));
    CHECK(fs::exists(tmp / kept["crop"].get<std::string>()));
  }
}

TEST_CASE("crops e2e: WebDataset tar shards, listed and read back", "[crops][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  const CommandResult run =
      run_shell(in_dir(tmp, detect("photos --crops 'shards/faces-%03d.tar' --crops-per-shard 4")),
                tmp.path());
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const auto records = parse_lines(run.out);
  CHECK(records[0]["faces"][0]["crop"] == "shards/faces-000.tar:a/one_0.png");
  // 6 samples, 4 per shard: two shards, each sample an image and its metadata.
  const CommandResult listed = run_shell(
      in_dir(tmp, "tar -tf shards/faces-000.tar && tar -tf shards/faces-001.tar"), tmp.path());
  CHECK(split_lines(listed.out) ==
        std::vector<std::string>{"a/one_0.png", "a/one_0.json", "a/one_1.png", "a/one_1.json",
                                 "a/one_2.png", "a/one_2.json", "two_0.png", "two_0.json",
                                 "two_1.png", "two_1.json", "two_2.png", "two_2.json"});
  CHECK_FALSE(fs::exists(tmp / "shards" / "faces-002.tar"));
  const std::string python = R"(
import json, sys, tarfile
with tarfile.open(sys.argv[1]) as shard:
    meta = json.load(shard.extractfile('two_1.json'))
    image = shard.extractfile('two_1.png').read()
print(meta['path'], meta['face'], meta['template'], meta['size'], len(meta['matrix']), image[:4] == b'\x89PNG')
)";
  write_text(tmp / "read.py", python);
  const CommandResult read =
      run_shell(in_dir(tmp, "python3 read.py shards/faces-001.tar"), tmp.path());
  INFO(read.err);
  CHECK(read.out == "photos/two.jpg 1 arcface 112 2 True\n");
}

TEST_CASE("crops e2e: unusable crop folders are refused before any work", "[crops][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  write_text(tmp / "a-file", "x");
  for (const std::string target : {"a-file/crops", "photos", "photos/crops"}) {
    const CommandResult run =
        run_shell(in_dir(tmp, detect("photos --crops " + target)), tmp.path());
    INFO(target << ": " << run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK_THAT(run.err, Catch::Contains("--crops"));
  }
  // photos/a/one.jpg and a second one.png beside it would share their crops' names.
  fs::copy_file(kSamplesDir / "sample3.jpg", tmp / "photos" / "a" / "one.png");
  const CommandResult clash = run_shell(in_dir(tmp, detect("photos --crops out")), tmp.path());
  CHECK(clash.exit_code == 2);
  CHECK_THAT(clash.err, Catch::Contains("a/one.jpg") && Catch::Contains("a/one.png"));
}
