// Reorders weight arrays between TensorFlow Lite's channels-last layout and Caffe's
// channels-first layout. Pure functions on flat row-major arrays, so they can be tested on
// small hand-made inputs.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace mtcnn::weights {

// Convolution kernels: TFLite stores [out][kh][kw][in] (OHWI), Caffe [out][in][kh][kw] (OIHW).
// Throws std::invalid_argument when src.size() != out*kh*kw*in.
std::vector<float> ohwi_to_oihw(std::span<const float> src, std::size_t out, std::size_t kh,
                                std::size_t kw, std::size_t in);

// A fully connected layer fed by a flattened feature map of h x w x c: TFLite flattens it
// channels-last, so column (y*w + x)*c + ch of its [out][h*w*c] matrix meets the same input
// value as Caffe's column (ch*h + y)*w + x. Returns the Caffe-ordered [out][c*h*w] matrix.
// Throws std::invalid_argument when src.size() != out*h*w*c.
std::vector<float> fc_hwc_to_chw(std::span<const float> src, std::size_t out, std::size_t h,
                                 std::size_t w, std::size_t c);

}  // namespace mtcnn::weights
