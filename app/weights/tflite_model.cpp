#include "weights/tflite_model.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "weights/flatbuffer_reader.hpp"

namespace mtcnn::weights {

namespace {

// Field numbers from the TFLite schema (tensorflow/lite/schema/schema.fbs).
namespace model_field {
constexpr int version = 0, subgraphs = 2, buffers = 4;
}
namespace subgraph_field {
constexpr int tensors = 0;
}
namespace tensor_field {
constexpr int shape = 0, type = 1, buffer = 2, name = 3;
}
namespace buffer_field {
constexpr int data = 0;
}

// The schema version every TFLite converter has written since 2018.
constexpr std::uint32_t kSchemaVersion = 3;

std::size_t element_count(const FlatBufferReader& reader, const TfliteTensor& tensor) {
  std::size_t count = 1;
  for (const std::int32_t dim : tensor.shape) {
    if (dim < 0) reader.fail("tensor '" + tensor.name + "' has a negative dimension");
    if (dim != 0 &&
        count > std::numeric_limits<std::size_t>::max() / static_cast<std::size_t>(dim)) {
      reader.fail("tensor '" + tensor.name + "' has an impossibly large shape");
    }
    count *= static_cast<std::size_t>(dim);
  }
  return count;
}

TfliteTensor read_tensor(const FlatBufferReader& reader, const FlatBufferReader::Table& table,
                         const FlatBufferReader::Vector& buffers) {
  TfliteTensor tensor;
  tensor.name = reader.field_string(table, tensor_field::name);
  const auto shape = reader.field_vector(table, tensor_field::shape, 4);
  for (std::size_t i = 0; i < shape.size; ++i) tensor.shape.push_back(reader.vector_i32(shape, i));
  tensor.type = reader.field_u8(table, tensor_field::type, kTfliteFloat32);

  // Buffer 0 is, by convention, the empty buffer of every activation tensor.
  const std::uint32_t index = reader.field_u32(table, tensor_field::buffer, 0);
  if (index >= buffers.size) {
    reader.fail("tensor '" + tensor.name + "' refers to buffer " + std::to_string(index) + " of " +
                std::to_string(buffers.size));
  }
  if (tensor.type != kTfliteFloat32) return tensor;  // the importer only needs float weights

  const auto buffer = reader.vector_table(buffers, index);
  const auto bytes = reader.vector_bytes(reader.field_vector(buffer, buffer_field::data, 1));
  if (bytes.empty()) return tensor;

  const std::size_t count = element_count(reader, tensor);
  if (bytes.size() / sizeof(float) != count || bytes.size() % sizeof(float) != 0) {
    reader.fail("tensor '" + tensor.name + "' holds " + std::to_string(bytes.size()) +
                " bytes but its shape needs " + std::to_string(count) + " floats");
  }
  tensor.data.resize(count);
  std::memcpy(tensor.data.data(), bytes.data(), bytes.size());  // both little-endian IEEE 754
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
  const FlatBufferReader reader(bytes, origin);
  if (bytes.size() < 8)
    reader.fail("only " + std::to_string(bytes.size()) + " bytes, too short for a TFLite model");

  const auto model = reader.root();
  const std::uint32_t version = reader.field_u32(model, model_field::version, kSchemaVersion);
  if (version != kSchemaVersion) {
    reader.fail("TFLite schema version " + std::to_string(version) + ", expected " +
                std::to_string(kSchemaVersion) + " (is this a .tflite file?)");
  }

  const auto buffers = reader.field_vector(model, model_field::buffers, 4);
  const auto subgraphs = reader.field_vector(model, model_field::subgraphs, 4);
  if (subgraphs.size == 0) reader.fail("the model has no subgraph");

  TfliteModel result;
  result.origin = origin;
  for (std::size_t s = 0; s < subgraphs.size; ++s) {
    const auto subgraph = reader.vector_table(subgraphs, s);
    const auto tensors = reader.field_vector(subgraph, subgraph_field::tensors, 4);
    for (std::size_t t = 0; t < tensors.size; ++t) {
      result.tensors.push_back(read_tensor(reader, reader.vector_table(tensors, t), buffers));
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
