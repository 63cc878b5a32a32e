// Our own implementations of some of the networks' layers, run inside OpenCV DNN as custom
// layers (OpenCV's documented extension point): the Nets still load with readNetFromCaffe and
// run with forward(); only the layers named here compute with our code.
#pragma once

#include <opencv2/dnn.hpp>
#include <string>
#include <vector>

#include "direct_conv.hpp"

namespace mtcnn::detail {

// The network description with the layers we implement given our layer types, which are
// registered with OpenCV DNN on the first call. A layer whose parameters our code does not cover
// (say, padded pooling in another model file) is built by OpenCV as before. The convolutions
// compute with `precision` (a layer type per precision, so a Net built from the text has it).
std::string with_own_layers(const std::string& prototxt,
                            ConvPrecision precision = ConvPrecision::kFp32);

// The layer classes are declared here so that tests can tell them from OpenCV's by type
// (Net::getLayer): if our layers stopped being chosen, every output would still be right and
// only the speed would be lost.

// A layer of one float blob in and one out, both continuous, as OpenCV's CPU backend gives them.
class FloatLayer : public cv::dnn::Layer {
 public:
  using Layer::Layer;

  void forward(cv::InputArrayOfArrays inputs_arr, cv::OutputArrayOfArrays outputs_arr,
               cv::OutputArrayOfArrays internals_arr) final;

 protected:
  virtual void run(const cv::Mat& in, cv::Mat& out) = 0;
};

// Caffe's max pooling, computed by max_pool().
class MaxPoolLayer final : public FloatLayer {
 public:
  // Whether max_pool() computes the layer these Caffe parameters describe: MAX, one square
  // kernel, a stride of at most the kernel (a larger one would start windows past the plane's
  // end), no padding, rounding up. Any parameter we do not know makes it false.
  static bool covers(const cv::dnn::LayerParams& p);

  // Ours when covers(p), otherwise OpenCV's own pooling layer.
  static cv::Ptr<cv::dnn::Layer> create(cv::dnn::LayerParams& p);

  explicit MaxPoolLayer(const cv::dnn::LayerParams& p);

  bool getMemoryShapes(const std::vector<cv::dnn::MatShape>& inputs, int required_outputs,
                       std::vector<cv::dnn::MatShape>& outputs,
                       std::vector<cv::dnn::MatShape>& internals) const override;

 private:
  void run(const cv::Mat& in, cv::Mat& out) override;

  int kernel_, stride_;
};

// A Caffe convolution as MTCNN's use it, computed by conv2d_prelu(), with the PReLU that follows
// it fused in when OpenCV offers it (setActivation).
class ConvLayer final : public FloatLayer {
 public:
  // Whether conv2d_prelu() computes the layer these Caffe parameters and blobs describe: one
  // square kernel, stride 1, no padding, no dilation, no groups, float weights that fit it, and a
  // CPU with AVX2 (our plain C++ path loses to OpenCV's own kernels). Any parameter we do not
  // know makes it false.
  static bool covers(const cv::dnn::LayerParams& p);

  // Ours when covers(p), otherwise OpenCV's own convolution layer; the factories of our fp32
  // and bf16 layer types.
  static cv::Ptr<cv::dnn::Layer> create(cv::dnn::LayerParams& p);
  static cv::Ptr<cv::dnn::Layer> create_bf16(cv::dnn::LayerParams& p);

  ConvLayer(const cv::dnn::LayerParams& p, ConvPrecision precision);

  ConvPrecision precision() const { return precision_; }

  bool getMemoryShapes(const std::vector<cv::dnn::MatShape>& inputs, int required_outputs,
                       std::vector<cv::dnn::MatShape>& outputs,
                       std::vector<cv::dnn::MatShape>& internals) const override;

  bool setActivation(const cv::Ptr<cv::dnn::ActivationLayer>& layer) override;

 private:
  void run(const cv::Mat& in, cv::Mat& out) override;
  void pack();

  ConvPrecision precision_;
  int out_channels_ = 0, channels_ = 0, kernel_ = 0;
  std::vector<float> bias_, slopes_;
  PackedConv packed_;
};

}  // namespace mtcnn::detail
