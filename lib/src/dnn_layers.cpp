#include "dnn_layers.hpp"

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <mutex>
#include <opencv2/dnn/all_layers.hpp>
#include <opencv2/dnn/layer.details.hpp>
#include <optional>
#include <regex>
#include <string_view>

#include "max_pool.hpp"

namespace mtcnn::detail {

namespace {

constexpr const char* kMaxPoolType = "MtcnnMaxPool";
constexpr const char* kConvType = "MtcnnConvolution";
constexpr const char* kConvBf16Type = "MtcnnConvolutionBf16";

using cv::dnn::LayerParams;
using cv::dnn::MatShape;

// A parameter given as one integer (Caffe's bools and OpenCV's are integers too), or `absent`
// when it is not given; nullopt for a list, a string or a real.
std::optional<int> one_int(const LayerParams& p, const char* key, int absent) {
  if (!p.has(key)) return absent;
  const cv::dnn::DictValue& v = p.get(key);
  if (v.size() != 1 || !v.isInt()) return std::nullopt;
  const auto value = v.get<int64_t>();
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    return std::nullopt;
  }
  return static_cast<int>(value);
}

// Whether every parameter is one of `known`: a parameter we have not checked may change what
// the layer computes, and then OpenCV's layer must build it.
bool only_known(const LayerParams& p, std::initializer_list<std::string_view> known) {
  return std::all_of(p.begin(), p.end(), [&known](const auto& entry) {
    return std::find(known.begin(), known.end(), entry.first) != known.end();
  });
}

}  // namespace

void FloatLayer::forward(cv::InputArrayOfArrays inputs_arr, cv::OutputArrayOfArrays outputs_arr,
                         cv::OutputArrayOfArrays /*internals_arr*/) {
  std::vector<cv::Mat> inputs, outputs;
  inputs_arr.getMatVector(inputs);
  outputs_arr.getMatVector(outputs);
  CV_Assert(inputs.size() == 1 && outputs.size() == 1);
  CV_Assert(inputs[0].type() == CV_32F && inputs[0].isContinuous() && outputs[0].isContinuous());
  run(inputs[0], outputs[0]);
}

bool MaxPoolLayer::covers(const LayerParams& p) {
  const std::optional<int> kernel = one_int(p, "kernel_size", 0);
  const std::optional<int> stride = one_int(p, "stride", 1);
  const auto pool = p.get<cv::String>("pool", "MAX");
  return kernel && stride && *kernel >= 1 && *stride >= 1 && *stride <= *kernel &&
         (pool == "MAX" || pool == "max") && one_int(p, "pad", 0) == 0 &&
         one_int(p, "ceil_mode", 1) == 1 && one_int(p, "global_pooling", 0) == 0 &&
         // engine: CAFFE or CUDNN, the same maximum.
         only_known(
             p, {"pool", "kernel_size", "stride", "pad", "ceil_mode", "global_pooling", "engine"});
}

cv::Ptr<cv::dnn::Layer> MaxPoolLayer::create(LayerParams& p) {
  if (covers(p)) return cv::makePtr<MaxPoolLayer>(p);
  return cv::dnn::PoolingLayer::create(p);
}

MaxPoolLayer::MaxPoolLayer(const LayerParams& p)
    : FloatLayer(p), kernel_(p.get<int>("kernel_size")), stride_(p.get<int>("stride", 1)) {}

bool MaxPoolLayer::getMemoryShapes(const std::vector<MatShape>& inputs, int /*required_outputs*/,
                                   std::vector<MatShape>& outputs,
                                   std::vector<MatShape>& /*internals*/) const {
  CV_Assert(inputs.size() == 1 && inputs[0].size() == 4);
  CV_Assert(inputs[0][2] >= kernel_ && inputs[0][3] >= kernel_);
  MatShape shape = inputs[0];
  shape[2] = max_pool_size(shape[2], kernel_, stride_);
  shape[3] = max_pool_size(shape[3], kernel_, stride_);
  outputs.assign(1, shape);
  return false;
}

void MaxPoolLayer::run(const cv::Mat& in, cv::Mat& out) {
  max_pool(in.ptr<float>(), in.size[0] * in.size[1], in.size[2], in.size[3], kernel_, stride_,
           out.ptr<float>());
}

bool ConvLayer::covers(const LayerParams& p) {
  if (!conv_isa_supported(ConvIsa::kAvx2)) return false;
  const std::optional<int> kernel = one_int(p, "kernel_size", 0);
  const std::optional<int> outputs = one_int(p, "num_output", 0);
  const std::optional<int> bias_term = one_int(p, "bias_term", 1);
  if (!kernel || *kernel < 1 || !outputs || !bias_term || one_int(p, "stride", 1) != 1 ||
      one_int(p, "pad", 0) != 0 || one_int(p, "dilation", 1) != 1 || one_int(p, "group", 1) != 1 ||
      one_int(p, "axis", 1) != 1 || one_int(p, "force_nd_im2col", 0) != 0) {
    return false;
  }
  // engine: CAFFE or CUDNN, the same sums. Caffe's importer flattens the weight and bias fillers
  // (training only) into the layer's parameters: type, value, min, max, mean, std, ...
  if (!only_known(p, {"num_output", "kernel_size", "stride", "pad", "dilation", "group",
                      "bias_term", "axis", "force_nd_im2col", "engine", "type", "value", "min",
                      "max", "mean", "std", "sparse", "variance_norm"})) {
    return false;
  }
  if (p.blobs.size() != (*bias_term != 0 ? 2u : 1u)) return false;
  const cv::Mat& w = p.blobs[0];
  const bool weights_fit = w.dims == 4 && w.type() == CV_32F && w.isContinuous() &&
                           w.size[0] == *outputs && w.size[1] >= 1 && w.size[2] == *kernel &&
                           w.size[3] == *kernel;
  return weights_fit &&
         (p.blobs.size() == 1 ||
          (p.blobs[1].type() == CV_32F && p.blobs[1].total() == static_cast<size_t>(*outputs)));
}

cv::Ptr<cv::dnn::Layer> ConvLayer::create(LayerParams& p) {
  if (covers(p)) return cv::makePtr<ConvLayer>(p, ConvPrecision::kFp32);
  return cv::dnn::ConvolutionLayer::create(p);
}

cv::Ptr<cv::dnn::Layer> ConvLayer::create_bf16(LayerParams& p) {
  if (covers(p)) return cv::makePtr<ConvLayer>(p, ConvPrecision::kBf16);
  return cv::dnn::ConvolutionLayer::create(p);
}

// The weights stay in blobs[0] (shared with the importer's copy) for repacking.
ConvLayer::ConvLayer(const LayerParams& p, ConvPrecision precision)
    : FloatLayer(p), precision_(precision) {
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

bool ConvLayer::getMemoryShapes(const std::vector<MatShape>& inputs, int /*required_outputs*/,
                                std::vector<MatShape>& outputs,
                                std::vector<MatShape>& /*internals*/) const {
  CV_Assert(inputs.size() == 1 && inputs[0].size() == 4 && inputs[0][1] == channels_);
  CV_Assert(inputs[0][2] >= kernel_ && inputs[0][3] >= kernel_);
  outputs.assign(1, MatShape{inputs[0][0], out_channels_, inputs[0][2] - kernel_ + 1,
                             inputs[0][3] - kernel_ + 1});
  return false;
}

// OpenCV offers the activation that follows; we take a per-channel PReLU (an empty one undoes a
// fusion). Anything else stays a layer of its own.
bool ConvLayer::setActivation(const cv::Ptr<cv::dnn::ActivationLayer>& layer) {
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

void ConvLayer::run(const cv::Mat& in, cv::Mat& out) {
  const int height = in.size[2], width = in.size[3];
  const size_t in_image = in.total() / in.size[0], out_image = out.total() / out.size[0];
  for (int n = 0; n < in.size[0]; ++n)
    conv2d_prelu(in.ptr<float>() + n * in_image, height, width, packed_,
                 out.ptr<float>() + n * out_image, precision_);
}

void ConvLayer::pack() {
  packed_ =
      pack_conv(blobs[0].ptr<float>(), bias_.data(), slopes_.empty() ? nullptr : slopes_.data(),
                out_channels_, channels_, kernel_);
}

namespace {

void register_layers() {
  static std::once_flag once;
  std::call_once(once, [] {
    cv::dnn::LayerFactory::registerLayer(kMaxPoolType, MaxPoolLayer::create);
    cv::dnn::LayerFactory::registerLayer(kConvType, ConvLayer::create);
    cv::dnn::LayerFactory::registerLayer(kConvBf16Type, ConvLayer::create_bf16);
  });
}

}  // namespace

std::string with_own_layers(const std::string& prototxt, ConvPrecision precision) {
  register_layers();
  static const std::regex pooling(R"(type\s*:\s*"Pooling")");
  static const std::regex convolution(R"(type\s*:\s*"Convolution")");
  const std::string ours =
      std::regex_replace(prototxt, pooling, std::string("type: \"") + kMaxPoolType + "\"");
  const char* conv_type = precision == ConvPrecision::kBf16 ? kConvBf16Type : kConvType;
  return std::regex_replace(ours, convolution, std::string("type: \"") + conv_type + "\"");
}

}  // namespace mtcnn::detail
