// parse_tflite on arbitrary bytes (mtcnn import-weights reads .tflite files it did not make).
// Its contract: a malformed buffer gives std::runtime_error, never an out-of-bounds read; any
// other exception escapes and libFuzzer reports it as a crash.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>

#include "weights/tflite_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const mtcnn::weights::TfliteModel model = mtcnn::weights::parse_tflite({data, size}, "fuzz");
    // What the importer uses of a tensor must be consistent with the bytes it came from.
    for (const auto& tensor : model.tensors) {
      if (tensor.data.size() * sizeof(float) > size) __builtin_trap();
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
