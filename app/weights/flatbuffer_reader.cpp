#include "weights/flatbuffer_reader.hpp"

#include <bit>
#include <cstring>
#include <stdexcept>

namespace mtcnn::weights {

// FlatBuffers are little-endian; reading them with memcpy is only correct on such a host.
static_assert(std::endian::native == std::endian::little,
              "FlatBuffer reading assumes a little-endian host");

FlatBufferReader::FlatBufferReader(std::span<const std::uint8_t> bytes, std::string origin)
    : bytes_(bytes), origin_(std::move(origin)) {}

void FlatBufferReader::fail(const std::string& what) const {
  throw std::runtime_error(origin_ + ": malformed FlatBuffer: " + what);
}

void FlatBufferReader::require(std::size_t pos, std::size_t length, std::string_view what) const {
  // Written as two comparisons so that a huge `length` cannot wrap around.
  if (pos > bytes_.size() || length > bytes_.size() - pos) {
    fail(std::string(what) + " at byte " + std::to_string(pos) + " (+" + std::to_string(length) +
         ") runs past the end of the data (" + std::to_string(bytes_.size()) +
         " bytes; truncated?)");
  }
}

std::uint16_t FlatBufferReader::read_u16(std::size_t pos) const {
  require(pos, 2, "16-bit value");
  std::uint16_t value;
  std::memcpy(&value, bytes_.data() + pos, sizeof value);  // memcpy: the file need not be aligned
  return value;
}

std::uint32_t FlatBufferReader::read_u32(std::size_t pos) const {
  require(pos, 4, "32-bit value");
  std::uint32_t value;
  std::memcpy(&value, bytes_.data() + pos, sizeof value);
  return value;
}

std::string_view FlatBufferReader::file_identifier() const {
  if (bytes_.size() < 8) return {};
  return {reinterpret_cast<const char*>(bytes_.data() + 4), 4};
}

std::size_t FlatBufferReader::follow(std::size_t pos, std::string_view what) const {
  const std::uint32_t offset = read_u32(pos);
  const std::size_t target = pos + offset;  // size_t is 64-bit here, so this cannot wrap
  require(target, 0, what);
  return target;
}

FlatBufferReader::Table FlatBufferReader::table_at(std::size_t pos) const {
  // A table starts with a signed offset back (or forward) to its vtable.
  const auto back = static_cast<std::int32_t>(read_u32(pos));
  const auto vtable = static_cast<std::int64_t>(pos) - back;
  if (vtable < 0 || static_cast<std::uint64_t>(vtable) >= bytes_.size()) {
    fail("table at byte " + std::to_string(pos) + " points to a vtable outside the data");
  }
  Table table{pos, static_cast<std::size_t>(vtable), 0};
  table.vtable_size = read_u16(table.vtable);
  if (table.vtable_size < 4 || table.vtable_size % 2 != 0) {
    fail("vtable at byte " + std::to_string(table.vtable) + " has an invalid size " +
         std::to_string(table.vtable_size));
  }
  require(table.vtable, table.vtable_size, "vtable");
  return table;
}

FlatBufferReader::Table FlatBufferReader::root() const { return table_at(follow(0, "root table")); }

std::size_t FlatBufferReader::field_pos(const Table& table, int field) const {
  const std::size_t entry = 4 + 2 * static_cast<std::size_t>(field);
  if (field < 0 || entry + 2 > table.vtable_size) return 0;  // a newer field than the writer knew
  const std::uint16_t offset = read_u16(table.vtable + entry);
  return offset == 0 ? 0 : table.pos + offset;
}

bool FlatBufferReader::has_field(const Table& table, int field) const {
  return field_pos(table, field) != 0;
}

std::uint8_t FlatBufferReader::field_u8(const Table& table, int field,
                                        std::uint8_t fallback) const {
  const std::size_t pos = field_pos(table, field);
  if (pos == 0) return fallback;
  require(pos, 1, "8-bit field");
  return bytes_[pos];
}

std::uint32_t FlatBufferReader::field_u32(const Table& table, int field,
                                          std::uint32_t fallback) const {
  const std::size_t pos = field_pos(table, field);
  return pos == 0 ? fallback : read_u32(pos);
}

std::string FlatBufferReader::field_string(const Table& table, int field) const {
  const Vector chars = field_vector(table, field, 1);
  if (chars.size == 0) return {};
  return {reinterpret_cast<const char*>(bytes_.data() + chars.pos), chars.size};
}

FlatBufferReader::Vector FlatBufferReader::field_vector(const Table& table, int field,
                                                        std::size_t element_size) const {
  const std::size_t pos = field_pos(table, field);
  if (pos == 0) return {};
  const std::size_t start = follow(pos, "vector");
  const std::size_t count = read_u32(start);
  // Checking the whole extent here lets the element accessors index without surprises.
  require(start + 4, count * element_size, "vector of " + std::to_string(count) + " elements");
  return {start + 4, count};
}

FlatBufferReader::Table FlatBufferReader::field_table(const Table& table, int field) const {
  const std::size_t pos = field_pos(table, field);
  if (pos == 0) fail("required table field " + std::to_string(field) + " is missing");
  return table_at(follow(pos, "table"));
}

static void check_index(const FlatBufferReader& reader, const FlatBufferReader::Vector& vector,
                        std::size_t index) {
  if (index >= vector.size) {
    reader.fail("index " + std::to_string(index) + " out of range for a vector of " +
                std::to_string(vector.size));
  }
}

std::int32_t FlatBufferReader::vector_i32(const Vector& vector, std::size_t index) const {
  check_index(*this, vector, index);
  return static_cast<std::int32_t>(read_u32(vector.pos + 4 * index));
}

std::uint32_t FlatBufferReader::vector_u32(const Vector& vector, std::size_t index) const {
  check_index(*this, vector, index);
  return read_u32(vector.pos + 4 * index);
}

FlatBufferReader::Table FlatBufferReader::vector_table(const Vector& vector,
                                                       std::size_t index) const {
  check_index(*this, vector, index);
  return table_at(follow(vector.pos + 4 * index, "table in vector"));
}

std::span<const std::uint8_t> FlatBufferReader::vector_bytes(const Vector& vector) const {
  require(vector.pos, vector.size, "byte vector");
  return bytes_.subspan(vector.pos, vector.size);
}

}  // namespace mtcnn::weights
