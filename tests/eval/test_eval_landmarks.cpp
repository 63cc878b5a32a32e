// `mtcnn eval landmarks`: the CUHK list, the matching of labelled faces to detections, the
// normalised error of known shifts, and a run of the binary scoring a detection file.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "eval/documented_keys.hpp"
#include "eval/landmark_error.hpp"
#include "eval/landmark_list.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;
using Catch::Matchers::WithinRel;
using nlohmann::json;

namespace {

// Eyes 40 px apart: (120, 140) and (160, 140).
constexpr const char* kList =
    "# image x1 x2 y1 y2 then five points\n"
    "a.jpg 100 180 110 200 120 140 160 140 140 160 125 180 155 180\n"
    "\n"
    "b.jpg 10 50 10 50 20 25 40 25 30 35 22 42 38 42\n";

LabelledFace first_face() {
  std::istringstream in(kList);
  return parse_landmark_list(in, "list")[0];
}

StoredFace detection_of(const LabelledFace& face, cv::Point2d shift, cv::Point2d box_shift = {}) {
  StoredFace detection;
  detection.box = face.box + box_shift;
  detection.score = 0.99;
  std::array<cv::Point2d, kStoredLandmarkCount> points = face.points;
  for (cv::Point2d& p : points) p += shift;
  detection.landmarks = points;
  return detection;
}

}  // namespace

TEST_CASE("eval landmarks: the CUHK list", "[eval]") {
  std::istringstream in(kList);
  const std::vector<LabelledFace> faces = parse_landmark_list(in, "list");
  REQUIRE(faces.size() == 2);
  CHECK(faces[0].image == "a.jpg");
  CHECK(faces[0].box == cv::Rect2d(100, 110, 80, 90));
  CHECK(faces[0].points[0] == cv::Point2d(120, 140));
  CHECK(faces[0].points[4] == cv::Point2d(155, 180));

  std::istringstream bad("a.jpg 100 180 110 200 120 140\n");
  CHECK_THROWS_WITH(parse_landmark_list(bad, "list.txt"), Catch::Contains("list.txt:1"));
}

TEST_CASE("eval landmarks: a known shift gives a known normalised error", "[eval]") {
  const LabelledFace face = first_face();
  // Every point 2 px right and 1.5 px down: 2.5 px, over 40 px between the eyes.
  LandmarkScores scores;
  add_face(scores, face, {detection_of(face, {2, 1.5})});
  CHECK(scores.measured == 1);
  REQUIRE(scores.mean_error());
  CHECK_THAT(*scores.mean_error(), WithinRel(2.5 / 40, 1e-12));
  CHECK_THAT(*scores.landmark_error(2), WithinRel(2.5 / 40, 1e-12));
  CHECK(scores.failure_rate() == 0.0);

  // A shift of 6 px (0.15 of the inter-ocular distance) is a failure.
  add_face(scores, face, {detection_of(face, {6, 0})});
  CHECK_THAT(*scores.mean_error(), WithinRel((2.5 / 40 + 6.0 / 40) / 2, 1e-12));
  CHECK(scores.failures == 1);
  CHECK(scores.failure_rate() == 0.5);
}

TEST_CASE("eval landmarks: the best-overlapping detection counts; below IoU 0.3 is a miss",
          "[eval]") {
  const LabelledFace face = first_face();
  LandmarkScores scores;
  // The far detection has perfect landmarks but does not overlap the face: it must not be used.
  add_face(scores, face, {detection_of(face, {0, 0}, {200, 0}), detection_of(face, {4, 0})});
  CHECK_THAT(*scores.mean_error(), WithinRel(0.1, 1e-12));
  CHECK(scores.missed == 0);
  // Shifted by 60 of its 80 px width: IoU 20/140 < 0.3.
  add_face(scores, face, {detection_of(face, {0, 0}, {60, 0})});
  add_face(scores, face, {});
  CHECK(scores.faces == 3);
  CHECK(scores.missed == 2);
  CHECK_THAT(*scores.miss_rate(), WithinRel(2.0 / 3, 1e-12));
  CHECK(scores.measured == 1);
}

TEST_CASE("eval landmarks e2e: a detection file scored against a list", "[eval][e2e]") {
  TempDir tmp;
  write_text(tmp / "list.txt", kList);
  const LabelledFace face = first_face();
  const json points = {{"left_eye", {123, 144}},
                       {"right_eye", {163, 144}},
                       {"nose", {143, 164}},
                       {"mouth_left", {128, 184}},
                       {"mouth_right", {158, 184}}};  // each point moved by (3, 4): 5 px
  const json a = {
      {"path", "data/images/a.jpg"},
      {"faces", {{{"box", {100, 110, 80, 90}}, {"score", 0.99}, {"landmarks", points}}}},
      {"error", nullptr}};
  const json b = {{"path", "data/images/b.jpg"}, {"faces", json::array()}, {"error", nullptr}};
  write_text(tmp / "found.jsonl", a.dump() + "\n" + b.dump() + "\n");

  const CommandResult run =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
                    " eval landmarks --list list.txt --images images --detections found.jsonl",
                tmp.path());
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("failure rate") && Catch::Contains("mouth_right"));
  const json summary = json::parse(split_lines(run.out).back());
  CHECK(keys_of(summary) == documented_summary_keys("landmarks"));
  CHECK(summary["faces"] == 2);
  CHECK(summary["missed"] == 1);
  CHECK(summary["miss_rate"] == 0.5);
  CHECK(summary["nme"] == 0.125);
  CHECK(summary["nme_per_landmark"]["nose"] == 0.125);
  CHECK(summary["failure_rate"] == 1.0);
}

TEST_CASE("eval landmarks e2e: detector flags with --detections are refused", "[eval][e2e]") {
  TempDir tmp;
  write_text(tmp / "list.txt", kList);
  write_text(tmp / "found.jsonl", "");
  const CommandResult run =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
                    " eval landmarks --list list.txt --images images --detections found.jsonl "
                    "--clip-crops",
                tmp.path());
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains("--clip-crops"));
}
