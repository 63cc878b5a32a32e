// The tensors of a TensorFlow Lite model file: names, shapes and, for constant float32
// tensors, their values. That is all the weight importer needs from a .tflite file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mtcnn::weights {

// TFLite's TensorType enum value for 32-bit floats.
inline constexpr int kTfliteFloat32 = 0;

struct TfliteTensor {
  std::string name;
  std::vector<std::int32_t> shape;
  int type = kTfliteFloat32;
  // The constant values of a float32 tensor backed by a buffer, in TFLite's row-major order;
  // empty for activations (tensors computed at run time) and non-float tensors.
  std::vector<float> data;
};

struct TfliteModel {
  std::string origin;  // the file it came from, for error messages
  std::vector<TfliteTensor> tensors;

  // Throws std::runtime_error naming the file and the tensor when there is no such tensor.
  const TfliteTensor& tensor(std::string_view name) const;
  const TfliteTensor* find(std::string_view name) const;
};

// Parses a .tflite FlatBuffer held in memory; `origin` names it in error messages. A truncated
// or malformed buffer gives std::runtime_error, never an out-of-bounds read.
TfliteModel parse_tflite(std::span<const std::uint8_t> bytes, const std::string& origin);

// Reads and parses a .tflite file.
TfliteModel read_tflite(const std::filesystem::path& path);

}  // namespace mtcnn::weights
