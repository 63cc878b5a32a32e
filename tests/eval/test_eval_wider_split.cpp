// The official WIDER FACE Easy/Medium/Hard split: hand-made MATLAB v5 lists in the official shape
// (tests/data/wider_split, made with Python's struct and zlib), corrupt input rejected, and AP
// per setting.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "eval/mat_file.hpp"
#include "eval/wider_ap.hpp"
#include "eval/wider_split.hpp"
#include "eval/wider_test_data.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;
using Catch::Matchers::WithinAbs;
using nlohmann::json;
using namespace wider_test;
namespace fs = std::filesystem;

namespace {

const fs::path kSplitDir = fs::path(MTCNN_TEST_DATA_DIR) / "wider_split";

std::vector<std::uint8_t> file_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// a: face 2 (best score), face 1, a false positive; b: nothing; c: its face.
std::vector<std::vector<StoredFace>> detections() {
  return {{detection({100, 10, 12, 15}, 0.95), detection({10, 10, 40, 40}, 0.9),
           detection({500, 500, 10, 10}, 0.85)},
          {},
          {detection({30, 30, 120, 150}, 0.7)}};
}

}  // namespace

TEST_CASE("wider split, mat file: the official split shape, compressed and not", "[eval][split]") {
  const std::map<std::string, MatValue> vars = read_mat_file(kSplitDir / "wider_hard_val.mat");
  REQUIRE(vars.count("event_list") == 1);
  const MatValue& events = vars.at("event_list");
  REQUIRE(events.kind == MatValue::Kind::cell);
  REQUIRE(events.cells.size() == 2);
  CHECK(events.cells[1].text == "1--Handshaking");
  CHECK(events.dimensions == std::vector<std::size_t>{2, 1});
  const MatValue& files = vars.at("file_list");
  CHECK(files.cells[1].cells[1].text == "c");
  const MatValue& faces = vars.at("gt_list");
  CHECK(faces.cells[0].cells[0].numbers == std::vector<double>{1, 2});  // stored as int32
  CHECK(faces.cells[1].cells[0].element_count() == 0);                  // an empty []
  CHECK(faces.cells[1].cells[1].numbers == std::vector<double>{1});     // double, stored as uint8

  const WiderSplit hard = read_wider_split(kSplitDir / "wider_hard_val.mat");
  CHECK(hard.at("0--Parade/a") == std::vector<std::size_t>{1, 2});
  CHECK(hard.at("1--Handshaking/b").empty());
  const WiderSplit plain = read_wider_split(kSplitDir / "medium_uncompressed.mat");
  CHECK(plain.at("0--Parade/a") == std::vector<std::size_t>{2});
  CHECK(plain.at("1--Handshaking/c") == std::vector<std::size_t>{1});
}

TEST_CASE("wider split, mat file: corrupt files are rejected with the file named",
          "[eval][split]") {
  const std::vector<std::uint8_t> good = file_bytes(kSplitDir / "wider_easy_val.mat");
  REQUIRE(good.size() > 200);
  CHECK_THROWS_WITH(parse_mat(std::span(good).first(100), "x.mat"), Catch::Contains("x.mat"));
  std::vector<std::uint8_t> bad = good;
  bad[126] = 'X';
  CHECK_THROWS_WITH(parse_mat(bad, "x.mat"), Catch::Contains("not a MATLAB v5"));
  bad = good;
  bad[good.size() - 1] ^= 0x55;  // inside the last compressed stream's Adler-32
  CHECK_THROWS_WITH(parse_mat(bad, "x.mat"), Catch::Contains("incorrect data check"));
  CHECK_THROWS_AS(parse_mat(std::span(good).first(good.size() - 10), "x.mat"), MatFormatError);

  // Every truncation loses part of a variable; every byte changed either parses or throws
  // MatFormatError.
  for (std::size_t n = 0; n < good.size(); ++n) {
    CHECK_THROWS_AS(wider_split_from_mat(parse_mat(std::span(good).first(n), "x.mat"), "x.mat"),
                    MatFormatError);
  }
  const std::vector<std::uint8_t> plain = file_bytes(kSplitDir / "medium_uncompressed.mat");
  for (std::size_t i = 128; i < plain.size(); ++i) {
    for (const std::uint8_t value : {0x00, 0x01, 0x0e, 0x7f, 0xff}) {
      bad = plain;
      bad[i] = value;
      try {
        (void)wider_split_from_mat(parse_mat(bad, "x.mat"), "x.mat");
      } catch (const MatFormatError&) {
      }
    }
  }

  std::map<std::string, MatValue> vars = parse_mat(good, "x.mat");
  vars.erase("gt_list");
  CHECK_THROWS_WITH(wider_split_from_mat(vars, "x.mat"), Catch::Contains("no variable gt_list"));
}

TEST_CASE("wider split, mat file: a variable of the wrong class is named, not misread",
          "[eval][split]") {
  const std::vector<std::uint8_t> plain = file_bytes(kSplitDir / "medium_uncompressed.mat");
  // The array flags of event_list (a cell) at byte 144, of its first entry (char) at 208.
  REQUIRE(plain.size() > 208);
  REQUIRE(plain[144] == 1);
  REQUIRE(plain[208] == 4);
  std::vector<std::uint8_t> bad = plain;
  bad[208] = 6;  // the event name "0--Parade" now claims to be a double array
  CHECK_THROWS_WITH(wider_split_from_mat(parse_mat(bad, "x.mat"), "x.mat"),
                    Catch::Contains("x.mat") && Catch::Contains("event_list entry 1 is not text"));
  bad = plain;
  bad[144] = 2;  // event_list now claims to be a struct
  CHECK_THROWS_AS(wider_split_from_mat(parse_mat(bad, "x.mat"), "x.mat"), MatFormatError);
  bad = plain;
  bad[144] = 6;  // event_list now claims to be a double array
  CHECK_THROWS_AS(wider_split_from_mat(parse_mat(bad, "x.mat"), "x.mat"), MatFormatError);
}

TEST_CASE("wider split, mat file: deeply nested cells are refused, not recursed into",
          "[eval][split]") {
  // event_list holding a cell holding a cell... 1000 deep, compressed into 2 KB. libmatio 1.5.23
  // recurses once per level and overflows its stack at about 50,000 (docs/architecture.md).
  CHECK_THROWS_WITH(read_mat_file(kSplitDir / "deep_nesting.mat"),
                    Catch::Contains("deep_nesting.mat") && Catch::Contains("nested too deeply"));
}

TEST_CASE("wider split, mat file: files that are not MATLAB v5 are refused by name",
          "[eval][split]") {
  TempDir tmp;
  write_text(tmp / "notes.mat", std::string(200, 'x'));
  CHECK_THROWS_WITH(read_mat_file(tmp / "notes.mat"),
                    Catch::Contains("notes.mat") && Catch::Contains("not a MATLAB v5"));
  CHECK_THROWS_WITH(read_mat_file(tmp / "missing.mat"),
                    Catch::Contains("missing.mat") && Catch::Contains("cannot open"));
  // A v7.3 header (HDF5 inside) is refused before any library sees the bytes.
  std::vector<std::uint8_t> v73 = file_bytes(kSplitDir / "wider_easy_val.mat");
  v73[125] = 0x02;
  CHECK_THROWS_WITH(parse_mat(v73, "new.mat"),
                    Catch::Contains("new.mat") && Catch::Contains("v7.3"));
}

TEST_CASE("wider split: AP per setting, unlisted faces ignored", "[eval][split]") {
  std::istringstream in(kGroundTruth);
  const std::vector<WiderImage> images = parse_wider_ground_truth(in, "gt");
  const auto ap = [&](const fs::path& file) {
    const SplitImages seen = apply_wider_split(images, read_wider_split(file));
    CHECK(seen.images_not_listed == 0);
    return score_wider(seen.images, detections());
  };
  // Easy lists a:1 and c:1. The 0.95 detection is on a's face 2, unlisted: ignored. Then
  // TP (1/2, 1), FP (1/2, 1/2), TP (1, 2/3): AP = 1/2 + 1/2 * 2/3.
  const WiderScores easy = ap(kSplitDir / "wider_easy_val.mat");
  CHECK(easy.faces == 2);
  CHECK(easy.ignored_detections == 1);
  CHECK_THAT(*easy.average_precision, WithinAbs(0.5 + 0.5 * 2.0 / 3.0, 1e-12));
  // This one lists a:2 and c:1: TP (1/2, 1), face 1's detection ignored, FP, TP (1, 2/3).
  const WiderScores other = ap(kSplitDir / "medium_uncompressed.mat");
  CHECK(other.ignored_detections == 1);
  CHECK_THAT(*other.average_precision, WithinAbs(0.5 + 0.5 * 2.0 / 3.0, 1e-12));
  // Hard lists a:1,2 and c:1: TP, TP, FP (2/3, 2/3), TP (1, 3/4): AP = 2/3 + 1/3 * 3/4.
  const WiderScores hard = ap(kSplitDir / "wider_hard_val.mat");
  CHECK(hard.faces == 3);
  CHECK_THAT(*hard.average_precision, WithinAbs(2.0 / 3.0 + 0.75 / 3.0, 1e-12));

  WiderSplit beyond;
  beyond["0--Parade/a"] = {4};
  CHECK_THROWS_WITH(apply_wider_split(images, beyond), Catch::Contains("0--Parade/a.jpg"));
  const SplitImages partial = apply_wider_split(images, WiderSplit{{"0--Parade/a", {1}}});
  CHECK(partial.images_not_listed == 2);
  CHECK(partial.images[2].faces[0].invalid);
}

TEST_CASE("eval wider e2e: AP per setting from --split-dir, a missing file named",
          "[eval][split][e2e]") {
  TempDir tmp;
  write_text(tmp / "gt.txt", kGroundTruth);
  json records = json::array();
  const char* names[] = {"0--Parade/a.jpg", "1--Handshaking/b.jpg", "1--Handshaking/c.jpg"};
  const auto found = detections();
  for (std::size_t i = 0; i < 3; ++i) {
    json faces = json::array();
    for (const StoredFace& face : found[i]) {
      faces.push_back({{"box", {face.box.x, face.box.y, face.box.width, face.box.height}},
                       {"score", face.score}});
    }
    records.push_back(
        {{"path", std::string("val/") + names[i]}, {"faces", faces}, {"error", nullptr}});
  }
  write_text(tmp / "found.json", records.dump());
  const CommandResult run =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
                    " eval wider --gt gt.txt --images val --detections found.json --split-dir " +
                    shell_quote(kSplitDir.string()),
                tmp.path());
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("wider_medium_val.mat not found"));
  const json summary = json::parse(split_lines(run.out).back());
  CHECK(summary["split"]["easy"]["ap"] == 0.83333);
  CHECK(summary["split"]["easy"]["faces"] == 2);
  CHECK(summary["split"]["medium"] == nullptr);
  CHECK(summary["split"]["hard"]["ap"] == 0.91667);

  const CommandResult corrupt =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && mkdir bad && head -c 300 " +
                    shell_quote((kSplitDir / "wider_easy_val.mat").string()) +
                    " > bad/wider_easy_val.mat && " + shell_quote(MTCNN_BINARY) +
                    " eval wider --gt gt.txt --images val --detections found.json --split-dir bad",
                tmp.path());
  INFO(corrupt.out << corrupt.err);
  CHECK(corrupt.exit_code == 2);
  CHECK_THAT(corrupt.err, Catch::Contains("wider_easy_val.mat"));
}
