// The learned parameters of a Caffe network as stored in a .caffemodel (a binary protobuf
// NetParameter): per layer, its name, type and blobs. Only what weights need is modelled;
// the network's structure lives in the .prototxt, which OpenCV matches to these layers by name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mtcnn::weights {

struct CaffeBlob {
  std::vector<std::int64_t> shape;  // e.g. [O, I, kh, kw] for convolution weights
  std::vector<float> data;          // row-major over `shape`
};

struct CaffeLayer {
  std::string name;
  std::string type;  // "Convolution", "PReLU", "InnerProduct", ...
  std::vector<CaffeBlob> blobs;
};

struct CaffeModel {
  std::string name;
  std::vector<CaffeLayer> layers;

  // Throws std::runtime_error when no layer has that name.
  const CaffeLayer& layer(std::string_view name) const;
  const CaffeLayer* find(std::string_view name) const;
};

// NetParameter bytes: name, then each layer with its blobs (shape and packed float data).
std::string encode_caffemodel(const CaffeModel& model);

// Parses NetParameter bytes; `origin` names them in error messages. Layers come from the
// current `layer` field (100); the pre-2015 `layers` field is rejected with a clear message.
CaffeModel decode_caffemodel(std::span<const std::uint8_t> bytes, const std::string& origin);

// Writes to a temporary file beside `path` and renames it into place, so a reader never
// sees a half-written model.
void write_caffemodel(const CaffeModel& model, const std::filesystem::path& path);

CaffeModel read_caffemodel(const std::filesystem::path& path);

}  // namespace mtcnn::weights
