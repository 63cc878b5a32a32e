#include "weights/protobuf_wire.hpp"

#include <bit>
#include <cstring>
#include <stdexcept>

namespace mtcnn::weights::protobuf {

// Protobuf stores fixed-size values little-endian; memcpy of floats is only right on such a host.
static_assert(std::endian::native == std::endian::little,
              "protobuf float handling assumes a little-endian host");

void Writer::varint(std::uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void Writer::tag(std::uint32_t field, WireType type) {
  varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint8_t>(type));
}

void Writer::varint_field(std::uint32_t field, std::uint64_t value) {
  tag(field, WireType::varint);
  varint(value);
}

void Writer::bytes_field(std::uint32_t field, std::string_view bytes) {
  tag(field, WireType::length_delimited);
  varint(bytes.size());
  out_.append(bytes);
}

void Writer::packed_floats(std::uint32_t field, std::span<const float> values) {
  tag(field, WireType::length_delimited);
  varint(values.size_bytes());
  out_.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
}

void Writer::packed_varints(std::uint32_t field, std::span<const std::int64_t> values) {
  Writer body;
  for (const std::int64_t v : values)
    body.varint(static_cast<std::uint64_t>(v));  // two's complement, as protobuf does
  bytes_field(field, body.out_);
}

Reader::Reader(std::span<const std::uint8_t> bytes, std::string origin)
    : bytes_(bytes), origin_(std::move(origin)) {}

void Reader::fail(const std::string& what) const {
  throw std::runtime_error(origin_ + ": malformed protobuf: " + what);
}

std::uint64_t Reader::read_varint(std::span<const std::uint8_t> bytes, std::size_t& pos) const {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= bytes.size()) fail("varint runs past the end of the data (truncated?)");
    const std::uint8_t byte = bytes[pos++];
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  fail("varint longer than 10 bytes");
}

bool Reader::next(Field& field) {
  if (pos_ >= bytes_.size()) return false;
  const std::size_t start = pos_;
  const std::uint64_t key = read_varint(bytes_, pos_);
  field = Field{};
  field.number = static_cast<std::uint32_t>(key >> 3);
  if (field.number == 0) fail("field number 0 at byte " + std::to_string(start));
  const auto remaining = [&] { return bytes_.size() - pos_; };
  switch (key & 7) {
    case 0:
      field.type = WireType::varint;
      field.value = read_varint(bytes_, pos_);
      return true;
    case 1:
    case 5: {
      field.type = (key & 7) == 1 ? WireType::fixed64 : WireType::fixed32;
      const std::size_t size = field.type == WireType::fixed64 ? 8 : 4;
      if (remaining() < size) fail("fixed-size field runs past the end of the data (truncated?)");
      field.payload = bytes_.subspan(pos_, size);
      pos_ += size;
      return true;
    }
    case 2: {
      field.type = WireType::length_delimited;
      const std::uint64_t size = read_varint(bytes_, pos_);
      if (size > remaining()) {
        fail("field " + std::to_string(field.number) + " at byte " + std::to_string(start) +
             " claims " + std::to_string(size) + " bytes but only " + std::to_string(remaining()) +
             " remain (truncated?)");
      }
      field.payload = bytes_.subspan(pos_, static_cast<std::size_t>(size));
      pos_ += static_cast<std::size_t>(size);
      return true;
    }
    default:  // 3 and 4 are the deprecated groups, which caffe.proto never uses; 6 and 7 do not
              // exist
      fail("unsupported wire type " + std::to_string(key & 7) + " at byte " +
           std::to_string(start));
  }
}

void Reader::expect(const Field& field, WireType type, std::string_view what) const {
  if (field.type != type) {
    fail("field " + std::to_string(field.number) + " should be " + std::string(what) +
         " but has wire type " + std::to_string(static_cast<int>(field.type)));
  }
}

void Reader::append_floats(const Field& field, std::vector<float>& out) const {
  // proto2 writers may store a repeated float packed or one value per field; accept both.
  if (field.type == WireType::fixed32) {
    float value;
    std::memcpy(&value, field.payload.data(), sizeof value);
    out.push_back(value);
    return;
  }
  expect(field, WireType::length_delimited, "a float array");
  if (field.payload.size() % sizeof(float) != 0) {
    fail("packed float array of " + std::to_string(field.payload.size()) +
         " bytes is not a multiple of 4");
  }
  const std::size_t old_size = out.size();
  out.resize(old_size + field.payload.size() / sizeof(float));
  if (!field.payload.empty())
    std::memcpy(out.data() + old_size, field.payload.data(), field.payload.size());
}

void Reader::append_varints(const Field& field, std::vector<std::int64_t>& out) const {
  if (field.type == WireType::varint) {
    out.push_back(static_cast<std::int64_t>(field.value));
    return;
  }
  expect(field, WireType::length_delimited, "a varint array");
  std::size_t pos = 0;
  while (pos < field.payload.size())
    out.push_back(static_cast<std::int64_t>(read_varint(field.payload, pos)));
}

std::string Reader::string(const Field& field) const {
  expect(field, WireType::length_delimited, "a string");
  if (field.payload.empty()) return {};
  return {reinterpret_cast<const char*>(field.payload.data()), field.payload.size()};
}

}  // namespace mtcnn::weights::protobuf
