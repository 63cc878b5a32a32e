// `mtcnn eval wider`: the ground-truth list, VOC average precision of known ranked lists,
// invalid faces ignored, recall by height, and a run of the binary on hand-made files.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "eval/documented_keys.hpp"
#include "eval/wider_annotations.hpp"
#include "eval/wider_ap.hpp"
#include "eval/wider_test_data.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;
using Catch::Matchers::WithinRel;
using nlohmann::json;
using namespace wider_test;

namespace {

std::vector<WiderImage> ground_truth() {
  std::istringstream in(kGroundTruth);
  return parse_wider_ground_truth(in, "gt");
}

}  // namespace

TEST_CASE("eval wider: the ground-truth list, with the zeros line after 0 faces", "[eval]") {
  const std::vector<WiderImage> images = ground_truth();
  REQUIRE(images.size() == 3);
  CHECK(images[0].name == "0--Parade/a.jpg");
  REQUIRE(images[0].faces.size() == 3);
  CHECK(images[0].faces[1].box == cv::Rect2d(100, 10, 12, 15));
  CHECK_FALSE(images[0].faces[1].invalid);
  CHECK(images[0].faces[2].invalid);
  CHECK(images[1].name == "1--Handshaking/b.jpg");
  CHECK(images[1].faces.empty());
  CHECK(images[2].faces.size() == 1);

  std::istringstream bad("a/x.jpg\n2\n1 2 3 4 0 0 0 0 0 0\n");
  CHECK_THROWS_WITH(parse_wider_ground_truth(bad, "gt.txt"), Catch::Contains("gt.txt:"));
}

TEST_CASE("eval wider: all-point average precision of a known ranked list", "[eval]") {
  // Ranked TP, FP, TP, FP, TP with 4 faces: recall .25 .25 .5 .5 .75, precision 1 .5 .667 .5 .6.
  // Envelope: 1, .667, .667, .6, .6 -> AP = .25 * 1 + .25 * 2/3 + .25 * .6.
  const std::vector<double> recall{0.25, 0.25, 0.5, 0.5, 0.75};
  const std::vector<double> precision{1.0, 0.5, 2.0 / 3, 0.5, 0.6};
  CHECK_THAT(all_point_average_precision(recall, precision),
             WithinRel(0.25 + 0.25 * 2.0 / 3 + 0.25 * 0.6, 1e-12));
}

TEST_CASE("eval wider: ranking over images, duplicates, invalid faces ignored", "[eval]") {
  const std::vector<WiderImage> images = ground_truth();
  // 3 valid faces: a.jpg 40 px and 15 px high, c.jpg 150 px. Detections best first: c's face
  // (TP), a duplicate of it (FP), a's invalid face (ignored), a's 40 px face (TP), a false one on
  // b.jpg (FP). Recall .333 .333 - .667 .667; precision 1 .5 - .667 .5.
  const std::vector<std::vector<StoredFace>> detections{
      {detection({200, 10, 60, 80}, 0.8), detection({12, 10, 40, 40}, 0.7)},
      {detection({300, 300, 50, 50}, 0.6)},
      {detection({30, 30, 120, 150}, 0.95), detection({34, 30, 120, 150}, 0.9)}};
  const WiderScores scores = score_wider(images, detections);
  CHECK(scores.faces == 3);
  CHECK(scores.invalid_faces == 1);
  CHECK(scores.detections == 5);
  CHECK(scores.ignored_detections == 1);
  CHECK(scores.true_positives == 2);
  REQUIRE(scores.average_precision);
  CHECK_THAT(*scores.average_precision, WithinRel(1.0 / 3 + 1.0 / 3 * 2.0 / 3, 1e-12));
  CHECK(height_band(15) == 0);
  CHECK(height_band(20) == 1);
  CHECK(height_band(150) == 3);
  CHECK(scores.band_faces == std::array<std::size_t, kHeightBands>{1, 1, 0, 1});
  CHECK(scores.band_found == std::array<std::size_t, kHeightBands>{0, 1, 0, 1});
  CHECK_FALSE(scores.band_recall(2));

  // A perfect set: AP 1.
  const WiderScores perfect =
      score_wider(images, {{detection({10, 10, 40, 40}, 0.9), detection({100, 10, 12, 15}, 0.8)},
                           {},
                           {detection({30, 30, 120, 150}, 0.7)}});
  CHECK(perfect.average_precision == 1.0);
}

TEST_CASE("eval wider e2e: a detection file, and no split without --split-dir", "[eval][e2e]") {
  TempDir tmp;
  write_text(tmp / "gt.txt", kGroundTruth);
  const json found = {
      {{"path", "val/0--Parade/a.jpg"},
       {"faces",
        {{{"box", {10, 10, 40, 40}}, {"score", 0.9}},
         {{"box", {100, 10, 12, 15}}, {"score", 0.8}}}},
       {"error", nullptr}},
      {{"path", "val/1--Handshaking/b.jpg"}, {"faces", json::array()}, {"error", nullptr}},
      {{"path", "val/1--Handshaking/c.jpg"},
       {"faces", {{{"box", {30, 30, 120, 150}}, {"score", 0.7}}}},
       {"error", nullptr}}};
  write_text(tmp / "found.json", found.dump());
  const CommandResult run =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
                    " eval wider --gt gt.txt --images val --detections found.json",
                tmp.path());
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("Easy/Medium/Hard not computed"));
  const json summary = json::parse(split_lines(run.out).back());
  CHECK(keys_of(summary) == documented_summary_keys("wider"));
  CHECK(summary["ap"] == 1.0);
  CHECK(summary["faces"] == 3);
  CHECK(summary["split"] == nullptr);
  CHECK(summary["recall_by_height"]["<20"]["recall"] == 1.0);
  CHECK(summary["recall_by_height"]["50-100"]["recall"] == nullptr);
}
