// `mtcnn eval fddb`: overlap of ellipses and rectangles, the assignment, the ROC, the fold files,
// on hand-made cases with known answers; and one run of the binary on a tiny FDDB-layout tree.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <set>

#include "eval/assignment.hpp"
#include "eval/documented_keys.hpp"
#include "eval/ellipse_overlap.hpp"
#include "eval/fddb_folds.hpp"
#include "eval/fddb_roc.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;
using Catch::Matchers::WithinRel;
using nlohmann::json;

namespace {

Ellipse upright_ellipse(double cx, double cy, double half_width, double half_height) {
  // FDDB gives the major axis' angle; faces are taller than wide, so it points along y.
  return {half_height, half_width, std::numbers::pi / 2, {cx, cy}};
}

StoredFace detection(const cv::Rect2d& box, double score) {
  StoredFace face;
  face.box = box;
  face.score = score;
  return face;
}

}  // namespace

TEST_CASE("eval fddb: an ellipse against its bounding rectangle overlaps by pi/4", "[eval]") {
  const Ellipse upright = upright_ellipse(100, 80, 30, 40);
  const cv::Rect2d box = bounding_rect(upright);
  CHECK_THAT(box.width, WithinRel(60.0, 1e-9));
  CHECK_THAT(box.height, WithinRel(80.0, 1e-9));
  CHECK_THAT(ellipse_rect_overlap(upright, box), WithinRel(std::numbers::pi / 4, 0.01));
  CHECK_THAT(ellipse_rect_overlap(upright, box), WithinRel(std::numbers::pi / 4, 1e-4));

  // Rotated: the bounding rectangle grows, the overlap is area(ellipse) / area(rectangle).
  const Ellipse tilted{40, 25, 0.6, {200, 150}};
  const cv::Rect2d tilted_box = bounding_rect(tilted);
  CHECK_THAT(ellipse_rect_overlap(tilted, tilted_box),
             WithinRel(std::numbers::pi * 40 * 25 / tilted_box.area(), 1e-4));
}

TEST_CASE("eval fddb: overlap of halves, containment and disjoint shapes", "[eval]") {
  const Ellipse circle{10, 10, 0.0, {0, 0}};
  const double disc = std::numbers::pi * 100;
  // The right half of the circle's box holds half the disc.
  CHECK_THAT(ellipse_area_within(circle, {0, -10, 10, 20}), WithinRel(disc / 2, 1e-4));
  // A small square inside the disc: intersection is the square.
  CHECK_THAT(ellipse_rect_overlap(circle, {-2, -2, 4, 4}), WithinRel(16.0 / disc, 1e-6));
  // A rectangle holding the whole disc: intersection is the disc.
  CHECK_THAT(ellipse_rect_overlap(circle, {-20, -20, 40, 40}), WithinRel(disc / 1600, 1e-4));
  CHECK(ellipse_rect_overlap(circle, {20, 20, 5, 5}) == 0.0);
  // Just outside the disc but inside its bounding box (the corner).
  CHECK(ellipse_rect_overlap(circle, {8, 8, 2, 2}) == 0.0);
}

TEST_CASE("eval fddb: the assignment maximises the total weight, not greedily", "[eval]") {
  // Greedy takes 0.9 first and leaves row 1 with nothing (total 0.9); the best total is 1.5.
  const auto square = max_weight_assignment({{0.9, 0.8}, {0.7, 0.0}});
  REQUIRE(square[0]);
  REQUIRE(square[1]);
  CHECK(*square[0] == 1);
  CHECK(*square[1] == 0);

  // More rows than columns: one row is left out, the best two are kept.
  const auto tall = max_weight_assignment({{0.6}, {0.2}, {0.9}});
  CHECK_FALSE(tall[0]);
  CHECK_FALSE(tall[1]);
  REQUIRE(tall[2]);
  CHECK(*tall[2] == 0);

  // More columns than rows, and the 3x3 case where greedy (0.9, then 0.1 + 0.1) loses.
  const auto wide = max_weight_assignment({{0.1, 0.5, 0.3}});
  REQUIRE(wide[0]);
  CHECK(*wide[0] == 1);
  const auto three = max_weight_assignment({{0.9, 0.8, 0.0}, {0.8, 0.1, 0.0}, {0.0, 0.0, 0.1}});
  CHECK(*three[0] == 1);
  CHECK(*three[1] == 0);
  CHECK(*three[2] == 2);
  CHECK(max_weight_assignment({}).empty());
}

TEST_CASE("eval fddb: matching picks the partner that maximises total overlap", "[eval]") {
  // Box 0 covers face A best of all pairs, so a greedy matching gives it to A and leaves face B
  // with box 1, which misses B entirely. Maximising the total gives box 1 to A and box 0 to B.
  const Ellipse a = upright_ellipse(100, 100, 30, 40);
  const Ellipse b = upright_ellipse(150, 100, 30, 40);
  const cv::Rect2d box0(90, 60, 60, 80);  // 20 px right of A, 30 px left of B
  const cv::Rect2d box1(45, 60, 60, 80);  // 25 px left of A
  REQUIRE(ellipse_rect_overlap(a, box0) > ellipse_rect_overlap(a, box1));
  REQUIRE(ellipse_rect_overlap(a, box0) > ellipse_rect_overlap(b, box0));
  REQUIRE(ellipse_rect_overlap(b, box1) == 0.0);
  const auto matches = match_ellipses({a, b}, {box0, box1});
  REQUIRE(matches.size() == 2);
  for (const EllipseMatch& m : matches) CHECK(m.detection == (m.face == 0 ? 1u : 0u));
}

TEST_CASE("eval fddb: a perfect set has TPR 1 at 0 false positives", "[eval]") {
  const std::vector<Ellipse> faces{upright_ellipse(100, 100, 30, 40),
                                   upright_ellipse(300, 120, 20, 28)};
  std::vector<StoredFace> found;
  for (const Ellipse& e : faces) found.push_back(detection(bounding_rect(e), 0.99));
  const std::vector<RocPoint> roc = fddb_roc({match_image(faces, found)}, faces.size());
  CHECK(discrete_tpr_at(roc, 0) == 1.0);
  CHECK_THAT(continuous_tpr_at(roc, 0), WithinRel(std::numbers::pi / 4, 1e-3));
  CHECK(roc.back().false_positives == 0);
}

TEST_CASE("eval fddb: a duplicate detection is a false positive", "[eval]") {
  const std::vector<Ellipse> faces{upright_ellipse(100, 100, 30, 40)};
  const cv::Rect2d box = bounding_rect(faces[0]);
  const ImageMatchCounts counts =
      match_image(faces, {detection(box, 0.9), detection(box + cv::Point2d(2, 0), 0.8)});
  CHECK(counts.discrete_true == std::vector<std::size_t>{0, 1, 1});
  const std::vector<RocPoint> roc = fddb_roc({counts}, 1);
  REQUIRE(roc.size() == 3);
  CHECK(roc[1].false_positives == 0);
  CHECK(roc[1].discrete_tpr == 1.0);
  CHECK(roc[2].false_positives == 1);
  CHECK(roc[2].discrete_tpr == 1.0);
}

TEST_CASE("eval fddb: the ROC sweeps the threshold over all images", "[eval]") {
  // Image 1: a face found at 0.9, a false detection at 0.95. Image 2: two faces, one found at
  // 0.8, one missed; a false detection at 0.5. A detection with overlap < 0.5 is false for the
  // discrete score but still adds its overlap to the continuous score.
  const std::vector<Ellipse> faces1{upright_ellipse(100, 100, 30, 40)};
  const std::vector<Ellipse> faces2{upright_ellipse(100, 100, 30, 40),
                                    upright_ellipse(400, 100, 30, 40)};
  const cv::Rect2d far_away(600, 600, 50, 50);
  const cv::Rect2d weak = bounding_rect(faces2[1]) + cv::Point2d(45, 0);  // overlap < 0.5
  const std::vector<ImageMatchCounts> counts{
      match_image(faces1, {detection(bounding_rect(faces1[0]), 0.9), detection(far_away, 0.95)}),
      match_image(faces2, {detection(bounding_rect(faces2[0]), 0.8), detection(weak, 0.5)})};
  const std::vector<RocPoint> roc = fddb_roc(counts, 3);
  REQUIRE(roc.size() == 5);
  CHECK(roc[1].threshold == 0.95);
  CHECK(roc[1].false_positives == 1);
  CHECK(roc[1].discrete_tpr == 0.0);
  CHECK(roc[2].false_positives == 1);
  CHECK_THAT(roc[2].discrete_tpr, WithinRel(1.0 / 3, 1e-12));
  CHECK_THAT(roc[3].discrete_tpr, WithinRel(2.0 / 3, 1e-12));
  CHECK(roc[4].false_positives == 2);
  CHECK_THAT(roc[4].discrete_tpr, WithinRel(2.0 / 3, 1e-12));
  CHECK(roc[4].continuous_tpr > roc[3].continuous_tpr);
  CHECK(discrete_tpr_at(roc, 0) == 0.0);
  CHECK_THAT(discrete_tpr_at(roc, 1), WithinRel(2.0 / 3, 1e-12));
}

TEST_CASE("eval fddb: fold lists and result files", "[eval]") {
  CHECK(parse_fold_list("1-10").size() == 10);
  CHECK(parse_fold_list("3") == std::vector<int>{3});
  CHECK(parse_fold_list("8,1-3") == std::vector<int>{1, 2, 3, 8});
  CHECK_THROWS_AS(parse_fold_list("0-3"), std::invalid_argument);
  CHECK_THROWS_AS(parse_fold_list("a"), std::invalid_argument);
  CHECK_THROWS_AS(parse_fold_list("5-2"), std::invalid_argument);

  TempDir tmp;
  write_text(tmp / "FDDB-folds/FDDB-fold-02-ellipseList.txt",
             "2002/a/img_1\n2\n40.0 30.0 1.5 100.0 80.0  1\n20 15 -1.4 300 90 1\n"
             "2002/a/img_2\n0\n");
  const std::vector<FddbImage> images = read_fddb_fold(tmp.path(), 2);
  REQUIRE(images.size() == 2);
  CHECK(images[0].name == "2002/a/img_1");
  CHECK(images[0].fold == 2);
  REQUIRE(images[0].faces.size() == 2);
  CHECK(images[0].faces[1].angle == -1.4);
  CHECK(images[0].faces[1].centre == cv::Point2d(300, 90));
  CHECK(images[1].faces.empty());
  CHECK(fddb_image_path(tmp.path(), images[0]) == tmp / "originalPics/2002/a/img_1.jpg");
  CHECK(read_fddb_fold(tmp.path(), 3).empty());

  write_text(tmp / "FDDB-folds/FDDB-fold-04-ellipseList.txt", "img\n2\n40 30 1.5 100 80 1\n");
  CHECK_THROWS_WITH(read_fddb_fold(tmp.path(), 4), Catch::Contains("fold-04-ellipseList.txt:3"));

  std::vector<StoredRecord> records(2);
  records[0].faces = {detection({10, 20, 30, 40.5}, 0.987654321)};
  CHECK(fddb_result_text(images, records) ==
        "2002/a/img_1\n1\n10.00 20.00 30.00 40.50 0.987654\n2002/a/img_2\n0\n");
}

namespace {

// A tiny FDDB tree: folds 1 and 3, the sample photos with ellipses drawn by hand around their
// faces, and one ellipse where there is no face (so the detector cannot reach TPR 1).
void make_tiny_fddb(const TempDir& tmp) {
  const fs::path samples = MTCNN_SAMPLES_DIR;
  fs::create_directories(tmp / "fddb/originalPics/s");
  fs::copy_file(samples / "sample1.jpg", tmp / "fddb/originalPics/s/sample1.jpg");
  fs::copy_file(samples / "sample3.jpg", tmp / "fddb/originalPics/s/sample3.jpg");
  write_text(tmp / "fddb/FDDB-folds/FDDB-fold-01.txt", "s/sample1\n");
  write_text(tmp / "fddb/FDDB-folds/FDDB-fold-01-ellipseList.txt",
             "s/sample1\n4\n"
             "124 95 1.5708 504 477 1\n"
             "118 103 1.5708 934 542 1\n"
             "116 103 1.5708 1579 327 1\n"
             "60 45 1.5708 150 1150 1\n");
  write_text(tmp / "fddb/FDDB-folds/FDDB-fold-03.txt", "s/sample3\n");
  write_text(tmp / "fddb/FDDB-folds/FDDB-fold-03-ellipseList.txt",
             "s/sample3\n3\n"
             "137 106 1.5708 690 461 1\n"
             "141 98 1.5708 1593 432 1\n"
             "154 115 1.5708 1171 351 1\n");
}

}  // namespace

TEST_CASE("eval fddb e2e: result files, ROC files and the summary", "[eval][e2e]") {
  TempDir tmp;
  make_tiny_fddb(tmp);
  const fs::path data = tmp / "fddb";
  const fs::path out = tmp / "out";
  const auto check_run = [&](const std::string& extra) {
    const CommandResult run =
        run_shell(shell_quote(MTCNN_BINARY) + " eval fddb -q --data " + shell_quote(data.string()) +
                      " --folds 1-4 -o " + shell_quote(out.string()) + extra,
                  tmp.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Catch::Contains("TPR at FP") && Catch::Contains("continuous"));
    const json summary = json::parse(split_lines(run.out).back());
    CHECK(keys_of(summary) == documented_summary_keys("fddb"));
    CHECK(summary["folds"] == json::array({1, 3}));
    CHECK(summary["images"] == 2);
    CHECK(summary["faces"] == 7);
    CHECK_THAT(summary["discrete_tpr"]["50"].get<double>(), WithinRel(6.0 / 7, 1e-4));
    CHECK(summary["continuous_tpr"]["50"].get<double>() > 0.5);

    CHECK(fs::exists(out / "fold-01-out.txt"));
    CHECK(fs::exists(out / "fold-03-out.txt"));
    CHECK_FALSE(fs::exists(out / "fold-02-out.txt"));
    const std::vector<std::string> fold1 = split_lines(read_text(out / "fold-01-out.txt"));
    REQUIRE(fold1.size() >= 5);
    CHECK(fold1[0] == "s/sample1");
    CHECK(std::stoi(fold1[1]) == static_cast<int>(fold1.size()) - 2);
    CHECK(split_lines(read_text(out / "roc-discrete.csv"))[0] ==
          "false_positives,true_positive_rate,score_threshold");
    CHECK(fs::file_size(out / "roc-continuous.csv") > 0);
    CHECK(!cv::imread((out / "roc.png").string()).empty());
  };
  SECTION("running the detector") { check_run(""); }
  SECTION("scoring the reference's detections") {
    check_run(" --detections " +
              shell_quote((fs::path(MTCNN_TEST_DATA_DIR) / "reference-samples.jsonl").string()));
  }
}

TEST_CASE("eval fddb e2e: no folds, bad folds exit 2", "[eval][e2e]") {
  TempDir tmp;
  const CommandResult none = run_shell(shell_quote(MTCNN_BINARY) + " eval fddb --data " +
                                           shell_quote(tmp.path().string()) + " -o out",
                                       tmp.path());
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("no FDDB folds"));
  const CommandResult bad = run_shell(shell_quote(MTCNN_BINARY) + " eval fddb --data " +
                                          shell_quote(tmp.path().string()) + " --folds 0-12",
                                      tmp.path());
  CHECK(bad.exit_code == 2);
}

TEST_CASE("eval fddb e2e: an unusable output folder is refused before the detector runs",
          "[eval][e2e]") {
  TempDir tmp;
  make_tiny_fddb(tmp);
  write_text(tmp / "a-file", "x");
  const CommandResult run = run_shell(shell_quote(MTCNN_BINARY) + " eval fddb -v --data " +
                                          shell_quote((tmp / "fddb").string()) + " -o " +
                                          shell_quote((tmp / "a-file" / "out").string()),
                                      tmp.path());
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.err, Catch::Contains("cannot create the output folder"));
  CHECK_THAT(run.err, !Catch::Contains("stage totals"));  // the detector never ran
}

TEST_CASE("eval fddb e2e: -v reports the detector's time per stage", "[eval][e2e]") {
  TempDir tmp;
  make_tiny_fddb(tmp);
  const CommandResult run = run_shell(shell_quote(MTCNN_BINARY) + " eval fddb -v --data " +
                                          shell_quote((tmp / "fddb").string()) + " --folds 1 -o " +
                                          shell_quote((tmp / "out").string()),
                                      tmp.path());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("stage totals over all images: decode") &&
                          Catch::Contains("P-Net") && Catch::Contains("1 input in"));
}

TEST_CASE("eval fddb: ROC thresholds keep distinct scores distinct", "[eval]") {
  // Nine scores that all print as 0.999997 with six decimals.
  std::vector<RocPoint> roc;
  for (int i = 0; i < 9; ++i) {
    roc.push_back(
        {static_cast<float>(0.9999965 + 1e-7 * i), static_cast<std::size_t>(i), 0.5, 0.5});
  }
  std::set<std::string> thresholds;
  const std::string csv = roc_csv(roc, &RocPoint::discrete_tpr);
  for (const std::string& line : split_lines(csv)) thresholds.insert(line.substr(line.rfind(',')));
  CHECK(thresholds.size() == 10);  // the header and nine distinct scores
}
