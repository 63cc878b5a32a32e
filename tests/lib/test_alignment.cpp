// Alignment: the least-squares similarity against scikit-image's matrices, its properties on
// synthetic points, and the crops.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <mtcnn/alignment.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

using Catch::Matchers::WithinAbs;
using mtcnn::FivePoints;

namespace {

constexpr const char* kNames[] = {"left_eye", "right_eye", "nose", "mouth_left", "mouth_right"};

FivePoints apply(const cv::Matx23d& m, const FivePoints& points) {
  FivePoints out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const cv::Point2d& p = points[i];
    out[i] = {m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2), m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)};
  }
  return out;
}

}  // namespace

TEST_CASE("alignment: matrices equal scikit-image's for every reference face", "[alignment]") {
  // tests/data/reference-alignment.jsonl: SimilarityTransform.estimate (Umeyama) from the
  // reference detections' landmarks onto the ArcFace template, at 112 and 224.
  std::ifstream in(std::string(MTCNN_TEST_DATA_DIR) + "/reference-alignment.jsonl");
  int faces = 0;
  for (std::string line; std::getline(in, line);) {
    const auto record = nlohmann::json::parse(line);
    FivePoints points;
    for (int i = 0; i < mtcnn::kLandmarkCount; ++i) {
      points[i] = {record["landmarks"][kNames[i]][0].get<double>(),
                   record["landmarks"][kNames[i]][1].get<double>()};
    }
    for (const int size : {112, 224}) {
      const auto expected = record["matrix_" + std::to_string(size)];
      const cv::Matx23d m = mtcnn::similarity_transform(points, mtcnn::arcface_template(size));
      INFO(record["path"] << " face " << record["face"] << " at " << size);
      for (int r = 0; r < 2; ++r) {
        for (int c = 0; c < 3; ++c)
          CHECK_THAT(m(r, c), WithinAbs(expected[r][c].get<double>(), 1e-4));
      }
    }
    ++faces;
  }
  CHECK(faces == 23);  // every face of the reference sample detections
}

TEST_CASE("alignment: a known rotation, scale and translation is recovered", "[alignment]") {
  const FivePoints from = mtcnn::arcface_template(112);
  const double angle = 0.3, scale = 2.5;
  const cv::Matx23d truth(scale * std::cos(angle), -scale * std::sin(angle), 17.0,
                          scale * std::sin(angle), scale * std::cos(angle), -42.5);
  const cv::Matx23d m = mtcnn::similarity_transform(from, apply(truth, from));
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 3; ++c) CHECK_THAT(m(r, c), WithinAbs(truth(r, c), 1e-5));
  }
}

TEST_CASE("alignment: a mirrored face still gets a proper rotation", "[alignment]") {
  FivePoints mirrored = mtcnn::arcface_template(112);
  for (cv::Point2d& p : mirrored) p.x = 200 - p.x;  // left and right swapped
  const cv::Matx23d m = mtcnn::similarity_transform(mirrored, mtcnn::arcface_template(112));
  const double determinant = m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0);
  CHECK(determinant > 0);                          // no reflection
  CHECK_THAT(m(0, 0), WithinAbs(m(1, 1), 1e-12));  // a similarity: [a -b; b a]
  CHECK_THAT(m(0, 1), WithinAbs(-m(1, 0), 1e-12));
}

TEST_CASE("alignment: the ArcFace template scales with the crop size", "[alignment]") {
  const FivePoints small = mtcnn::arcface_template(112);
  const FivePoints large = mtcnn::arcface_template(224);
  CHECK(small[0] == cv::Point2d(38.2946, 51.6963));
  CHECK_THAT(large[4].y, WithinAbs(2 * 92.2041, 1e-9));
}

TEST_CASE("alignment: a box crop is the square around the box, grown by the margin",
          "[alignment]") {
  const cv::Rect2f box(100, 50, 40, 60);                     // centre (120, 80), square side 60
  const cv::Matx23d m = mtcnn::box_transform(box, 0.5, 90);  // side 90: scale 1
  CHECK_THAT(m(0, 0), WithinAbs(1.0, 1e-12));
  CHECK_THAT(m(0, 2), WithinAbs(-(120 - 45), 1e-9));
  CHECK_THAT(m(1, 2), WithinAbs(-(80 - 45), 1e-9));

  // A white square on black: the crop of its box is all white, the margin black.
  cv::Mat image(200, 300, CV_8UC3, cv::Scalar::all(0));
  image(cv::Rect(100, 50, 60, 60)).setTo(cv::Scalar::all(255));
  const cv::Mat tight = mtcnn::box_crop(image, cv::Rect2f(100, 50, 60, 60), 0, 30);
  REQUIRE(tight.size() == cv::Size(30, 30));
  CHECK(cv::countNonZero(tight.reshape(1) == 255) == 30 * 30 * 3);
  const cv::Mat loose = mtcnn::box_crop(image, cv::Rect2f(100, 50, 60, 60), 1.0, 40);
  CHECK(loose.at<cv::Vec3b>(20, 20) == cv::Vec3b(255, 255, 255));
  CHECK(loose.at<cv::Vec3b>(2, 2) == cv::Vec3b(0, 0, 0));
  // Past the image border the crop is black, not stretched.
  const cv::Mat edge = mtcnn::box_crop(image, cv::Rect2f(-20, -20, 40, 40), 0, 40);
  CHECK(edge.size() == cv::Size(40, 40));
}

TEST_CASE("alignment: the warp puts the landmarks on the template", "[alignment]") {
  // Dots at five points of a photo; after the warp they sit on the template's points.
  const FivePoints tmpl = mtcnn::arcface_template(112);
  const cv::Matx23d placed(1.8, -0.4, 300, 0.4, 1.8, 120);  // template -> photo
  const FivePoints in_photo = apply(placed, tmpl);
  cv::Mat photo(600, 800, CV_8UC3, cv::Scalar::all(0));
  for (const cv::Point2d& p : in_photo) cv::circle(photo, p, 4, cv::Scalar::all(255), -1);
  const cv::Mat crop = mtcnn::warp_crop(photo, mtcnn::similarity_transform(in_photo, tmpl), 112);
  REQUIRE(crop.size() == cv::Size(112, 112));
  for (const cv::Point2d& p : tmpl) {
    CHECK(crop.at<cv::Vec3b>(static_cast<int>(std::lround(p.y)),
                             static_cast<int>(std::lround(p.x)))[0] > 200);
  }
}
