#include "dnn_layers.hpp"

#include <mutex>
#include <opencv2/dnn.hpp>
#include <opencv2/dnn/all_layers.hpp>
#include <opencv2/dnn/layer.details.hpp>
#include <regex>

#include "direct_conv.hpp"
#include "max_pool.hpp"

namespace mtcnn::detail {

namespace {

constexpr const char* kMaxPoolType = "MtcnnMaxPool";
constexpr const char* kConvType = "MtcnnConvolution";

using cv::dnn::LayerParams;
using cv::dnn::MatShape;

// A layer of one float blob in and one out, both continuous, as OpenCV's CPU backend gives them.
class FloatLayer : public cv::dnn::Layer {
 public:
  using Layer::Layer;

  void forward(cv::InputArrayOfArrays inputs_arr, cv::OutputArrayOfArrays outputs_arr,
               cv::OutputArrayOfArrays /*internals*/) final {
    std::vector<cv::Mat> inputs, outputs;
    inputs_arr.getMatVector(inputs);
    outputs_arr.getMatVector(outputs);
    CV_Assert(inputs.size() == 1 && outputs.size() == 1);
    CV_Assert(inputs[0].type() == CV_32F && inputs[0].isContinuous() && outputs[0].isContinuous());
    run(inputs[0], outputs[0]);
  }

 protected:
  virtual void run(const cv::Mat& in, cv::Mat& out) = 0;
};

class MaxPoolLayer : public FloatLayer {
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
      : FloatLayer(p), kernel_(p.get<int>("kernel_size")), stride_(p.get<int>("stride", 1)) {}

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

  void run(const cv::Mat& in, cv::Mat& out) override {
    max_pool(in.ptr<float>(), in.size[0] * in.size[1], in.size[2], in.size[3], kernel_, stride_,
             out.ptr<float>());
  }

 private:
  int kernel_, stride_;
};

// A Caffe convolution as MTCNN's use it (square kernel, stride 1, no padding, no groups), with
// the PReLU that follows it fused in when OpenCV offers it (setActivation).
class ConvLayer : public FloatLayer {
 public:
  static bool covers(const LayerParams& p) {
    // Our plain C++ path loses to OpenCV's own kernels: without AVX2 the layer stays OpenCV's.
    if (!conv_isa_supported(ConvIsa::kAvx2)) return false;
    const auto one = [&p](const char* key, int value) { return p.get<int>(key, value) == value; };
    return p.has("kernel_size") && !p.has("kernel_h") && !p.has("kernel_w") && one("stride", 1) &&
           !p.has("stride_h") && !p.has("stride_w") && one("pad", 0) && !p.has("pad_h") &&
           !p.has("pad_w") && one("dilation", 1) && one("group", 1) && !p.blobs.empty() &&
           p.blobs[0].dims == 4 && p.blobs[0].type() == CV_32F &&
           p.blobs[0].size[2] == p.get<int>("kernel_size") &&
           p.blobs[0].size[3] == p.get<int>("kernel_size") &&
           (p.blobs.size() < 2 || p.blobs[1].total() == static_cast<size_t>(p.blobs[0].size[0]));
  }

  static cv::Ptr<cv::dnn::Layer> create(LayerParams& p) {
    if (covers(p)) return cv::makePtr<ConvLayer>(p);
    return cv::dnn::ConvolutionLayer::create(p);
  }

  // The weights stay in blobs[0] (shared with the importer's copy) for repacking.
  explicit ConvLayer(const LayerParams& p) : FloatLayer(p) {
    const cv::Mat& w = blobs[0];
    CV_Assert(w.isContinuous());
    out_channels_ = w.size[0];
    channels_ = w.size[1];
    kernel_ = w.size[2];
    bias_.assign(static_cast<size_t>(out_channels_), 0.0f);
    if (p.blobs.size() >= 2) {
      const cv::Mat b = p.blobs[1].reshape(1, 1);
      std::copy(b.ptr<float>(), b.ptr<float>() + out_channels_, bias_.begin());
    }
    pack();
  }

  bool getMemoryShapes(const std::vector<MatShape>& inputs, int /*required_outputs*/,
                       std::vector<MatShape>& outputs,
                       std::vector<MatShape>& /*internals*/) const override {
    CV_Assert(inputs.size() == 1 && inputs[0].size() == 4 && inputs[0][1] == channels_);
    CV_Assert(inputs[0][2] >= kernel_ && inputs[0][3] >= kernel_);
    outputs.assign(1, MatShape{inputs[0][0], out_channels_, inputs[0][2] - kernel_ + 1,
                               inputs[0][3] - kernel_ + 1});
    return false;
  }

  // OpenCV offers the activation that follows; we take a per-channel PReLU (an empty one
  // undoes a fusion). Anything else stays a layer of its own.
  bool setActivation(const cv::Ptr<cv::dnn::ActivationLayer>& layer) override {
    slopes_.clear();
    const auto prelu = layer.dynamicCast<cv::dnn::ChannelsPReLULayer>();
    const bool fused = !prelu.empty() && prelu->blobs.size() == 1 &&
                       prelu->blobs[0].total() == static_cast<size_t>(out_channels_);
    if (fused) {
      const cv::Mat slopes = prelu->blobs[0].reshape(1, 1);
      slopes_.assign(slopes.ptr<float>(), slopes.ptr<float>() + out_channels_);
    }
    pack();
    return fused;
  }

  void run(const cv::Mat& in, cv::Mat& out) override {
    const int height = in.size[2], width = in.size[3];
    const size_t in_image = in.total() / in.size[0], out_image = out.total() / out.size[0];
    for (int n = 0; n < in.size[0]; ++n)
      conv2d_prelu(in.ptr<float>() + n * in_image, height, width, packed_,
                   out.ptr<float>() + n * out_image);
  }

 private:
  void pack() {
    packed_ =
        pack_conv(blobs[0].ptr<float>(), bias_.data(), slopes_.empty() ? nullptr : slopes_.data(),
                  out_channels_, channels_, kernel_);
  }

  int out_channels_ = 0, channels_ = 0, kernel_ = 0;
  std::vector<float> bias_, slopes_;
  PackedConv packed_;
};

void register_layers() {
  static std::once_flag once;
  std::call_once(once, [] {
    cv::dnn::LayerFactory::registerLayer(kMaxPoolType, MaxPoolLayer::create);
    cv::dnn::LayerFactory::registerLayer(kConvType, ConvLayer::create);
  });
}

}  // namespace

std::string with_own_layers(const std::string& prototxt) {
  register_layers();
  static const std::regex pooling(R"(type\s*:\s*"Pooling")");
  static const std::regex convolution(R"(type\s*:\s*"Convolution")");
  const std::string ours =
      std::regex_replace(prototxt, pooling, std::string("type: \"") + kMaxPoolType + "\"");
  return std::regex_replace(ours, convolution, std::string("type: \"") + kConvType + "\"");
}

}  // namespace mtcnn::detail
