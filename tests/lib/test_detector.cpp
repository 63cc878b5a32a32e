// The detector on the sample photos fetched by scripts/setup.sh, with the imported weights.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mtcnn/detector.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kWeights = MTCNN_SOURCE_DIR "/weights";

mtcnn::Detector& detector() {
  static mtcnn::Detector instance = [] {
    if (!fs::exists(kWeights + "/det1.caffemodel"))
      FAIL("no weights in " << kWeights << ": run scripts/setup.sh first");
    return mtcnn::Detector(kWeights);
  }();
  return instance;
}

cv::Mat sample(int n) {
  const std::string path = MTCNN_SAMPLES_DIR "/sample" + std::to_string(n) + ".jpg";
  cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
  if (image.empty()) FAIL("cannot read " << path << ": run scripts/setup.sh first");
  return image;
}

bool inside(const cv::Rect2f& box, cv::Point2f p) {
  return p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height;
}

float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
  const float inter = (a & b).area();
  return inter / (a.area() + b.area() - inter);
}

}  // namespace

TEST_CASE("the detector finds every face of the sample photos", "[detector]") {
  // Faces in the photos, as counted by the reference implementation with the same weights.
  const std::map<int, size_t> expected{{1, 3}, {2, 3}, {3, 3}, {4, 5}, {5, 5}, {6, 4}};
  for (const auto& [n, count] : expected) {
    CAPTURE(n);
    const auto faces = detector().detect(sample(n));
    CHECK(faces.size() == count);
    for (size_t i = 1; i < faces.size(); ++i) CHECK(faces[i - 1].score >= faces[i].score);
  }
}

TEST_CASE("landmarks sit where a face has them", "[detector]") {
  for (int n = 1; n <= 6; ++n) {
    for (const mtcnn::Face& face : detector().detect(sample(n))) {
      CAPTURE(n, face.box, face.score);
      for (const cv::Point2f& p : face.landmarks) CHECK(inside(face.box, p));
      const auto& l = face.landmarks;
      const float eyes_y = (l[mtcnn::kLeftEye].y + l[mtcnn::kRightEye].y) / 2;
      const float mouth_y = (l[mtcnn::kMouthLeft].y + l[mtcnn::kMouthRight].y) / 2;
      CHECK(eyes_y < mouth_y);
      CHECK(l[mtcnn::kLeftEye].x < l[mtcnn::kRightEye].x);
      CHECK(l[mtcnn::kMouthLeft].x < l[mtcnn::kMouthRight].x);
    }
  }
}

TEST_CASE("a mirrored photo gives mirrored faces, left and right swapped", "[detector]") {
  // Guards the transposed input layout and the landmark order: a mix-up of x and y, or of
  // the two eyes, breaks the symmetry.
  const cv::Mat image = sample(5);
  cv::Mat mirrored;
  cv::flip(image, mirrored, 1);
  const auto faces = detector().detect(image);
  const auto flipped = detector().detect(mirrored);
  REQUIRE(faces.size() == flipped.size());
  const float w = static_cast<float>(image.cols);
  for (const mtcnn::Face& face : faces) {
    const cv::Rect2f expected(w - face.box.x - face.box.width, face.box.y, face.box.width,
                              face.box.height);
    const mtcnn::Face* match = nullptr;
    for (const mtcnn::Face& f : flipped)
      if (iou(f.box, expected) > 0.8f) match = &f;
    REQUIRE(match != nullptr);
    const cv::Point2f left_eye = face.landmarks[mtcnn::kLeftEye];
    const cv::Point2f mirrored_right = match->landmarks[mtcnn::kRightEye];
    CHECK(std::abs(w - 1 - mirrored_right.x - left_eye.x) < 0.05f * face.box.width);
    CHECK(std::abs(mirrored_right.y - left_eye.y) < 0.05f * face.box.height);
  }
}

TEST_CASE("a face that leaves the image is still found", "[detector]") {
  // Cut sample 5 through its first face: its crops then need padding.
  const cv::Mat image = sample(5);
  const mtcnn::Face face = detector().detect(image).front();
  const int cut = static_cast<int>(face.box.x + face.box.width * 0.25f);
  const cv::Mat cropped = image.colRange(cut, image.cols).clone();
  bool found = false;
  for (const mtcnn::Face& f : detector().detect(cropped))
    found |= f.score > 0.9f && f.box.x < 0.0f && f.box.y > face.box.y - face.box.height * 0.3f &&
             f.box.y < face.box.y + face.box.height * 0.3f;
  CHECK(found);
}

TEST_CASE("gray photos work, and the same photo gives the same faces twice", "[detector]") {
  cv::Mat gray;
  cv::cvtColor(sample(3), gray, cv::COLOR_BGR2GRAY);
  const auto first = detector().detect(gray);
  const auto second = detector().detect(gray);
  REQUIRE(first.size() == second.size());
  CHECK(first.size() >= 2);
  for (size_t i = 0; i < first.size(); ++i) {
    CHECK(first[i].box == second[i].box);
    CHECK(first[i].score == second[i].score);
  }
}

TEST_CASE("images without faces or too small give no faces", "[detector]") {
  CHECK(detector().detect(cv::Mat()).empty());
  CHECK(detector().detect(cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(90))).empty());
  CHECK(detector().detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar(30, 120, 200))).empty());
  CHECK_THROWS_AS(detector().detect(cv::Mat(20, 20, CV_32FC3)), std::invalid_argument);
}

TEST_CASE("a larger min_face skips the small faces", "[detector]") {
  mtcnn::Options options;
  options.min_face = 150;
  mtcnn::Detector big_only(kWeights, options);
  const cv::Mat image = sample(4);
  const auto all = detector().detect(image);
  const auto big = big_only.detect(image);
  CHECK(big.size() < all.size());
  for (const mtcnn::Face& f : big) CHECK(std::max(f.box.width, f.box.height) > 100);
}

TEST_CASE("max_side searches a shrunk copy and reports in the photo's pixels", "[detector]") {
  const cv::Mat image = sample(1);  // 1920 wide
  const auto full = detector().detect(image);

  mtcnn::Options options;
  options.max_side = 960;
  mtcnn::Detector halved(kWeights, options);
  const auto faces = halved.detect(image);
  REQUIRE(faces.size() == full.size());  // the sample faces are large enough for either
  for (const mtcnn::Face& f : faces) {
    float best = 0;
    for (const mtcnn::Face& g : full) best = std::max(best, iou(f.box, g.box));
    CAPTURE(f.box);
    CHECK(best > 0.7f);
  }

  options.max_side = 1920;  // not exceeded: the photo as is
  mtcnn::Detector unchanged(kWeights, options);
  const auto same = unchanged.detect(image);
  REQUIRE(same.size() == full.size());
  for (size_t i = 0; i < same.size(); ++i) CHECK(same[i].box == full[i].box);
}

TEST_CASE("bad options and missing models are refused with the reason", "[detector]") {
  mtcnn::Options options;
  options.scale_factor = 1.0f;
  CHECK_THROWS_AS(mtcnn::Detector(kWeights, options), mtcnn::OptionsError);
  options = {};
  options.thresholds[1] = 1.5f;
  CHECK_THROWS_AS(mtcnn::Detector(kWeights, options), mtcnn::OptionsError);
  options = {};
  options.max_side = -1;
  CHECK_THROWS_AS(mtcnn::Detector(kWeights, options), mtcnn::OptionsError);
  CHECK_THROWS_WITH(mtcnn::Detector("/nonexistent/models"),
                    Catch::Contains("/nonexistent/models/det1.prototxt"));
}

TEST_CASE("a photo whose pyramid is too large is refused alone", "[detector]") {
  // min_face 1/16 enlarges by 192: a 640x480 photo's first level would be 122881x92161.
  mtcnn::Options options;
  options.min_face = 0.0625f;
  mtcnn::Detector tiny_faces(kWeights, options);
  const cv::Mat large(480, 640, CV_8UC3, cv::Scalar::all(128));
  CHECK_THROWS_AS(tiny_faces.detect(large), mtcnn::PyramidTooLargeError);
  CHECK_THROWS_WITH(tiny_faces.detect(large), Catch::Contains("122881x92161"));
  // The next photo, small enough, is searched (its 961x961 level in tiles).
  CHECK(tiny_faces.detect(cv::Mat(5, 5, CV_8UC3, cv::Scalar::all(128))).empty());
}
