#include "dnn_layers.hpp"

#include <mutex>
#include <opencv2/dnn.hpp>
#include <opencv2/dnn/all_layers.hpp>
#include <opencv2/dnn/layer.details.hpp>
#include <regex>

#include "max_pool.hpp"

namespace mtcnn::detail {

namespace {

constexpr const char* kMaxPoolType = "MtcnnMaxPool";

using cv::dnn::LayerParams;
using cv::dnn::MatShape;

class MaxPoolLayer : public cv::dnn::Layer {
 public:
  // Caffe's pooling parameters that max_pool() covers: MAX, a square kernel, no padding,
  // the default rounding up.
  static bool covers(const LayerParams& p) {
    return p.get<cv::String>("pool", "MAX") == "MAX" && p.has("kernel_size") &&
           !p.has("kernel_h") && !p.has("kernel_w") && p.get<int>("pad", 0) == 0 &&
           !p.has("pad_h") && !p.has("pad_w") && !p.has("stride_h") && !p.has("stride_w") &&
           !p.get<bool>("global_pooling", false) && p.get<bool>("ceil_mode", true);
  }

  static cv::Ptr<cv::dnn::Layer> create(LayerParams& p) {
    if (covers(p)) return cv::makePtr<MaxPoolLayer>(p);
    return cv::dnn::PoolingLayer::create(p);
  }

  explicit MaxPoolLayer(const LayerParams& p)
      : Layer(p), kernel_(p.get<int>("kernel_size")), stride_(p.get<int>("stride", 1)) {}

  bool getMemoryShapes(const std::vector<MatShape>& inputs, int /*required_outputs*/,
                       std::vector<MatShape>& outputs,
                       std::vector<MatShape>& /*internals*/) const override {
    CV_Assert(inputs.size() == 1 && inputs[0].size() == 4);
    CV_Assert(inputs[0][2] >= kernel_ && inputs[0][3] >= kernel_);
    MatShape shape = inputs[0];
    shape[2] = max_pool_size(shape[2], kernel_, stride_);
    shape[3] = max_pool_size(shape[3], kernel_, stride_);
    outputs.assign(1, shape);
    return false;
  }

  void forward(cv::InputArrayOfArrays inputs_arr, cv::OutputArrayOfArrays outputs_arr,
               cv::OutputArrayOfArrays /*internals*/) override {
    std::vector<cv::Mat> inputs, outputs;
    inputs_arr.getMatVector(inputs);
    outputs_arr.getMatVector(outputs);
    const cv::Mat& in = inputs[0];
    CV_Assert(in.type() == CV_32F && in.isContinuous() && outputs[0].isContinuous());
    max_pool(in.ptr<float>(), in.size[0] * in.size[1], in.size[2], in.size[3], kernel_, stride_,
             outputs[0].ptr<float>());
  }

 private:
  int kernel_, stride_;
};

void register_layers() {
  static std::once_flag once;
  std::call_once(once,
                 [] { cv::dnn::LayerFactory::registerLayer(kMaxPoolType, MaxPoolLayer::create); });
}

}  // namespace

std::string with_own_layers(const std::string& prototxt) {
  register_layers();
  static const std::regex pooling(R"(type\s*:\s*"Pooling")");
  return std::regex_replace(prototxt, pooling, std::string("type: \"") + kMaxPoolType + "\"");
}

}  // namespace mtcnn::detail
