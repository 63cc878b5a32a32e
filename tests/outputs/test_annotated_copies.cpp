// Annotated copies: drawn, encoded in the input's format, written under the output folder.
#include <catch2/catch.hpp>

#include "common/exit_status.hpp"
#include "outputs/annotated_copies.hpp"
#include "records/image_error.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

// What the pipeline does with an annotated copy: prepare on a worker, commit in order.
void annotate(AnnotatedCopies& copies, const std::string& path, bool with_face = true) {
  Record record;
  record.path = path;
  record.size = cv::Size(200, 100);
  if (with_face) record.faces = {sample_face()};
  auto files = copies.prepare(record, path, synthetic_image(200, 100));
  copies.commit(record, files);
}

}  // namespace

TEST_CASE("cli: annotated copies mirror the input tree in the input's format", "[cli][writers]") {
  TempDir tmp;
  const std::vector<InputFile> no_inputs;
  AnnotatedCopies copies(OutputTree(tmp / "out" / "annotated", "--annotate", no_inputs));
  annotate(copies, "top.jpg");
  annotate(copies, "sub/deeper/photo.PNG");
  annotate(copies, "no-face.png", false);

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
    annotate(copies, "blocked/photo.jpg");
    FAIL("no failure reported");
  } catch (const ImageFailure& failure) {
    CHECK(failure.code() == ErrorCode::kAnnotateFailed);
  }
  CHECK_THROWS_AS(OutputTree(tmp / "out" / "blocked", "--annotate", no_inputs), SetupError);
}
