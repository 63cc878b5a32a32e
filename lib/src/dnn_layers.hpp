// Our own implementations of some of the networks' layers, run inside OpenCV DNN as custom
// layers (OpenCV's documented extension point): the Nets still load with readNetFromCaffe and
// run with forward(); only the layers named here compute with our code.
#pragma once

#include <string>

namespace mtcnn::detail {

// The network description with the layers we implement given our layer types, which are
// registered with OpenCV DNN on the first call. A layer whose parameters our code does not cover
// (say, padded pooling in another model file) is built by OpenCV as before.
std::string with_own_layers(const std::string& prototxt);

}  // namespace mtcnn::detail
