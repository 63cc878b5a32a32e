#include "weights/caffe_model.hpp"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include "common/atomic_file.hpp"
#include "weights/protobuf_wire.hpp"

namespace mtcnn::weights {

namespace {

// Field numbers from caffe.proto.
namespace net_field {
constexpr std::uint32_t name = 1, legacy_layers = 2, layer = 100;
}
namespace layer_field {
constexpr std::uint32_t name = 1, type = 2, blobs = 7;
}
namespace blob_field {
// num/channels/height/width predate BlobShape; old models carry only those.
constexpr std::uint32_t num = 1, channels = 2, height = 3, width = 4, data = 5, shape = 7;
}  // namespace blob_field
namespace shape_field {
constexpr std::uint32_t dim = 1;
}

std::string encode_blob(const CaffeBlob& blob) {
  protobuf::Writer shape;
  shape.packed_varints(shape_field::dim, blob.shape);
  protobuf::Writer out;
  // Same field order as Caffe's own serializer: data (5) before shape (7).
  out.packed_floats(blob_field::data, blob.data);
  out.bytes_field(blob_field::shape, shape.bytes());
  return out.bytes();
}

std::size_t element_count(const protobuf::Reader& reader, const std::vector<std::int64_t>& shape) {
  std::size_t count = 1;
  for (const std::int64_t dim : shape) {
    if (dim < 0 || dim > (std::int64_t{1} << 40))
      reader.fail("blob dimension " + std::to_string(dim) + " out of range");
    count *= static_cast<std::size_t>(dim);
    if (count > (std::size_t{1} << 40)) reader.fail("blob shape is impossibly large");
  }
  return count;
}

CaffeBlob decode_blob(std::span<const std::uint8_t> bytes, const std::string& origin) {
  protobuf::Reader reader(bytes, origin);
  CaffeBlob blob;
  std::int64_t legacy[4] = {0, 0, 0, 0};
  bool has_shape = false, has_legacy = false;
  protobuf::Field field;
  while (reader.next(field)) {
    switch (field.number) {
      case blob_field::data:
        reader.append_floats(field, blob.data);
        break;
      case blob_field::shape: {
        has_shape = true;
        protobuf::Reader shape(field.payload, origin);
        protobuf::Field dim;
        while (shape.next(dim)) {
          if (dim.number == shape_field::dim) shape.append_varints(dim, blob.shape);
        }
        break;
      }
      case blob_field::num:
      case blob_field::channels:
      case blob_field::height:
      case blob_field::width: {
        std::vector<std::int64_t> value;
        reader.append_varints(field, value);
        if (!value.empty()) legacy[field.number - blob_field::num] = value.back();
        has_legacy = true;
        break;
      }
      default:
        break;  // diff, double_data, ...: not weights
    }
  }
  if (!has_shape && has_legacy) blob.shape.assign(std::begin(legacy), std::end(legacy));
  if (element_count(reader, blob.shape) != blob.data.size()) {
    reader.fail("blob holds " + std::to_string(blob.data.size()) + " floats but its shape needs " +
                std::to_string(element_count(reader, blob.shape)));
  }
  return blob;
}

CaffeLayer decode_layer(std::span<const std::uint8_t> bytes, const std::string& origin) {
  protobuf::Reader reader(bytes, origin);
  CaffeLayer layer;
  protobuf::Field field;
  while (reader.next(field)) {
    switch (field.number) {
      case layer_field::name:
        layer.name = reader.string(field);
        break;
      case layer_field::type:
        layer.type = reader.string(field);
        break;
      case layer_field::blobs:
        if (field.type != protobuf::WireType::length_delimited)
          reader.fail("blob is not a message");
        layer.blobs.push_back(decode_blob(field.payload, origin + " layer '" + layer.name + "'"));
        break;
      default:
        break;  // bottom, top, layer parameters: structure, which the prototxt describes
    }
  }
  return layer;
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error(path.string() + ": read error");
  return bytes;
}

}  // namespace

const CaffeLayer* CaffeModel::find(std::string_view wanted) const {
  for (const auto& layer : layers) {
    if (layer.name == wanted) return &layer;
  }
  return nullptr;
}

const CaffeLayer& CaffeModel::layer(std::string_view wanted) const {
  if (const auto* found = find(wanted)) return *found;
  throw std::runtime_error("caffemodel '" + name + "' has no layer named '" + std::string(wanted) +
                           "'");
}

std::string encode_caffemodel(const CaffeModel& model) {
  protobuf::Writer out;
  out.bytes_field(net_field::name, model.name);
  for (const auto& layer : model.layers) {
    protobuf::Writer encoded;
    encoded.bytes_field(layer_field::name, layer.name);
    encoded.bytes_field(layer_field::type, layer.type);
    for (const auto& blob : layer.blobs) encoded.bytes_field(layer_field::blobs, encode_blob(blob));
    out.bytes_field(net_field::layer, encoded.bytes());
  }
  return out.bytes();
}

CaffeModel decode_caffemodel(std::span<const std::uint8_t> bytes, const std::string& origin) {
  protobuf::Reader reader(bytes, origin);
  CaffeModel model;
  protobuf::Field field;
  while (reader.next(field)) {
    switch (field.number) {
      case net_field::name:
        model.name = reader.string(field);
        break;
      case net_field::layer:
        if (field.type != protobuf::WireType::length_delimited)
          reader.fail("layer is not a message");
        model.layers.push_back(decode_layer(field.payload, origin));
        break;
      case net_field::legacy_layers:
        throw std::runtime_error(origin +
                                 ": uses the pre-2015 V1 'layers' format, which is not supported; "
                                 "upgrade it with Caffe's upgrade_net_proto_binary");
      default:
        break;
    }
  }
  return model;
}

void write_caffemodel(const CaffeModel& model, const std::filesystem::path& path) {
  cli::write_file_atomically(path, encode_caffemodel(model), cli::Durability::kSynced);
}

CaffeModel read_caffemodel(const std::filesystem::path& path) {
  return decode_caffemodel(read_file(path), path.string());
}

}  // namespace mtcnn::weights
