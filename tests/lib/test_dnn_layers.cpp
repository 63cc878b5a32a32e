// The three networks with our own layers against the same networks on OpenCV's layers only, and
// which layers are ours.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <opencv2/dnn.hpp>
#include <regex>
#include <sstream>
#include <utility>

#include "direct_conv.hpp"
#include "dnn_layers.hpp"
#include "networks.hpp"

using mtcnn::detail::ConvLayer;
using mtcnn::detail::MaxPoolLayer;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read " << path << ": run scripts/setup.sh first");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

cv::dnn::Net load(const std::string& proto, const std::string& weights) {
  cv::dnn::Net net =
      cv::dnn::readNetFromCaffe(proto.data(), proto.size(), weights.data(), weights.size());
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  return net;
}

// The largest difference of a bf16 network's outputs (probabilities, box offsets, landmarks) from
// the fp32 network's on random inputs: measured at most 0.0043 (P-Net), 0.0016 (R-Net), 0.00094
// (O-Net) on this test's inputs; five times that, so that only a broken path fails.
constexpr double kBf16NetTolerance = 0.02;

bool our_convolutions() { return mtcnn::detail::conv_isa_supported(mtcnn::detail::ConvIsa::kAvx2); }

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
  const int id = net.addLayerToPrev("conv", type, params);
  net.setInput(blob);
  cv::Mat out = net.forward().clone();
  return {dynamic_cast<ConvLayer*>(net.getLayer(id).get()) != nullptr, out};
}

cv::Mat random_mat(std::initializer_list<int> shape) {
  cv::Mat m(static_cast<int>(shape.size()), std::data(shape), CV_32F);
  cv::randu(m, -1.0, 1.0);
  return m;
}

// A 3x3 convolution of 2 channels into 2 without bias, as MTCNN's are but for the bias.
cv::dnn::LayerParams conv_params() {
  cv::dnn::LayerParams p;
  p.set("kernel_size", 3);
  p.set("num_output", 2);
  p.set("bias_term", false);
  p.blobs.push_back(random_mat({2, 2, 3, 3}));
  return p;
}

// Both nets on one random input of `shape`, uniform in [-1, 1] as the pixels in the blobs are
// ((x - 127.5) / 128): their `outputs`, in order.
void forward_both(cv::dnn::Net& a, cv::dnn::Net& b, const std::vector<int>& shape,
                  const std::vector<std::string>& outputs, std::vector<cv::Mat>& from_a,
                  std::vector<cv::Mat>& from_b) {
  cv::Mat blob(static_cast<int>(shape.size()), shape.data(), CV_32F);
  cv::randu(blob, -1.0, 1.0);
  a.setInput(blob);
  a.forward(from_a, outputs);
  b.setInput(blob);
  b.forward(from_b, outputs);
}
}  // namespace

TEST_CASE("our layers give OpenCV's outputs on P-Net, R-Net and O-Net", "[dnn_layers]") {
  struct Case {
    const char* stem;
    int batch, height, width;
    std::vector<cv::String> outputs;
  };
  const Case cases[] = {
      {"det1", 1, 97, 73, {"conv4-2", "prob1"}},  // a pyramid level
      {"det1", 1, 12, 12, {"conv4-2", "prob1"}},  // a single window
      {"det2", 5, 24, 24, {"conv5-2", "prob1"}},
      {"det3", 3, 48, 48, {"conv6-2", "conv6-3", "prob1"}},
  };
  cv::theRNG().state = 2016;
  for (const Case& c : cases) {
    const std::string dir = MTCNN_SOURCE_DIR "/weights/";
    const std::string proto = read(dir + c.stem + ".prototxt");
    const std::string weights = read(dir + c.stem + ".caffemodel");
    const std::string ours_proto = mtcnn::detail::with_own_layers(proto);
    REQUIRE(ours_proto != proto);
    cv::dnn::Net opencv = load(proto, weights);
    cv::dnn::Net ours = load(ours_proto, weights);

    std::vector<cv::Mat> expected, actual;
    forward_both(opencv, ours, {c.batch, 3, c.height, c.width}, c.outputs, expected, actual);
    for (std::size_t k = 0; k < c.outputs.size(); ++k) {
      INFO(c.stem << " " << c.outputs[k]);
      REQUIRE(actual[k].total() == expected[k].total());
      CHECK(cv::norm(actual[k], expected[k], cv::NORM_INF) < 1e-4);
      CHECK(cv::norm(expected[k], cv::NORM_INF) > 1e-3);  // not a comparison of zeros
    }
  }
}

TEST_CASE("a convolution our code does not compute is OpenCV's layer, with OpenCV's values",
          "[dnn_layers]") {
  cv::theRNG().state = 7;
  const cv::Mat blob = random_mat({1, 2, 7, 8});
  std::vector<std::pair<const char*, cv::dnn::LayerParams>> cases;
  cases.emplace_back("padded", conv_params());
  cases.back().second.set("pad", 1);
  cases.emplace_back("stride 2", conv_params());
  cases.back().second.set("stride", 2);
  cases.emplace_back("dilated", conv_params());
  cases.back().second.set("dilation", 2);
  cases.emplace_back("grouped", conv_params());
  cases.back().second.set("group", 2);
  cases.back().second.blobs[0] = random_mat({2, 1, 3, 3});
  cases.emplace_back("SAME padding mode", conv_params());
  cases.back().second.set("pad_mode", "SAME");
  cases.emplace_back("padding given per side", conv_params());
  for (const char* side : {"pad_t", "pad_l", "pad_b", "pad_r"}) cases.back().second.set(side, 1);
  cases.emplace_back("per-axis strides", conv_params());
  cases.back().second.set("stride_h", 1);
  cases.back().second.set("stride_w", 2);
  const int pair[] = {3, 3};
  cases.emplace_back("a kernel size per axis", conv_params());
  cases.back().second.set("kernel_size", cv::dnn::DictValue::arrayInt(pair, 2));
  cases.emplace_back("a bias term without a bias blob", conv_params());
  cases.back().second.set("bias_term", true);
  cases.emplace_back("a parameter we do not know", conv_params());
  cases.back().second.set("unknown_option", 1);
  for (const auto& [what, params] : cases) {
    INFO(what);
    CHECK_FALSE(ConvLayer::covers(params));
    const LayerRun opencv = run_layer("Convolution", params, blob);
    const LayerRun ours = run_layer("MtcnnConvolution", params, blob);
    CHECK_FALSE(ours.ours);
    REQUIRE(ours.out.total() == opencv.out.total());
    CHECK(std::memcmp(ours.out.data, opencv.out.data, opencv.out.total() * sizeof(float)) == 0);
  }
}

TEST_CASE("a convolution as MTCNN's is our layer where the CPU has AVX2", "[dnn_layers]") {
  cv::theRNG().state = 8;
  const cv::Mat blob = random_mat({1, 2, 7, 8});
  cv::dnn::LayerParams with_bias = conv_params();
  with_bias.set("bias_term", true);
  with_bias.blobs.push_back(random_mat({2}));
  // As Caffe's importer gives them: defaults spelled out, the fillers flattened in.
  with_bias.set("stride", 1);
  with_bias.set("pad", 0);
  with_bias.set("type", "xavier");
  for (const cv::dnn::LayerParams& params : {conv_params(), with_bias}) {
    CHECK(ConvLayer::covers(params) == our_convolutions());
    const LayerRun opencv = run_layer("Convolution", params, blob);
    const LayerRun ours = run_layer("MtcnnConvolution", params, blob);
    CHECK(ours.ours == our_convolutions());
    CHECK(cv::norm(ours.out, opencv.out, cv::NORM_INF) < 1e-5);
  }
}

TEST_CASE("the detector's networks run our convolution and pooling layers", "[dnn_layers]") {
  // Were our layers refused (say, by covers() after an OpenCV update), every output would still
  // be right and only the speed would be lost: check the layers the detector gets by type.
  const std::regex convolution(R"(type\s*:\s*"Convolution")"), pooling(R"(type\s*:\s*"Pooling")");
  const std::pair<const char*, int> networks[] = {{"det1", 12}, {"det2", 24}, {"det3", 48}};
  for (const auto& [stem, size] : networks) {
    const std::string dir = MTCNN_SOURCE_DIR "/weights";
    // As the detector loads them (NetworkSource also runs a first forward pass).
    cv::dnn::Net net = mtcnn::detail::NetworkSource(dir, stem, size).create();
    const int shape[] = {1, 3, size, size};
    net.setInput(cv::Mat(4, shape, CV_32F, cv::Scalar(0.5)));
    net.forward();

    const std::string proto = read(dir + "/" + stem + ".prototxt");
    const auto count = [&proto](const std::regex& type) {
      return std::distance(std::sregex_iterator(proto.begin(), proto.end(), type),
                           std::sregex_iterator());
    };
    long convolutions = 0, poolings = 0;
    for (const std::string& name : net.getLayerNames()) {
      const cv::Ptr<cv::dnn::Layer> layer = net.getLayer(net.getLayerId(name));
      INFO(stem << " " << name << " " << layer->type);
      if (layer->type == "Convolution" || layer->type == "MtcnnConvolution") {
        ++convolutions;
        CHECK((dynamic_cast<ConvLayer*>(layer.get()) != nullptr) == our_convolutions());
      } else if (layer->type == "Pooling" || layer->type == "MtcnnMaxPool") {
        ++poolings;
        CHECK(dynamic_cast<MaxPoolLayer*>(layer.get()) != nullptr);
      }
    }
    INFO(stem);
    CHECK(convolutions > 0);
    CHECK(convolutions == count(convolution));
    CHECK(poolings > 0);
    CHECK(poolings == count(pooling));
  }
}

TEST_CASE("bf16 networks run our bf16 layers, close to the fp32 networks", "[dnn_layers]") {
  using mtcnn::detail::ConvPrecision;
  struct Case {
    const char* stem;
    int batch, size;
    std::vector<cv::String> outputs;
  };
  const Case cases[] = {
      {"det1", 1, 97, {"conv4-2", "prob1"}},
      {"det2", 32, 24, {"conv5-2", "prob1"}},
      {"det3", 8, 48, {"conv6-2", "conv6-3", "prob1"}},
  };
  const bool bf16 = mtcnn::detail::conv_isa_supported(mtcnn::detail::ConvIsa::kAvx512Bf16);
  if (!bf16) WARN("this CPU lacks AVX512_BF16: the bf16 networks compute in fp32");
  cv::theRNG().state = 2024;
  for (const Case& c : cases) {
    const std::string dir = MTCNN_SOURCE_DIR "/weights";
    cv::dnn::Net fp32 = mtcnn::detail::NetworkSource(dir, c.stem, c.size).create();
    cv::dnn::Net low =
        mtcnn::detail::NetworkSource(dir, c.stem, c.size, ConvPrecision::kBf16).create();
    std::vector<cv::Mat> expected, actual;
    forward_both(fp32, low, {c.batch, 3, c.size, c.size}, c.outputs, expected, actual);
    int ours = 0;
    for (const std::string& name : low.getLayerNames()) {
      const auto* layer = dynamic_cast<ConvLayer*>(low.getLayer(low.getLayerId(name)).get());
      if (layer != nullptr) {
        ++ours;
        CHECK(layer->precision() == ConvPrecision::kBf16);
      }
    }
    CHECK((ours > 0) == our_convolutions());
    for (std::size_t k = 0; k < c.outputs.size(); ++k) {
      const double difference = cv::norm(actual[k], expected[k], cv::NORM_INF);
      INFO(c.stem << " " << c.outputs[k] << ": largest difference " << difference);
      CHECK(difference < kBf16NetTolerance);
      if (bf16 && our_convolutions()) CHECK(difference > 0);  // bf16 did run
    }
  }
}
