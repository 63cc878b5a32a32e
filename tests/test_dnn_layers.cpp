// The three networks with our own layers against the same networks on OpenCV's layers only.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <opencv2/dnn.hpp>
#include <sstream>

#include "dnn_layers.hpp"

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

    // Pixels as the blobs hold them: (x - 127.5) / 128.
    const int shape[] = {c.batch, 3, c.height, c.width};
    cv::Mat blob(4, shape, CV_32F);
    cv::randu(blob, -1.0, 1.0);
    std::vector<cv::Mat> expected, actual;
    opencv.setInput(blob);
    opencv.forward(expected, c.outputs);
    ours.setInput(blob);
    ours.forward(actual, c.outputs);
    for (std::size_t k = 0; k < c.outputs.size(); ++k) {
      INFO(c.stem << " " << c.outputs[k]);
      REQUIRE(actual[k].total() == expected[k].total());
      CHECK(cv::norm(actual[k], expected[k], cv::NORM_INF) < 1e-4);
      CHECK(cv::norm(expected[k], cv::NORM_INF) > 1e-3);  // not a comparison of zeros
    }
  }
}

TEST_CASE("a convolution our code does not cover is still OpenCV's", "[dnn_layers]") {
  mtcnn::detail::with_own_layers("");  // registers our layer types
  // Padded, which MTCNN's networks never are: our type must hand it to OpenCV's layer.
  cv::dnn::LayerParams p;
  p.set("kernel_size", 3);
  p.set("num_output", 2);
  p.set("pad", 1);
  p.set("bias_term", false);
  const int wshape[] = {2, 1, 3, 3};
  cv::Mat weights(4, wshape, CV_32F);
  cv::randu(weights, -1.0, 1.0);
  p.blobs.push_back(weights);
  const int shape[] = {1, 1, 5, 4};
  cv::Mat blob(4, shape, CV_32F);
  cv::randu(blob, -1.0, 1.0);

  std::vector<cv::Mat> outputs;
  for (const char* type : {"Convolution", "MtcnnConvolution"}) {
    cv::dnn::LayerParams params = p;
    cv::dnn::Net net;
    net.addLayerToPrev("conv", type, params);
    net.setInput(blob);
    outputs.push_back(net.forward().clone());
  }
  REQUIRE(outputs[1].size[2] == 5);  // padded: the plane keeps its size
  CHECK(cv::norm(outputs[0], outputs[1], cv::NORM_INF) == 0.0);
}
