#include "weights/tflite_model.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "weights/tflite_subset_generated.h"

namespace mtcnn::weights {

namespace {

// The schema version every TFLite converter has written since 2018.
constexpr std::uint32_t kSchemaVersion = 3;

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw std::runtime_error(origin + ": " + what);
}

std::size_t element_count(const TfliteTensor& tensor, const std::string& origin) {
  std::size_t count = 1;
  for (const std::int32_t dim : tensor.shape) {
    if (dim < 0) fail(origin, "tensor '" + tensor.name + "' has a negative dimension");
    if (dim != 0 &&
        count > std::numeric_limits<std::size_t>::max() / static_cast<std::size_t>(dim)) {
      fail(origin, "tensor '" + tensor.name + "' has an impossibly large shape");
    }
    count *= static_cast<std::size_t>(dim);
  }
  return count;
}

TfliteTensor read_tensor(const tflite::Tensor& table,
                         const flatbuffers::Vector<flatbuffers::Offset<tflite::Buffer>>* buffers,
                         const std::string& origin) {
  TfliteTensor tensor;
  if (table.name() != nullptr) tensor.name = table.name()->str();
  if (table.shape() != nullptr) tensor.shape.assign(table.shape()->begin(), table.shape()->end());
  tensor.type = table.type();

  // Buffer 0 is, by convention, the empty buffer of every activation tensor.
  const std::uint32_t index = table.buffer();
  const std::uint32_t buffer_count = buffers == nullptr ? 0 : buffers->size();
  if (index >= buffer_count) {
    fail(origin, "tensor '" + tensor.name + "' refers to buffer " + std::to_string(index) + " of " +
                     std::to_string(buffer_count));
  }
  if (tensor.type != kTfliteFloat32) return tensor;  // the importer only needs float weights

  const flatbuffers::Vector<std::uint8_t>* bytes = buffers->Get(index)->data();
  if (bytes == nullptr || bytes->size() == 0) return tensor;

  const std::size_t count = element_count(tensor, origin);
  if (bytes->size() / sizeof(float) != count || bytes->size() % sizeof(float) != 0) {
    fail(origin, "tensor '" + tensor.name + "' holds " + std::to_string(bytes->size()) +
                     " bytes but its shape needs " + std::to_string(count) + " floats");
  }
  tensor.data.resize(count);
  std::memcpy(tensor.data.data(), bytes->data(), bytes->size());  // both little-endian IEEE 754
  return tensor;
}

}  // namespace

const TfliteTensor* TfliteModel::find(std::string_view name) const {
  for (const auto& tensor : tensors) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

const TfliteTensor& TfliteModel::tensor(std::string_view name) const {
  if (const auto* found = find(name)) return *found;
  throw std::runtime_error(origin + ": no tensor named '" + std::string(name) + "'");
}

TfliteModel parse_tflite(std::span<const std::uint8_t> bytes, const std::string& origin) {
  if (bytes.size() < 8) {
    fail(origin, "only " + std::to_string(bytes.size()) + " bytes, too short for a TFLite model");
  }
  if (bytes.size() >= FLATBUFFERS_MAX_BUFFER_SIZE) fail(origin, "too large for a FlatBuffer");
  if (!tflite::ModelBufferHasIdentifier(bytes.data())) {
    fail(origin, "no \"TFL3\" identifier at byte 4: not a TFLite model");
  }
  // FlatBuffers reads its scalars in place, so the buffer itself must be aligned as they are;
  // bytes from an arbitrary offset of some larger buffer are copied first.
  std::vector<std::uint64_t> aligned;
  const std::uint8_t* data = bytes.data();
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) != 0) {
    aligned.resize((bytes.size() + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t));
    std::memcpy(aligned.data(), bytes.data(), bytes.size());
    data = reinterpret_cast<const std::uint8_t*>(aligned.data());
  }
  // Every offset, length and table the accessors below follow is checked here, once.
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!tflite::VerifyModelBuffer(verifier)) {
    fail(origin,
         "failed FlatBuffers verification: a table, vector or string is malformed or lies past "
         "the end of the data (truncated or corrupt file?)");
  }
  const tflite::Model* model = tflite::GetModel(data);
  if (model->version() != kSchemaVersion) {
    fail(origin, "TFLite schema version " + std::to_string(model->version()) + ", expected " +
                     std::to_string(kSchemaVersion) + " (is this a .tflite file?)");
  }
  if (model->subgraphs() == nullptr || model->subgraphs()->size() == 0) {
    fail(origin, "the model has no subgraph");
  }

  TfliteModel result;
  result.origin = origin;
  for (const tflite::SubGraph* subgraph : *model->subgraphs()) {
    if (subgraph->tensors() == nullptr) continue;
    for (const tflite::Tensor* tensor : *subgraph->tensors()) {
      result.tensors.push_back(read_tensor(*tensor, model->buffers(), origin));
    }
  }
  return result;
}

TfliteModel read_tflite(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open TFLite model");
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error(path.string() + ": read error");
  return parse_tflite(bytes, path.string());
}

}  // namespace mtcnn::weights
