// A fingerprint of a Caffe blob's exact contents, so tests can check imported weights against
// the original release bit for bit without shipping the release itself.
#pragma once

#include <cstdint>

#include "weights/caffe_model.hpp"

namespace mtcnn::weights {

// FNV-1a 64 over the rank, each dimension (int64, little-endian) and the raw bytes of the
// float data. Raw bytes rather than values: -0.0 vs 0.0 or two NaN payloads must differ too.
std::uint64_t blob_digest(const CaffeBlob& blob);

}  // namespace mtcnn::weights
