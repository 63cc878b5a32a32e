#include <catch2/catch.hpp>
#include <opencv2/dnn.hpp>
#include <vector>

#include "dnn_layers.hpp"
#include "max_pool.hpp"

using mtcnn::detail::max_pool;
using mtcnn::detail::max_pool_size;

namespace {

// OpenCV's own Caffe pooling layer on the same planes: what ours replaces.
cv::Mat opencv_max_pool(const cv::Mat& blob, int kernel, int stride) {
  cv::dnn::LayerParams p;
  p.set("pool", "MAX");
  p.set("kernel_size", kernel);
  p.set("stride", stride);
  cv::dnn::Net net;
  net.addLayerToPrev("pool", "Pooling", p);
  net.setInput(blob);
  return net.forward().clone();
}

cv::Mat random_blob(int n, int c, int h, int w) {
  const int shape[] = {n, c, h, w};
  cv::Mat blob(4, shape, CV_32F);
  cv::randu(blob, -1.0, 1.0);
  return blob;
}

}  // namespace

TEST_CASE("pooled sizes round up, as Caffe's", "[max_pool]") {
  CHECK(max_pool_size(22, 3, 2) == 11);  // R-Net pool1: the last window hangs over
  CHECK(max_pool_size(9, 3, 2) == 4);
  CHECK(max_pool_size(46, 3, 2) == 23);
  CHECK(max_pool_size(8, 2, 2) == 4);
  CHECK(max_pool_size(7, 2, 2) == 4);  // a last window of one column
  CHECK(max_pool_size(3, 3, 2) == 1);
}

TEST_CASE("a window hanging over the edge takes the maximum of what exists", "[max_pool]") {
  // One 3x3 plane, 2x2 windows with stride 2: the windows cover rows/cols {0,1} and {2}.
  const std::vector<float> in = {1, 5, 2,  //
                                 4, 3, 9,  //
                                 7, 8, 6};
  std::vector<float> out(4);
  max_pool(in.data(), 1, 3, 3, 2, 2, out.data());
  CHECK(out == std::vector<float>{5, 9, 8, 6});
}

TEST_CASE("max pooling gives OpenCV's values bit for bit on the networks' shapes", "[max_pool]") {
  struct Case {
    int channels, height, width, kernel, stride;
  };
  const Case cases[] = {
      {10, 382, 286, 2, 2}, {10, 17, 11, 2, 2},  // P-Net, largest and small levels
      {28, 22, 22, 3, 2},   {48, 9, 9, 3, 2},    // R-Net
      {32, 46, 46, 3, 2},   {64, 21, 21, 3, 2},  // O-Net
      {64, 8, 8, 2, 2},     {3, 13, 6, 3, 3},    // O-Net; a kernel/stride of no special path
  };
  cv::RNG& rng = cv::theRNG();
  rng.state = 12345;
  for (const Case& c : cases) {
    const cv::Mat blob = random_blob(2, c.channels, c.height, c.width);
    const cv::Mat expected = opencv_max_pool(blob, c.kernel, c.stride);
    const int out_h = max_pool_size(c.height, c.kernel, c.stride);
    const int out_w = max_pool_size(c.width, c.kernel, c.stride);
    REQUIRE(expected.size[2] == out_h);
    REQUIRE(expected.size[3] == out_w);
    std::vector<float> ours(static_cast<std::size_t>(expected.total()));
    max_pool(blob.ptr<float>(), 2 * c.channels, c.height, c.width, c.kernel, c.stride, ours.data());
    INFO("planes " << c.height << "x" << c.width << ", kernel " << c.kernel);
    CHECK(std::equal(ours.begin(), ours.end(), expected.ptr<float>()));
  }
}

TEST_CASE("pooling layers the networks use become ours, others stay OpenCV's", "[max_pool]") {
  const std::string proto = R"(layer { name: "pool1" type: "Pooling" bottom: "a" top: "b"
      pooling_param { pool: MAX kernel_size: 3 stride: 2 } })";
  const std::string rewritten = mtcnn::detail::with_own_layers(proto);
  CHECK(rewritten.find("\"Pooling\"") == std::string::npos);

  // Average pooling through the renamed type still gets OpenCV's layer (and its values).
  cv::dnn::LayerParams p;
  p.set("pool", "AVE");
  p.set("kernel_size", 2);
  p.set("stride", 2);
  cv::dnn::Net net;
  net.addLayerToPrev("pool", "MtcnnMaxPool", p);
  const int shape[] = {1, 1, 2, 2};
  const float values[] = {1, 2, 3, 6};
  net.setInput(cv::Mat(4, shape, CV_32F, const_cast<float*>(values)));
  CHECK(net.forward().ptr<float>()[0] == Approx(3.0));
}
