// `mtcnn compare`: hand-made detection files with known answers, the exit codes of the binary,
// and the fidelity check of the detector against the reference implementation's output.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mtcnn/detector.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "compare/agreement.hpp"
#include "compare/agreement_bounds.hpp"
#include "compare/record_pairing.hpp"
#include "records/detection_file.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;
using nlohmann::json;

namespace {

// A face record with its landmarks at fixed places inside the box, moved by `shift`.
json face(double x, double y, double w, double h, double score = 0.99, cv::Point2d shift = {0, 0}) {
  const auto point = [&](double fx, double fy) {
    return json::array({x + fx * w + shift.x, y + fy * h + shift.y});
  };
  return {{"box", {x, y, w, h}},
          {"score", score},
          {"landmarks",
           {{"left_eye", point(0.3, 0.4)},
            {"right_eye", point(0.7, 0.4)},
            {"nose", point(0.5, 0.6)},
            {"mouth_left", point(0.35, 0.8)},
            {"mouth_right", point(0.65, 0.8)}}}};
}

json record(const std::string& path, const std::vector<json>& faces) {
  return {{"path", path}, {"width", 640}, {"height", 480}, {"faces", faces}, {"error", nullptr}};
}

json failed_record(const std::string& path) {
  return {{"path", path},
          {"width", nullptr},
          {"height", nullptr},
          {"faces", json::array()},
          {"error", {{"code", "decode_failed"}, {"message", "not an image"}}}};
}

std::string json_lines(const std::vector<json>& records) {
  std::string text;
  for (const json& r : records) text += r.dump() + "\n";
  return text;
}

Agreement agreement_of(const std::vector<json>& result, const std::vector<json>& reference,
                       const AgreementSettings& settings = {}) {
  return measure_agreement(parse_detection_text(json_lines(result), "result"),
                           parse_detection_text(json_lines(reference), "reference"), settings);
}

// Two faces in one photo and one in another: the reference of most cases below.
std::vector<json> reference_records() {
  return {record("photos/a.jpg", {face(100, 100, 100, 120), face(300, 80, 80, 100)}),
          record("photos/b.jpg", {face(50, 60, 200, 220)})};
}

}  // namespace

TEST_CASE("compare: identical files agree perfectly", "[compare]") {
  const Agreement agreement = agreement_of(reference_records(), reference_records());
  CHECK(agreement.images == 2);
  CHECK(agreement.reference_faces == 3);
  CHECK(agreement.result_faces == 3);
  CHECK(agreement.recall() == 1.0);
  CHECK(agreement.iou_median() == 1.0);
  CHECK(agreement.iou_p5() == 1.0);
  CHECK(agreement.mean_landmark_error() == 0.0);
  CHECK(agreement.extra_fraction() == 0.0);
  CHECK(agreement.missing_in_result.empty());
  CHECK(agreement.missing_in_reference.empty());
}

TEST_CASE("compare: IoU of boxes", "[compare]") {
  CHECK(intersection_over_union({0, 0, 10, 10}, {0, 0, 10, 10}) == 1.0);
  CHECK(intersection_over_union({0, 0, 10, 10}, {5, 0, 10, 10}) == Approx(50.0 / 150.0));
  CHECK(intersection_over_union({0, 0, 10, 10}, {10, 0, 10, 10}) == 0.0);  // touching
  CHECK(intersection_over_union({0, 0, 10, 10}, {2, 2, 5, 5}) == Approx(25.0 / 100.0));
  CHECK(intersection_over_union({0, 0, 0, 0}, {0, 0, 0, 0}) == 0.0);
}

TEST_CASE("compare: a shifted box has the known IoU and is found only above --iou", "[compare]") {
  // Shifted 5 px right: overlap 95 x 100 of a 100 x 100 box, IoU 9500 / 10500.
  const std::vector<json> reference{record("a.jpg", {face(0, 0, 100, 100)})};
  const Agreement near = agreement_of({record("a.jpg", {face(5, 0, 100, 100)})}, reference);
  CHECK(near.iou_median() == Approx(9500.0 / 10500.0));
  CHECK(near.recall() == 1.0);
  CHECK(near.extra_fraction() == 0.0);

  // 10 px: IoU 9000 / 11000 = 0.818, under the default 0.85, so not found (yet not extra).
  const Agreement far = agreement_of({record("a.jpg", {face(10, 0, 100, 100)})}, reference);
  CHECK(far.iou_median() == Approx(9000.0 / 11000.0));
  CHECK(far.recall() == 0.0);
  CHECK_FALSE(far.mean_landmark_error().has_value());  // only found faces count
  CHECK(far.extra_fraction() == 0.0);

  AgreementSettings lenient;
  lenient.iou_threshold = 0.8;
  CHECK(agreement_of({record("a.jpg", {face(10, 0, 100, 100)})}, reference, lenient).recall() ==
        1.0);
}

TEST_CASE("compare: a missing face lowers recall and counts as IoU 0", "[compare]") {
  std::vector<json> result = reference_records();
  result[0]["faces"].erase(1);
  const Agreement agreement = agreement_of(result, reference_records());
  CHECK(agreement.reference_faces == 3);
  CHECK(agreement.found_faces == 2);
  CHECK(agreement.recall() == Approx(2.0 / 3.0));
  // IoUs {0, 1, 1}: median 1, 5th percentile 0.1 of the way from 0 to 1.
  CHECK(agreement.iou_median() == 1.0);
  CHECK(agreement.iou_p5() == Approx(0.1));
  CHECK(agreement.extra_fraction() == 0.0);
}

TEST_CASE("compare: a face the reference does not have is extra", "[compare]") {
  std::vector<json> result = reference_records();
  result[1]["faces"].push_back(face(400, 300, 60, 70));
  const Agreement agreement = agreement_of(result, reference_records());
  CHECK(agreement.recall() == 1.0);
  CHECK(agreement.result_faces == 4);
  CHECK(agreement.extra_faces == 1);
  CHECK(agreement.extra_fraction() == Approx(0.25));

  // A duplicate of a found face is extra as well: matching is one-to-one.
  std::vector<json> duplicated = reference_records();
  duplicated[1]["faces"].push_back(face(52, 60, 200, 220, 0.95));
  CHECK(agreement_of(duplicated, reference_records()).extra_faces == 1);
}

TEST_CASE("compare: landmark error is the mean distance over the box width", "[compare]") {
  // Every point moved by (3, 4), 5 px, on a box 100 wide.
  const std::vector<json> reference{record("a.jpg", {face(0, 0, 100, 120)})};
  const std::vector<json> result{record("a.jpg", {face(0, 0, 100, 120, 0.99, {3, 4})})};
  const Agreement agreement = agreement_of(result, reference);
  CHECK(agreement.landmark_faces == 1);
  CHECK(agreement.mean_landmark_error() == Approx(0.05));

  // Faces without landmarks still count for recall, just not for the landmark error.
  std::vector<json> bare = result;
  bare[0]["faces"][0].erase("landmarks");
  const Agreement without = agreement_of(bare, reference);
  CHECK(without.recall() == 1.0);
  CHECK_FALSE(without.mean_landmark_error().has_value());
}

TEST_CASE("compare: --min-score applies to both sides, matching takes any score", "[compare]") {
  const std::vector<json> reference{
      record("a.jpg", {face(0, 0, 100, 100, 0.95), face(200, 0, 100, 100, 0.5)})};
  // The confident reference face is found by a weak result face: not missing. The confident
  // result face matches the weak reference face: not extra. Neither weak face is required.
  const std::vector<json> result{
      record("a.jpg", {face(0, 0, 100, 100, 0.6), face(200, 0, 100, 100, 0.97)})};
  const Agreement agreement = agreement_of(result, reference);
  CHECK(agreement.reference_faces == 1);
  CHECK(agreement.recall() == 1.0);
  CHECK(agreement.result_faces == 1);
  CHECK(agreement.extra_faces == 0);

  AgreementSettings strict;
  strict.min_score = 0.96;
  const Agreement stricter = agreement_of(result, reference, strict);
  CHECK(stricter.reference_faces == 0);
  CHECK_FALSE(stricter.recall().has_value());
  CHECK(stricter.result_faces == 1);
}

TEST_CASE("compare: recall is split by the image border", "[compare]") {
  // 640x480 images: a face touching the left edge, one in the middle.
  CHECK(near_image_border({0, 200, 100, 100}, {640, 480}));
  CHECK(near_image_border({588, 200, 50, 50}, {640, 480}));  // inside, but its 1.2x square is not
  CHECK_FALSE(near_image_border({270, 190, 100, 100}, {640, 480}));
  const std::vector<json> reference{
      record("a.jpg", {face(0, 200, 100, 100), face(270, 190, 100, 100)})};
  const std::vector<json> result{record("a.jpg", {face(270, 190, 100, 100)})};
  const Agreement a = agreement_of(result, reference);
  CHECK(a.border_faces == 1);
  CHECK(*a.recall_near_border() == Approx(0.0));
  CHECK(*a.recall_elsewhere() == Approx(1.0));
  CHECK(*a.recall() == Approx(0.5));
}

TEST_CASE("compare: greedy matching takes the best overlap first", "[compare]") {
  // Wanted 0 overlaps both available boxes, wanted 1 only the second; the second pair has the
  // highest IoU, so wanted 0 gets the first box.
  const auto matches =
      match_faces({{0, 0, 100, 100}, {50, 0, 100, 100}}, {{-20, 0, 100, 100}, {45, 0, 100, 100}});
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].partner == std::optional<std::size_t>(0));
  CHECK(matches[1].partner == std::optional<std::size_t>(1));
  CHECK(matches[1].iou == Approx(9500.0 / 10500.0));
  CHECK_FALSE(match_faces({{0, 0, 10, 10}}, {{50, 50, 10, 10}})[0].partner.has_value());
}

TEST_CASE("compare: percentiles interpolate between ranks", "[compare]") {
  CHECK(percentile({3.0}, 0.05) == 3.0);
  CHECK(percentile({4.0, 1.0, 3.0, 2.0}, 0.5) == 2.5);
  CHECK(percentile({0.0, 10.0}, 0.05) == Approx(0.5));
  CHECK(percentile({5.0, 1.0, 9.0}, 1.0) == 9.0);
}

TEST_CASE("compare: records pair by equal path or by path suffix", "[compare]") {
  CHECK(paths_name_same_image("samples/sample1.jpg", "sample1.jpg"));
  CHECK(paths_name_same_image("sample1.jpg", "a/samples/sample1.jpg"));
  CHECK(paths_name_same_image("a/b.jpg", "a/b.jpg"));
  CHECK_FALSE(paths_name_same_image("samples/xsample1.jpg", "sample1.jpg"));
  CHECK_FALSE(paths_name_same_image("a/b.jpg", "c/b.jpg"));

  const RecordPairing pairing =
      pair_records({"samples/sample1.jpg", "samples/sample2.jpg", "only-here.jpg"},
                   {"sample2.jpg", "sample1.jpg", "sample3.jpg"});
  using Pair = std::pair<std::size_t, std::size_t>;
  CHECK(pairing.pairs == std::vector<Pair>{{0, 1}, {1, 0}});
  REQUIRE(pairing.left_only.size() == 1);
  CHECK(pairing.left_only[0].index == 2);
  CHECK_FALSE(pairing.left_only[0].ambiguous);
  REQUIRE(pairing.right_only.size() == 1);
  CHECK(pairing.right_only[0].index == 2);
}

TEST_CASE("compare: ambiguous paths stay unpaired, an equal path wins over a suffix", "[compare]") {
  const RecordPairing ambiguous = pair_records({"a/x.jpg", "b/x.jpg"}, {"x.jpg"});
  CHECK(ambiguous.pairs.empty());
  REQUIRE(ambiguous.left_only.size() == 2);
  CHECK(ambiguous.left_only[0].ambiguous);
  REQUIRE(ambiguous.right_only.size() == 1);
  CHECK(ambiguous.right_only[0].ambiguous);

  const RecordPairing exact = pair_records({"a/x.jpg", "x.jpg"}, {"x.jpg"});
  CHECK(exact.pairs == std::vector<std::pair<std::size_t, std::size_t>>{{1, 0}});
  REQUIRE(exact.left_only.size() == 1);
  CHECK(exact.left_only[0].index == 0);

  // The same path twice in one file cannot be told apart.
  const RecordPairing twice = pair_records({"x.jpg", "x.jpg"}, {"x.jpg"});
  CHECK(twice.pairs.empty());
  CHECK(twice.left_only.size() == 2);
}

TEST_CASE("compare: unpaired images are listed as missing, their faces not compared", "[compare]") {
  std::vector<json> result = reference_records();
  result[0]["path"] = "elsewhere/a.jpg";
  result.push_back(record("photos/c.jpg", {face(0, 0, 50, 50)}));
  result.erase(result.begin() + 1);  // no b.jpg
  const Agreement agreement = agreement_of(result, reference_records());
  CHECK(agreement.images == 0);  // elsewhere/a.jpg and photos/a.jpg are different images
  REQUIRE(agreement.missing_in_result.size() == 2);
  CHECK(agreement.missing_in_result[0].path == "photos/a.jpg");
  REQUIRE(agreement.missing_in_reference.size() == 2);
  CHECK(agreement.reference_faces == 0);
  CHECK_FALSE(agreement.recall().has_value());
}

TEST_CASE("compare: a failed result misses its faces, a failed reference is skipped", "[compare]") {
  std::vector<json> result = reference_records();
  result[0] = failed_record("photos/a.jpg");
  const Agreement failed_result = agreement_of(result, reference_records());
  CHECK(failed_result.errors_in_result == 1);
  CHECK(failed_result.reference_faces == 3);
  CHECK(failed_result.recall() == Approx(1.0 / 3.0));

  std::vector<json> reference = reference_records();
  reference[0] = failed_record("photos/a.jpg");
  const Agreement failed_reference = agreement_of(reference_records(), reference);
  CHECK(failed_reference.images == 2);
  CHECK(failed_reference.errors_in_reference == 1);
  CHECK(failed_reference.reference_faces == 1);
  CHECK(failed_reference.result_faces == 1);
  CHECK(failed_reference.extra_faces == 0);
}

TEST_CASE("compare: a JSON array reads like JSON Lines", "[compare]") {
  const std::vector<json> records = reference_records();
  std::string array = "  [\n";
  for (std::size_t i = 0; i < records.size(); ++i) {
    array += records[i].dump() + (i + 1 < records.size() ? ",\n" : "\n");
  }
  array += "]\n";
  const auto from_array = parse_detection_text(array, "array");
  const auto from_lines = parse_detection_text(json_lines(records), "lines");
  REQUIRE(from_array.size() == 2);
  REQUIRE(from_lines.size() == 2);
  CHECK(from_array[1].path == from_lines[1].path);
  CHECK(from_array[1].faces.size() == 1);
  CHECK(from_array[1].line == 3);
  CHECK(from_array[0].faces[1].box == cv::Rect2d(300, 80, 80, 100));
  CHECK(parse_detection_text("[]", "empty").empty());
  CHECK(parse_detection_text("\n\n", "blank").empty());
  // A pretty-printed array (jq's default) is fine too.
  CHECK(parse_detection_text(json(records).dump(2), "pretty").size() == 2);
}

TEST_CASE("compare: malformed files name the file and line", "[compare]") {
  const std::string good = record("a.jpg", {face(0, 0, 10, 10)}).dump();
  const auto message_for = [](const std::string& text) -> std::string {
    try {
      parse_detection_text(text, "f.jsonl");
    } catch (const DetectionFileError& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK_THAT(message_for(good + "\n\n{\"path\": \"b.jpg\", \n"),
             Catch::StartsWith("f.jsonl:3: not valid JSON"));
  CHECK_THAT(message_for(good + "\n{\"path\":\"b.jpg\",\"faces\":[{\"score\":1}],\"error\":null}"),
             Catch::StartsWith("f.jsonl:2: faces[0].box must be"));
  CHECK_THAT(message_for("{\"faces\":[]}"), Catch::StartsWith("f.jsonl:1: \"path\""));
  CHECK_THAT(message_for("{\"path\":\"a.jpg\",\"error\":null}"),
             Catch::Contains("\"faces\" must be an array"));
  CHECK_THAT(message_for("[1, 2]"), Catch::Contains("must be a JSON object"));
  CHECK_THAT(message_for("[\n" + good + ",\n" + good + "\n"),
             Catch::StartsWith("f.jsonl:4: the JSON array is not closed"));
  CHECK_THAT(message_for("[\n" + good + ",\n{\"path\": 3}\n]"), Catch::StartsWith("f.jsonl:3:"));
  CHECK_THAT(message_for("[" + good + ",]"), Catch::Contains("expected a record"));
  CHECK_THAT(message_for("[" + good + "] x"), Catch::Contains("after the JSON array"));

  json bad_landmark = record("a.jpg", {face(0, 0, 10, 10)});
  bad_landmark["faces"][0]["landmarks"].erase("nose");
  CHECK_THAT(message_for(bad_landmark.dump()),
             Catch::Contains("faces[0].landmarks.nose is missing"));

  // A failed record needs no faces.
  CHECK(parse_detection_text(R"({"path":"x.jpg","error":{"code":"not_found"}})", "f")[0].failed);
  // One whose annotated copy failed still holds the detector's faces.
  json annotate_failed = record("a.jpg", {face(0, 0, 10, 10)});
  annotate_failed["error"] = {{"code", "annotate_failed"}, {"message", "disk full"}};
  const auto kept = parse_detection_text(annotate_failed.dump(), "f");
  CHECK_FALSE(kept[0].failed);
  CHECK(kept[0].faces.size() == 1);
}

TEST_CASE("compare: reading a file is linear in its size", "[compare]") {
  // 200,000 records (about 30 MB) in both formats. Counting each record's line from the start of
  // the file made this take hours; read linearly it takes about a second. The generous bound
  // only turns that hang into a failure.
  constexpr std::size_t kRecords = 200'000;
  std::string lines, array = "[\n";
  for (std::size_t i = 0; i < kRecords; ++i) {
    const std::string one =
        record("dir/img" + std::to_string(i) + ".jpg", {face(1, 2, 30, 40)}).dump();
    lines += one + "\n";
    array += one + (i + 1 < kRecords ? ",\n" : "\n]\n");
  }
  for (const bool is_array : {false, true}) {
    // A detached thread owns its text, so a hang cannot outlive the data it reads.
    auto text = std::make_shared<const std::string>(is_array ? array : lines);
    std::promise<std::pair<std::size_t, std::size_t>> done;
    auto parsed = done.get_future();
    std::thread([text, done = std::move(done)]() mutable {
      const auto records = parse_detection_text(*text, "big.jsonl");
      done.set_value({records.size(), records.back().line});
    }).detach();
    REQUIRE(parsed.wait_for(std::chrono::seconds(120)) == std::future_status::ready);
    const auto [count, last_line] = parsed.get();
    CHECK(count == kRecords);
    CHECK(last_line == (is_array ? kRecords + 1 : kRecords));
  }
}

TEST_CASE("compare: bounds pass, fail, and fail when nothing can be measured", "[compare]") {
  std::vector<json> result = reference_records();
  result[0]["faces"].erase(1);  // recall 2/3
  const Agreement agreement = agreement_of(result, reference_records());

  AgreementBounds bounds;
  bounds.min_recall = 0.6;
  bounds.max_extra = 0.0;
  auto checks = check_bounds(agreement, bounds);
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].passed);
  CHECK(checks[1].passed);

  bounds.min_recall = 0.7;
  checks = check_bounds(agreement, bounds);
  CHECK_FALSE(checks[0].passed);
  CHECK(describe(checks[0]) == "recall 0.6667 < 0.7 (--min-recall)");

  const auto nothing = check_bounds(Agreement{}, bounds);
  CHECK_FALSE(nothing[0].passed);
  CHECK_FALSE(nothing[1].passed);
  CHECK_THAT(describe(nothing[0]), Catch::Contains("cannot be measured"));
  CHECK(check_bounds(agreement, AgreementBounds{}).empty());
}

// --- the binary ----------------------------------------------------------------------------

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";
const fs::path kReferenceSamples = fs::path(MTCNN_TEST_DATA_DIR) / "reference-samples.jsonl";

std::string mtcnn_command(const std::string& arguments) {
  return shell_quote(MTCNN_BINARY) + " " + arguments;
}

std::string in_dir(const TempDir& tmp, const std::string& command) {
  return "cd " + shell_quote(tmp.path().string()) + " && " + command;
}

json last_line_json(const std::string& out) {
  const auto lines = split_lines(out);
  if (lines.empty()) return nullptr;
  return json::parse(lines.back());
}

}  // namespace

TEST_CASE("compare e2e: a table, then a JSON summary as the last line", "[compare][e2e]") {
  TempDir tmp;
  std::vector<json> result = reference_records();
  for (json& r : result) r["path"] = "run2/" + r["path"].get<std::string>();
  result[1]["faces"].push_back(face(400, 300, 60, 70));
  write_text(tmp / "result.jsonl", json_lines(result));
  write_text(tmp / "reference.json", json(reference_records()).dump(1));

  const CommandResult run =
      run_shell(in_dir(tmp, mtcnn_command("compare result.jsonl reference.json")), tmp.path());
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);  // no bounds given
  CHECK_THAT(run.out, Catch::Contains("recall") && Catch::Contains("landmark error"));
  const json summary = last_line_json(run.out);
  CHECK(summary["images"] == 2);
  CHECK(summary["reference_faces"] == 3);
  CHECK(summary["recall"] == 1.0);
  CHECK(summary["iou_median"] == 1.0);
  CHECK(summary["extra"] == 0.25);
  CHECK(summary["missing_in_result"] == 0);
  CHECK(summary["passed"] == true);

  // Standard input works for one of the files.
  const CommandResult piped = run_shell(
      in_dir(tmp, "cat result.jsonl | " + mtcnn_command("compare - reference.json")), tmp.path());
  CHECK(piped.exit_code == 0);
  CHECK(last_line_json(piped.out) == summary);
}

TEST_CASE("compare e2e: a violated bound exits 1 and says which", "[compare][e2e]") {
  TempDir tmp;
  std::vector<json> result = reference_records();
  result[0]["faces"].erase(1);  // recall 2/3
  write_text(tmp / "result.jsonl", json_lines(result));
  write_text(tmp / "reference.jsonl", json_lines(reference_records()));

  const CommandResult pass = run_shell(
      in_dir(tmp,
             mtcnn_command("compare --min-recall 0.6 --max-extra 0 result.jsonl reference.jsonl")),
      tmp.path());
  CHECK(pass.exit_code == 0);
  CHECK(last_line_json(pass.out)["passed"] == true);

  const CommandResult fail = run_shell(
      in_dir(tmp,
             mtcnn_command("compare --min-recall 0.9 --max-extra 0 result.jsonl reference.jsonl")),
      tmp.path());
  INFO(fail.out << fail.err);
  CHECK(fail.exit_code == 1);
  const json summary = last_line_json(fail.out);
  CHECK(summary["passed"] == false);
  CHECK(summary["failed_bounds"] == json::array({"--min-recall"}));
  CHECK_THAT(fail.err, Catch::Contains("recall 0.6667 < 0.9 (--min-recall)"));

  const CommandResult landmarks = run_shell(
      in_dir(tmp, mtcnn_command("compare --max-landmark-error 0 --min-median-iou 1 reference.jsonl "
                                "reference.jsonl")),
      tmp.path());
  CHECK(landmarks.exit_code == 0);
}

TEST_CASE("compare e2e: unreadable or malformed files and bad flags exit 2", "[compare][e2e]") {
  TempDir tmp;
  write_text(tmp / "good.jsonl", json_lines(reference_records()));
  write_text(tmp / "bad.jsonl", json_lines(reference_records()) + "{\"path\": \"c.jpg\"\n");
  const auto run = [&](const std::string& arguments) {
    return run_shell(in_dir(tmp, mtcnn_command("compare " + arguments)), tmp.path());
  };

  const CommandResult malformed = run("bad.jsonl good.jsonl");
  CHECK(malformed.exit_code == 2);
  CHECK(malformed.out.empty());
  CHECK_THAT(malformed.err, Catch::Contains("bad.jsonl:3: not valid JSON"));

  const CommandResult missing = run("good.jsonl nowhere.jsonl");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("nowhere.jsonl"));

  CHECK(run("good.jsonl").exit_code == 2);
  CHECK(run("- - < good.jsonl").exit_code == 2);
  CHECK(run("--iou 0 good.jsonl good.jsonl").exit_code == 2);
  CHECK(run("--min-recall 1.5 good.jsonl good.jsonl").exit_code == 2);
  CHECK(run("--max-landmark-error -1 good.jsonl good.jsonl").exit_code == 2);

  const CommandResult help = run("--help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("of any score") && Catch::Contains("--max-extra"));
}

TEST_CASE("compare e2e: the detector agrees with the reference MTCNN on the samples",
          "[compare][e2e][fidelity]") {
  for (const std::string& name : mtcnn::Detector::model_files()) {
    if (!fs::exists(kWeightsDir / name))
      FAIL("missing " << (kWeightsDir / name) << ": run scripts/setup.sh");
  }
  if (!fs::exists(fs::path(MTCNN_SAMPLES_DIR) / "sample6.jpg")) {
    FAIL("missing sample photos in " << MTCNN_SAMPLES_DIR << ": run scripts/setup.sh");
  }
  TempDir tmp;
  const CommandResult detected =
      run_shell(mtcnn_command("detect -q --models " + shell_quote(kWeightsDir.string()) + " -o " +
                              shell_quote((tmp / "ours.jsonl").string()) + " " +
                              shell_quote(MTCNN_SAMPLES_DIR)),
                tmp.path());
  REQUIRE(detected.exit_code == 0);

  const CommandResult compared = run_shell(
      mtcnn_command("compare --min-recall 0.95 --min-median-iou 0.93 --max-landmark-error 0.025 "
                    "--max-extra 0.02 " +
                    shell_quote((tmp / "ours.jsonl").string()) + " " +
                    shell_quote(kReferenceSamples.string())),
      tmp.path());
  INFO(compared.out << compared.err);
  CHECK(compared.exit_code == 0);
  const json summary = last_line_json(compared.out);
  CHECK(summary["images"] == 6);  // every sample paired with the reference's bare file name
  CHECK(summary["missing_in_result"] == 0);
  CHECK(summary["reference_faces"] == 21);
}

TEST_CASE("compare e2e: a reference without landmarks is said to have none", "[compare][e2e]") {
  TempDir tmp;
  std::vector<json> reference = reference_records();
  for (json& r : reference) {
    for (json& f : r["faces"]) f.erase("landmarks");
  }
  write_text(tmp / "result.jsonl", json_lines(reference_records()));
  write_text(tmp / "boxes-only.jsonl", json_lines(reference));
  const CommandResult run =
      run_shell(in_dir(tmp, mtcnn_command("compare result.jsonl boxes-only.jsonl")), tmp.path());
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out,
             Catch::Contains("n/a  (the reference has no landmarks for the 3 found faces)"));
  const CommandResult swapped =
      run_shell(in_dir(tmp, mtcnn_command("compare boxes-only.jsonl result.jsonl")), tmp.path());
  CHECK_THAT(swapped.out, Catch::Contains("(the result has no landmarks"));
}
