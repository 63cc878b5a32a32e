// Max pooling as Caffe defines it (no padding, output size rounded up, so the last window of a
// row may hang over the edge and covers only the pixels that exist). OpenCV's own pooling
// layer spends a third of R-Net's time on planes this small; this one is a plain loop the
// compiler vectorises. A maximum does not depend on the order of its operands, so the result
// is bit for bit OpenCV's.
#pragma once

namespace mtcnn::detail {

// Output length along an axis of `in` values: ceil((in - kernel) / stride) + 1.
int max_pool_size(int in, int kernel, int stride);

// `planes` planes of height x width floats, one after the other, into planes of
// max_pool_size(height) x max_pool_size(width). Requires height, width >= kernel and
// 1 <= stride <= kernel (a larger stride would start the last window past the plane's end);
// throws std::invalid_argument otherwise.
void max_pool(const float* in, int planes, int height, int width, int kernel, int stride,
              float* out);

}  // namespace mtcnn::detail
