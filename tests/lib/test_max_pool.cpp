#include <catch2/catch.hpp>
#include <cstring>
#include <opencv2/dnn.hpp>
#include <stdexcept>
#include <vector>

#include "dnn_layers.hpp"
#include "max_pool.hpp"

using mtcnn::detail::max_pool;
using mtcnn::detail::max_pool_size;
using mtcnn::detail::MaxPoolLayer;

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

// A one-layer net of `type` built from `p`, run on `blob`: whether the layer is ours, and its
// output.
struct LayerRun {
  bool ours;
  cv::Mat out;
};

LayerRun run_layer(const char* type, const cv::dnn::LayerParams& p, const cv::Mat& blob) {
  mtcnn::detail::with_own_layers("");  // registers our layer types
  cv::dnn::LayerParams params = p;
  cv::dnn::Net net;
  const int id = net.addLayerToPrev("pool", type, params);
  net.setInput(blob);
  cv::Mat out = net.forward().clone();
  return {dynamic_cast<MaxPoolLayer*>(net.getLayer(id).get()) != nullptr, out};
}

bool same_bits(const cv::Mat& a, const cv::Mat& b) {
  return a.dims == b.dims && std::equal(a.size.p, a.size.p + a.dims, b.size.p) &&
         a.type() == b.type() && std::memcmp(a.data, b.data, a.total() * a.elemSize()) == 0;
}

cv::dnn::LayerParams max_params(int kernel, int stride) {
  cv::dnn::LayerParams p;
  p.set("pool", "MAX");
  p.set("kernel_size", kernel);
  p.set("stride", stride);
  return p;
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

TEST_CASE("max_pool refuses a stride it would compute wrongly", "[max_pool]") {
  const std::vector<float> in(49, 1.0f);
  std::vector<float> out(64);
  // 2x2 windows 4 apart on 7 columns: the last window would start past the row.
  CHECK_THROWS_AS(max_pool(in.data(), 1, 7, 7, 2, 4, out.data()), std::invalid_argument);
  CHECK_THROWS_AS(max_pool(in.data(), 1, 7, 7, 2, 0, out.data()), std::invalid_argument);
  CHECK_THROWS_AS(max_pool(in.data(), 1, 7, 7, 0, 1, out.data()), std::invalid_argument);
  CHECK_THROWS_AS(max_pool(in.data(), 1, 1, 7, 2, 2, out.data()), std::invalid_argument);
}

TEST_CASE("pooling our code does not compute is OpenCV's layer, with OpenCV's values",
          "[max_pool]") {
  cv::theRNG().state = 4;
  // Planes whose last windows start past the edge with a stride larger than the kernel.
  const cv::Mat blob = random_blob(2, 3, 7, 9);
  std::vector<std::pair<const char*, cv::dnn::LayerParams>> cases;
  cases.emplace_back("stride > kernel", max_params(2, 4));
  cases.emplace_back("stride > kernel, windows inside", max_params(2, 3));
  cases.emplace_back("padded", max_params(3, 2));
  cases.back().second.set("pad", 1);
  cases.emplace_back("rounded down", max_params(3, 2));
  cases.back().second.set("ceil_mode", false);
  cases.emplace_back("VALID padding mode (rounds down)", max_params(3, 2));
  cases.back().second.set("pad_mode", "VALID");
  cases.emplace_back("SAME padding mode", max_params(3, 2));
  cases.back().second.set("pad_mode", "SAME");
  cases.emplace_back("rectangular kernel", max_params(3, 2));
  cases.back().second.erase("kernel_size");
  cases.back().second.set("kernel_h", 3);
  cases.back().second.set("kernel_w", 2);
  cases.emplace_back("per-axis strides", max_params(3, 2));
  cases.back().second.set("stride_h", 1);
  cases.back().second.set("stride_w", 2);
  cases.emplace_back("padding on one side", max_params(3, 2));
  for (const char* side : {"pad_t", "pad_l", "pad_b", "pad_r"}) {
    cases.back().second.set(side, side[4] == 'r' ? 1 : 0);
  }
  const int pair[] = {3, 2};
  cases.emplace_back("a kernel per axis", max_params(3, 2));
  cases.back().second.set("kernel_size", cv::dnn::DictValue::arrayInt(pair, 2));
  cases.emplace_back("average", max_params(3, 2));
  cases.back().second.set("pool", "AVE");
  cases.emplace_back("a parameter we do not know", max_params(3, 2));
  cases.back().second.set("round_mode", "FLOOR");
  for (const auto& [what, params] : cases) {
    INFO(what);
    CHECK_FALSE(MaxPoolLayer::covers(params));
    const LayerRun opencv = run_layer("Pooling", params, blob);
    const LayerRun ours = run_layer("MtcnnMaxPool", params, blob);
    CHECK_FALSE(ours.ours);
    CHECK(same_bits(ours.out, opencv.out));
  }

  // Stride 0: OpenCV's layer refuses it, where ours would have divided by zero.
  const cv::dnn::LayerParams zero = max_params(2, 0);
  CHECK_FALSE(MaxPoolLayer::covers(zero));
  CHECK_THROWS_AS(run_layer("MtcnnMaxPool", zero, blob), cv::Exception);
}

TEST_CASE("pooling our code computes is our layer, with OpenCV's values", "[max_pool]") {
  cv::theRNG().state = 5;
  const cv::Mat blob = random_blob(2, 3, 11, 8);
  const std::pair<int, int> windows[] = {{3, 2}, {2, 2}, {3, 3}, {2, 1}, {1, 1}};
  for (const auto& [kernel, stride] : windows) {
    INFO("kernel " << kernel << ", stride " << stride);
    cv::dnn::LayerParams params = max_params(kernel, stride);
    params.set("pad", 0);
    params.set("ceil_mode", true);
    CHECK(MaxPoolLayer::covers(params));
    const LayerRun opencv = run_layer("Pooling", params, blob);
    const LayerRun ours = run_layer("MtcnnMaxPool", params, blob);
    CHECK(ours.ours);
    CHECK(same_bits(ours.out, opencv.out));
  }
}
