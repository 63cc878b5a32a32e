// decode_caffemodel on arbitrary bytes (a .caffemodel in --models may come from anywhere), and
// for what it accepts, encode_caffemodel must give bytes that decode to the same model.
// Malformed bytes must give std::runtime_error; any other exception is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>

#include "weights/caffe_model.hpp"

namespace {

using mtcnn::weights::CaffeModel;

bool same(const CaffeModel& a, const CaffeModel& b) {
  if (a.name != b.name || a.layers.size() != b.layers.size()) return false;
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const auto& x = a.layers[i];
    const auto& y = b.layers[i];
    if (x.name != y.name || x.type != y.type || x.blobs.size() != y.blobs.size()) return false;
    for (std::size_t j = 0; j < x.blobs.size(); ++j) {
      const auto& p = x.blobs[j];
      const auto& q = y.blobs[j];
      // Bytes, not values: NaN must survive the round trip too.
      if (p.shape != q.shape || p.data.size() != q.data.size() ||
          (!p.data.empty() &&
           std::memcmp(p.data.data(), q.data.data(), p.data.size() * sizeof(float)) != 0)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CaffeModel model;
  try {
    model = mtcnn::weights::decode_caffemodel({data, size}, "fuzz");
  } catch (const std::runtime_error&) {
    return 0;
  }
  const std::string encoded = mtcnn::weights::encode_caffemodel(model);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(encoded.data());
  if (!same(model, mtcnn::weights::decode_caffemodel({bytes, encoded.size()}, "re-encoded"))) {
    __builtin_trap();
  }
  return 0;
}
