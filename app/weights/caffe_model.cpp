#include "weights/caffe_model.hpp"

#include <climits>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "common/atomic_file.hpp"
#include "weights/caffe.pb.h"

namespace mtcnn::weights {

namespace {

caffe::BlobProto encode_blob(const CaffeBlob& blob) {
  caffe::BlobProto out;
  out.mutable_data()->Add(blob.data.begin(), blob.data.end());
  // Always present, even for a 0-D blob, as Caffe's Blob::ToProto writes it.
  out.mutable_shape()->mutable_dim()->Add(blob.shape.begin(), blob.shape.end());
  return out;
}

std::size_t element_count(const std::vector<std::int64_t>& shape, const std::string& where) {
  std::size_t count = 1;
  for (const std::int64_t dim : shape) {
    if (dim < 0 || dim > (std::int64_t{1} << 40)) {
      throw std::runtime_error(where + ": blob dimension " + std::to_string(dim) + " out of range");
    }
    count *= static_cast<std::size_t>(dim);
    if (count > (std::size_t{1} << 40)) {
      throw std::runtime_error(where + ": blob shape is impossibly large");
    }
  }
  return count;
}

CaffeBlob decode_blob(const caffe::BlobProto& proto, const std::string& where) {
  CaffeBlob blob;
  if (proto.has_shape()) {
    blob.shape.assign(proto.shape().dim().begin(), proto.shape().dim().end());
  } else if (proto.has_num() || proto.has_channels() || proto.has_height() || proto.has_width()) {
    blob.shape = {proto.num(), proto.channels(), proto.height(), proto.width()};
  }
  blob.data.assign(proto.data().begin(), proto.data().end());
  const std::size_t needed = element_count(blob.shape, where);
  if (needed != blob.data.size()) {
    throw std::runtime_error(where + ": blob holds " + std::to_string(blob.data.size()) +
                             " floats but its shape needs " + std::to_string(needed));
  }
  return blob;
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
  caffe::NetParameter net;
  net.set_name(model.name);
  for (const auto& layer : model.layers) {
    caffe::LayerParameter* encoded = net.add_layer();
    encoded->set_name(layer.name);
    encoded->set_type(layer.type);
    for (const auto& blob : layer.blobs) *encoded->add_blobs() = encode_blob(blob);
  }
  std::string bytes;
  // Fails only past protobuf's 2 GiB message limit, far beyond any MTCNN network.
  if (!net.SerializeToString(&bytes)) {
    throw std::runtime_error("caffemodel '" + model.name + "' is too large for protobuf");
  }
  return bytes;
}

CaffeModel decode_caffemodel(std::span<const std::uint8_t> bytes, const std::string& origin) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw std::runtime_error(origin + ": over 2 GiB, larger than a protobuf message can be");
  }
  caffe::NetParameter net;
  // libprotobuf says only whether the bytes parse, not where they went wrong.
  if (!net.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw std::runtime_error(origin +
                             ": malformed protobuf: not a caffemodel, or truncated or corrupt");
  }
  if (net.layers_size() > 0) {
    throw std::runtime_error(origin +
                             ": uses the pre-2015 V1 'layers' format, which is not supported; "
                             "upgrade it with Caffe's upgrade_net_proto_binary");
  }
  CaffeModel model;
  model.name = net.name();
  for (const caffe::LayerParameter& layer : net.layer()) {
    CaffeLayer& decoded = model.layers.emplace_back();
    decoded.name = layer.name();
    decoded.type = layer.type();
    for (const caffe::BlobProto& blob : layer.blobs()) {
      decoded.blobs.push_back(decode_blob(blob, origin + " layer '" + layer.name() + "'"));
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
