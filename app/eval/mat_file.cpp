#include "eval/mat_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <fstream>
#include <iterator>

namespace mtcnn::cli {

namespace {

constexpr std::size_t kHeaderBytes = 128;
constexpr int kMaxDepth = 32;  // nesting of cells; deeper means a crafted file, not a list
// Largest inflated element: a split list is well under a megabyte, so more is a zip bomb.
constexpr std::size_t kMaxInflated = std::size_t{1} << 30;

enum DataType : std::uint32_t {
  miINT8 = 1,
  miUINT8 = 2,
  miINT16 = 3,
  miUINT16 = 4,
  miINT32 = 5,
  miUINT32 = 6,
  miSINGLE = 7,
  miDOUBLE = 9,
  miINT64 = 12,
  miUINT64 = 13,
  miMATRIX = 14,
  miCOMPRESSED = 15,
  miUTF8 = 16,
};
enum ArrayClass : std::uint32_t { mxCELL = 1, mxSTRUCT = 2, mxCHAR = 4, mxSPARSE = 5 };

struct Element {
  std::uint32_t type;
  std::span<const std::uint8_t> data;
};

template <typename T>
T load(const std::uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof value);  // the files are little-endian, as is every target here
  return value;
}

// Consecutive data elements within one span.
class ElementReader {
 public:
  ElementReader(std::span<const std::uint8_t> bytes, const std::string& source)
      : bytes_(bytes), source_(source) {}

  bool done() const { return offset_ >= bytes_.size(); }

  Element next() {
    if (bytes_.size() - offset_ < 8) fail("truncated data element tag");
    const std::uint32_t first = load<std::uint32_t>(bytes_.data() + offset_);
    if ((first >> 16) != 0) {  // small element: type and size share the first word
      const std::uint32_t size = first >> 16;
      if (size > 4) fail("small data element larger than 4 bytes");
      Element element{first & 0xFFFFu, bytes_.subspan(offset_ + 4, size)};
      offset_ += 8;
      return element;
    }
    const std::size_t size = load<std::uint32_t>(bytes_.data() + offset_ + 4);
    if (size > bytes_.size() - offset_ - 8) fail("data element runs past the end");
    Element element{first, bytes_.subspan(offset_ + 8, size)};
    // Compressed elements are not padded; all others are to 8 bytes.
    const std::size_t padded = first == miCOMPRESSED ? size : (size + 7) / 8 * 8;
    offset_ = std::min(bytes_.size(), offset_ + 8 + padded);
    return element;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw MatFormatError(source_ + ": " + what + " (at byte " + std::to_string(offset_) + ")");
  }

 private:
  std::span<const std::uint8_t> bytes_;
  const std::string& source_;
  std::size_t offset_ = 0;
};

std::size_t type_size(std::uint32_t type) {
  switch (type) {
    case miINT8:
    case miUINT8:
    case miUTF8:
      return 1;
    case miINT16:
    case miUINT16:
      return 2;
    case miINT32:
    case miUINT32:
    case miSINGLE:
      return 4;
    case miDOUBLE:
    case miINT64:
    case miUINT64:
      return 8;
    default:
      return 0;
  }
}

double number_at(std::uint32_t type, const std::uint8_t* p) {
  switch (type) {
    case miINT8:
      return load<std::int8_t>(p);
    case miUINT8:
      return load<std::uint8_t>(p);
    case miINT16:
      return load<std::int16_t>(p);
    case miUINT16:
      return load<std::uint16_t>(p);
    case miINT32:
      return load<std::int32_t>(p);
    case miUINT32:
      return load<std::uint32_t>(p);
    case miSINGLE:
      return load<float>(p);
    case miDOUBLE:
      return load<double>(p);
    case miINT64:
      return static_cast<double>(load<std::int64_t>(p));
    case miUINT64:
      return static_cast<double>(load<std::uint64_t>(p));
    default:
      return 0;
  }
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// A compressed element's zlib stream, decoded by zlib, which also checks its Adler-32 trailer.
std::vector<std::uint8_t> inflate_element(std::span<const std::uint8_t> data,
                                          const ElementReader& in) {
  if (data.size() > UINT_MAX) in.fail("compressed element too large");
  struct Stream : z_stream {
    Stream() : z_stream{} {}
    ~Stream() { inflateEnd(this); }
  } stream;
  if (inflateInit(&stream) != Z_OK) in.fail("zlib cannot start");
  stream.next_in = const_cast<Bytef*>(data.data());  // zlib's input pointer is not const
  stream.avail_in = static_cast<uInt>(data.size());
  std::vector<std::uint8_t> out;
  int status = Z_OK;
  while (status == Z_OK) {
    if (out.size() == kMaxInflated) in.fail("compressed element exceeds the size limit");
    const std::size_t done = out.size();
    const std::size_t room = std::min<std::size_t>(
        {std::max<std::size_t>(4 * data.size(), 4096), kMaxInflated - done, UINT_MAX});
    out.resize(done + room);
    stream.next_out = out.data() + done;
    stream.avail_out = static_cast<uInt>(room);
    status = inflate(&stream, Z_NO_FLUSH);
    out.resize(done + room - stream.avail_out);
  }
  if (status == Z_STREAM_END) return out;
  // Z_BUF_ERROR: no progress possible, i.e. the input ended before the stream did.
  if (status == Z_BUF_ERROR) in.fail("compressed element is truncated");
  in.fail(std::string("compressed element: ") + (stream.msg ? stream.msg : zError(status)));
}

MatValue parse_matrix(std::span<const std::uint8_t> bytes, const std::string& source,
                      std::string* name, int depth) {
  ElementReader in(bytes, source);
  MatValue value;
  if (bytes.empty()) return value;  // an empty array, e.g. an unset cell: [] (0x0)
  if (depth > kMaxDepth) in.fail("arrays nested too deeply");

  const Element flags = in.next();
  if (flags.type != miUINT32 || flags.data.size() != 8) in.fail("bad array flags");
  const std::uint32_t flag_word = load<std::uint32_t>(flags.data.data());
  const std::uint32_t array_class = flag_word & 0xFFu;
  if (flag_word & 0x800u) in.fail("complex arrays are not supported");
  if (array_class == mxSTRUCT || array_class == mxSPARSE || array_class > 15 || array_class == 3 ||
      array_class == 0) {
    in.fail("unsupported array class " + std::to_string(array_class));
  }

  const Element dims = in.next();
  if (dims.type != miINT32 || dims.data.size() < 8 || dims.data.size() % 4 != 0) {
    in.fail("bad array dimensions");
  }
  std::size_t count = 1;
  for (std::size_t i = 0; i < dims.data.size(); i += 4) {
    const std::int32_t extent = load<std::int32_t>(dims.data.data() + i);
    if (extent < 0) in.fail("negative array dimension");
    value.dimensions.push_back(static_cast<std::size_t>(extent));
    // Every element takes at least a byte in the file, so a larger count is a lie.
    if (extent != 0 && count > bytes.size() / static_cast<std::size_t>(extent)) {
      in.fail("array dimensions exceed the data");
    }
    count *= static_cast<std::size_t>(extent);
  }

  const Element name_element = in.next();
  if (name_element.type != miINT8) in.fail("bad array name");
  if (name) name->assign(name_element.data.begin(), name_element.data.end());

  if (array_class == mxCELL) {
    value.kind = MatValue::Kind::cell;
    for (std::size_t i = 0; i < count; ++i) {
      if (in.done()) in.fail("cell array has fewer elements than its dimensions");
      const Element cell = in.next();
      if (cell.type != miMATRIX) in.fail("cell element is not an array");
      value.cells.push_back(parse_matrix(cell.data, source, nullptr, depth + 1));
    }
    return value;
  }

  const Element real = in.next();
  const std::size_t size = type_size(real.type);
  if (size == 0) in.fail("unsupported data type " + std::to_string(real.type));
  const bool utf8_text = array_class == mxCHAR && real.type == miUTF8;  // variable-width
  if (!utf8_text && (real.data.size() / size != count || real.data.size() % size != 0)) {
    in.fail("array data does not match its dimensions");
  }
  if (array_class == mxCHAR) {
    value.kind = MatValue::Kind::text;
    if (real.type == miUTF8) {
      value.text.assign(real.data.begin(), real.data.end());
    } else {
      for (std::size_t i = 0; i < count; ++i) {
        const double code = number_at(real.type, real.data.data() + i * size);
        if (code < 0 || code > 0xFFFF) in.fail("character out of range");
        append_utf8(value.text, static_cast<std::uint32_t>(code));
      }
    }
    return value;
  }
  value.kind = MatValue::Kind::numeric;
  value.numbers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    value.numbers.push_back(number_at(real.type, real.data.data() + i * size));
  }
  return value;
}

}  // namespace

std::size_t MatValue::element_count() const {
  switch (kind) {
    case Kind::cell:
      return cells.size();
    case Kind::numeric:
      return numbers.size();
    case Kind::text:
      return text.size();
  }
  return 0;
}

std::map<std::string, MatValue> parse_mat(std::span<const std::uint8_t> bytes,
                                          const std::string& source) {
  if (bytes.size() < kHeaderBytes) throw MatFormatError(source + ": too short for a .mat file");
  if (bytes[126] == 'M' && bytes[127] == 'I') {
    throw MatFormatError(source + ": big-endian .mat files are not supported");
  }
  if (bytes[126] != 'I' || bytes[127] != 'M' || load<std::uint16_t>(bytes.data() + 124) != 0x0100) {
    throw MatFormatError(source + ": not a MATLAB v5 .mat file (v7.3 / HDF5 is not supported)");
  }
  std::map<std::string, MatValue> variables;
  ElementReader in(bytes.subspan(kHeaderBytes), source);
  while (!in.done()) {
    Element element = in.next();
    std::vector<std::uint8_t> inflated;
    if (element.type == miCOMPRESSED) {
      inflated = inflate_element(element.data, in);
      ElementReader inner(inflated, source);
      element = inner.next();
    }
    if (element.type != miMATRIX) continue;  // other top-level elements carry no variable
    std::string name;
    MatValue value = parse_matrix(element.data, source, &name, 0);
    variables[name] = std::move(value);
  }
  return variables;
}

std::map<std::string, MatValue> read_mat_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw MatFormatError(file.string() + ": cannot open");
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
  if (in.bad()) throw MatFormatError(file.string() + ": read error");
  return parse_mat(bytes, file.string());
}

}  // namespace mtcnn::cli
