// The protobuf wire format, as far as a .caffemodel needs it: varints, length-delimited fields
// (strings, nested messages, packed arrays) and 32-bit floats. Writing and reading are both
// here so they stay each other's inverse. The reader checks every length against the data it
// was given and throws std::runtime_error naming the origin instead of reading past the end.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mtcnn::weights::protobuf {

enum class WireType : std::uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

// Appends encoded fields to a byte string. Nested messages are encoded into their own
// Writer first, then added with message(), since their length has to precede them.
class Writer {
 public:
  void varint_field(std::uint32_t field, std::uint64_t value);
  void bytes_field(std::uint32_t field, std::string_view bytes);  // also strings and messages
  void packed_floats(std::uint32_t field, std::span<const float> values);
  void packed_varints(std::uint32_t field, std::span<const std::int64_t> values);

  const std::string& bytes() const { return out_; }

 private:
  void varint(std::uint64_t value);
  void tag(std::uint32_t field, WireType type);

  std::string out_;
};

// One decoded field. For length-delimited fields `payload` is the content; for fixed-size
// fields it holds the 4 or 8 raw bytes; for varints `value` holds the number.
struct Field {
  std::uint32_t number = 0;
  WireType type = WireType::varint;
  std::uint64_t value = 0;
  std::span<const std::uint8_t> payload;
};

// Walks the fields of one message in order. Nested messages are read by constructing another
// Reader over a field's payload.
class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, std::string origin);

  // Decodes the next field into `field`; false at the end of the message.
  bool next(Field& field);

  // Interpret a field as a (packed or single) float / varint array, appending to `out`.
  void append_floats(const Field& field, std::vector<float>& out) const;
  void append_varints(const Field& field, std::vector<std::int64_t>& out) const;
  std::string string(const Field& field) const;

  [[noreturn]] void fail(const std::string& what) const;
  const std::string& origin() const { return origin_; }

 private:
  std::uint64_t read_varint(std::span<const std::uint8_t> bytes, std::size_t& pos) const;
  void expect(const Field& field, WireType type, std::string_view what) const;

  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::string origin_;
};

}  // namespace mtcnn::weights::protobuf
