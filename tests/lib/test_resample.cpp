#include <catch2/catch.hpp>

#include "resample.hpp"

using mtcnn::detail::resize_by_bin_average;

namespace {

// A one-row (or one-column) CV_32FC3 image with the same value in every channel.
cv::Mat row_of(std::initializer_list<float> values) {
  cv::Mat m(1, static_cast<int>(values.size()), CV_32FC3);
  int i = 0;
  for (float v : values) m.at<cv::Vec3f>(0, i++) = {v, v, v};
  return m;
}

}  // namespace

TEST_CASE("halving averages 2x2 blocks", "[resample]") {
  cv::Mat src(4, 4, CV_32FC3);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x) src.at<cv::Vec3f>(y, x) = cv::Vec3f::all(float(y * 4 + x));
  cv::Mat dst;
  resize_by_bin_average(src, dst, {2, 2});
  REQUIRE(dst.size() == cv::Size(2, 2));
  CHECK(dst.at<cv::Vec3f>(0, 0)[0] == Approx((0 + 1 + 4 + 5) / 4.0));
  CHECK(dst.at<cv::Vec3f>(1, 1)[2] == Approx((10 + 11 + 14 + 15) / 4.0));
}

TEST_CASE("bins of a non-integer ratio overlap by whole pixels", "[resample]") {
  // 3 -> 2: bins [0, 2) and [1, 3).
  cv::Mat dst;
  resize_by_bin_average(row_of({1, 3, 8}), dst, {2, 1});
  CHECK(dst.at<cv::Vec3f>(0, 0)[0] == Approx(2.0));
  CHECK(dst.at<cv::Vec3f>(0, 1)[0] == Approx(5.5));
}

TEST_CASE("enlarging repeats pixels", "[resample]") {
  cv::Mat dst;
  resize_by_bin_average(row_of({1, 5}), dst, {4, 1});
  CHECK(dst.at<cv::Vec3f>(0, 0)[1] == Approx(1));
  CHECK(dst.at<cv::Vec3f>(0, 1)[1] == Approx(1));
  CHECK(dst.at<cv::Vec3f>(0, 2)[1] == Approx(5));
  CHECK(dst.at<cv::Vec3f>(0, 3)[1] == Approx(5));
}

TEST_CASE("channels are averaged separately", "[resample]") {
  cv::Mat src(2, 2, CV_32FC3);
  src.at<cv::Vec3f>(0, 0) = {0, 10, 100};
  src.at<cv::Vec3f>(0, 1) = {2, 10, 100};
  src.at<cv::Vec3f>(1, 0) = {4, 30, 100};
  src.at<cv::Vec3f>(1, 1) = {6, 30, 300};
  cv::Mat dst;
  resize_by_bin_average(src, dst, {1, 1});
  CHECK(dst.at<cv::Vec3f>(0, 0)[0] == Approx(3));
  CHECK(dst.at<cv::Vec3f>(0, 0)[1] == Approx(20));
  CHECK(dst.at<cv::Vec3f>(0, 0)[2] == Approx(150));
}

TEST_CASE("a region resampled alone equals that region of the whole, bit for bit", "[resample]") {
  using mtcnn::detail::resize_to_planes_transposed;
  cv::Mat bgr(61, 47, CV_8UC3);
  cv::RNG rng(11);
  rng.fill(bgr, cv::RNG::UNIFORM, 0, 256);
  cv::Mat floats;
  bgr.convertTo(floats, CV_32F, 1.0 / 255);
  for (const cv::Mat& src : {bgr, floats}) {
    // Shrinking by uneven ratios, the same size, and enlarging.
    for (const cv::Size size : {cv::Size(29, 37), cv::Size(47, 61), cv::Size(101, 77)}) {
      std::vector<float> whole(3 * size.area());
      resize_to_planes_transposed(src, size, whole.data());
      for (const cv::Rect part :
           {cv::Rect(0, 0, size.width, size.height), cv::Rect(3, 5, 14, 9),
            cv::Rect(size.width - 14, size.height - 14, 14, 14), cv::Rect(1, 0, 1, size.height)}) {
        CAPTURE(src.type(), size, part);
        std::vector<float> planes(3 * part.area());
        resize_to_planes_transposed(src, size, part, planes.data());
        bool equal = true;
        for (int c = 0; c < 3; ++c)
          for (int x = 0; x < part.width; ++x)
            for (int y = 0; y < part.height; ++y)
              equal &= planes[(c * part.width + x) * part.height + y] ==
                       whole[(c * size.width + part.x + x) * size.height + part.y + y];
        CHECK(equal);
      }
    }
  }
}
