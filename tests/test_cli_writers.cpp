// The writers: atomic files, JSON Lines and array output, annotated images.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/exit_status.hpp"
#include "cli/image_error.hpp"
#include "cli/writers/annotated_copies.hpp"
#include "cli/writers/atomic_file.hpp"
#include "cli/writers/json_array_writer.hpp"
#include "cli/writers/json_lines_writer.hpp"
#include "test_cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

ImageResult result_for(const std::string& path, bool with_face = true) {
  ImageResult result;
  result.record.path = path;
  result.record.size = cv::Size(200, 100);
  result.mirror_path = path;
  if (with_face) {
    mtcnn::Face face;
    face.box = cv::Rect2f(50, 20, 60, 70);
    face.score = 0.98f;
    for (int i = 0; i < mtcnn::kLandmarkCount; ++i) {
      face.landmarks[i] = cv::Point2f(60.f + 10 * i, 40.f + 5 * i);
    }
    result.record.faces = {face};
  }
  return result;
}

ImageResult failed_result(const std::string& path) {
  ImageResult result;
  result.record.path = path;
  result.mirror_path = path;
  mark_failed(result.record, ErrorCode::kDecodeFailed, "not an image");
  return result;
}

bool temporaries_left(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("cli: temporary names sit next to the target and carry the pid", "[cli][writers]") {
  CHECK(temporary_path_for("out/faces.jsonl") ==
        "out/faces.jsonl.tmp-" + std::to_string(::getpid()));
}

TEST_CASE("cli: -o output appears only when the batch is complete", "[cli][writers]") {
  TempDir tmp;
  const fs::path target = tmp / "faces.jsonl";
  {
    JsonLinesWriter writer{TextOutput(target)};
    writer.write(result_for("a.jpg"));
    writer.write(failed_result("b.jpg"));
    CHECK_FALSE(fs::exists(target));
    CHECK(fs::exists(temporary_path_for(target)));
    writer.finish();
  }
  CHECK_FALSE(temporaries_left(tmp.path()));
  const auto lines = split_lines(read_text(target));
  REQUIRE(lines.size() == 2);
  CHECK(nlohmann::json::parse(lines[0])["path"] == "a.jpg");
  CHECK(nlohmann::json::parse(lines[1])["error"]["code"] == "decode_failed");
}

TEST_CASE("cli: an aborted batch leaves no partial file and keeps the old one", "[cli][writers]") {
  TempDir tmp;
  const fs::path fresh = tmp / "fresh.jsonl";
  const fs::path existing = tmp / "existing.jsonl";
  write_text(existing, "previous run\n");
  {
    JsonLinesWriter first{TextOutput(fresh)};
    JsonLinesWriter second{TextOutput(existing)};
    first.write(result_for("a.jpg"));
    second.write(result_for("a.jpg"));
    // Destroyed without finish(), as when run_batch rethrows.
  }
  CHECK_FALSE(fs::exists(fresh));
  CHECK(read_text(existing) == "previous run\n");
  CHECK_FALSE(temporaries_left(tmp.path()));
}

TEST_CASE("cli: an output file in a missing directory fails up front", "[cli][writers]") {
  TempDir tmp;
  CHECK_THROWS_AS(TextOutput(tmp / "no" / "such" / "dir" / "faces.jsonl"), std::runtime_error);
}

TEST_CASE("cli: the JSON array writer writes one valid array", "[cli][writers]") {
  TempDir tmp;
  {
    JsonArrayWriter writer{TextOutput(tmp / "none.json")};
    writer.finish();
  }
  CHECK(read_text(tmp / "none.json") == "[]\n");
  {
    JsonArrayWriter writer{TextOutput(tmp / "two.json")};
    writer.write(result_for("a.jpg"));
    writer.write(failed_result("b.jpg"));
    writer.finish();
  }
  const auto parsed = nlohmann::json::parse(read_text(tmp / "two.json"));
  REQUIRE(parsed.is_array());
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0]["faces"].size() == 1);
  CHECK(parsed[1]["error"]["code"] == "decode_failed");
  // One record per line, so line-oriented tools still work on it.
  CHECK(split_lines(read_text(tmp / "two.json")).size() == 4);
}

TEST_CASE("cli: write_file_atomically replaces the target in one step", "[cli][writers]") {
  TempDir tmp;
  write_text(tmp / "x.bin", "old");
  write_file_atomically(tmp / "x.bin", std::vector<std::uint8_t>{'n', 'e', 'w'});
  CHECK(read_text(tmp / "x.bin") == "new");
  CHECK_FALSE(temporaries_left(tmp.path()));
  CHECK_THROWS_AS(write_file_atomically(tmp / "missing" / "x.bin", std::vector<std::uint8_t>{1}),
                  std::runtime_error);
}

// What the pipeline does with an annotated copy: prepare on a worker, commit in order.
void annotate(AnnotatedCopies& copies, const ImageResult& result) {
  Record record = result.record;
  auto files = copies.prepare(record, result.mirror_path, synthetic_image(200, 100));
  copies.commit(record, files);
}

TEST_CASE("cli: annotated copies mirror the input tree in the input's format", "[cli][writers]") {
  TempDir tmp;
  const std::vector<InputFile> no_inputs;
  AnnotatedCopies copies(OutputTree(tmp / "out" / "annotated", "--annotate", no_inputs));
  annotate(copies, result_for("top.jpg"));
  annotate(copies, result_for("sub/deeper/photo.PNG"));
  annotate(copies, result_for("no-face.png", false));

  const fs::path out = tmp / "out" / "annotated";
  const cv::Mat top = cv::imread((out / "top.jpg").string());
  REQUIRE_FALSE(top.empty());
  CHECK(top.size() == cv::Size(200, 100));
  CHECK(cv::imread((out / "sub" / "deeper" / "photo.PNG").string()).size() == cv::Size(200, 100));
  CHECK(fs::exists(out / "no-face.png"));  // still written: "checked, nothing found"
  CHECK_FALSE(temporaries_left(tmp.path()));

  // Something was drawn on the face, nothing far away from it.
  const cv::Mat original = synthetic_image(200, 100);
  const cv::Mat drawn = cv::imread((out / "no-face.png").string());
  const cv::Mat annotated = cv::imread((out / "sub" / "deeper" / "photo.PNG").string());
  CHECK(cv::norm(drawn, original, cv::NORM_INF) == 0);
  CHECK(cv::norm(annotated, original, cv::NORM_INF) > 0);
  const cv::Rect far_corner(170, 0, 30, 15);
  CHECK(cv::norm(annotated(far_corner), original(far_corner), cv::NORM_INF) == 0);
}

TEST_CASE("cli: formats OpenCV cannot write in colour get .png appended", "[cli][writers]") {
  CHECK(AnnotatedCopies::output_name("a.jpg") == "a.jpg");
  CHECK(AnnotatedCopies::output_name("d/a.JPEG") == "d/a.JPEG");
  CHECK(AnnotatedCopies::output_name("a.tif") == "a.tif");
  CHECK(AnnotatedCopies::output_name("a.pgm") == "a.pgm.png");
  CHECK(AnnotatedCopies::output_name("a.gif") == "a.gif.png");
  CHECK(AnnotatedCopies::output_name("README") == "README.png");
}

TEST_CASE("cli: a copy that cannot be written is a per-image failure", "[cli][writers]") {
  TempDir tmp;
  const std::vector<InputFile> no_inputs;
  AnnotatedCopies copies(OutputTree(tmp / "out", "--annotate", no_inputs));
  write_text(tmp / "out" / "blocked", "a file where a directory should be");
  try {
    annotate(copies, result_for("blocked/photo.jpg"));
    FAIL("no failure reported");
  } catch (const ImageFailure& failure) {
    CHECK(failure.code() == ErrorCode::kAnnotateFailed);
  }
  CHECK_THROWS_AS(OutputTree(tmp / "out" / "blocked", "--annotate", no_inputs), SetupError);
}
