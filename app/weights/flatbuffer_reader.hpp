// A bounds-checked view of a FlatBuffer, the container format of .tflite files. Only the subset
// the TFLite schema needs is here: tables, scalars, strings, and vectors of scalars or tables.
// Every read is checked against the buffer's end, so a truncated or hostile file ends in a
// std::runtime_error naming the file instead of an out-of-bounds read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mtcnn::weights {

class FlatBufferReader {
 public:
  // A table located in the buffer: `pos` is where the table starts, `vtable` where its
  // field-offset table starts. Obtained from root() or from a table-valued field.
  struct Table {
    std::size_t pos = 0;
    std::size_t vtable = 0;
    std::size_t vtable_size = 0;  // bytes, including the two 16-bit header entries
  };

  // A vector's element count and the position of its first element.
  struct Vector {
    std::size_t pos = 0;
    std::size_t size = 0;
  };

  // `origin` (usually the file name) prefixes every error message.
  FlatBufferReader(std::span<const std::uint8_t> bytes, std::string origin);

  const std::string& origin() const { return origin_; }

  // The four bytes after the root offset, e.g. "TFL3"; empty if the buffer is too short.
  std::string_view file_identifier() const;

  Table root() const;

  // True when the table's vtable lists the field (older writers omit fields they never set).
  bool has_field(const Table& table, int field) const;

  std::uint8_t field_u8(const Table& table, int field, std::uint8_t fallback) const;
  std::uint32_t field_u32(const Table& table, int field, std::uint32_t fallback) const;

  // An absent string field reads as empty; an absent vector as size 0.
  std::string field_string(const Table& table, int field) const;
  Vector field_vector(const Table& table, int field, std::size_t element_size) const;
  // Throws when the field is absent, since the caller cannot go on without it.
  Table field_table(const Table& table, int field) const;

  std::int32_t vector_i32(const Vector& vector, std::size_t index) const;
  std::uint32_t vector_u32(const Vector& vector, std::size_t index) const;
  Table vector_table(const Vector& vector, std::size_t index) const;
  // Raw bytes of a vector of ubyte (e.g. a Buffer's data).
  std::span<const std::uint8_t> vector_bytes(const Vector& vector) const;

  [[noreturn]] void fail(const std::string& what) const;

 private:
  void require(std::size_t pos, std::size_t length, std::string_view what) const;
  std::uint16_t read_u16(std::size_t pos) const;
  std::uint32_t read_u32(std::size_t pos) const;
  // Position of the field's storage inside the table, or 0 when the field is absent.
  std::size_t field_pos(const Table& table, int field) const;
  // Follows the unsigned offset stored at `pos`, which is relative to `pos` itself.
  std::size_t follow(std::size_t pos, std::string_view what) const;
  Table table_at(std::size_t pos) const;

  std::span<const std::uint8_t> bytes_;
  std::string origin_;
};

}  // namespace mtcnn::weights
