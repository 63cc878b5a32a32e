#include "eval/inflate.hpp"

#include <array>
#include <utility>

namespace mtcnn::cli {

namespace {

constexpr int kMaxBits = 15;

// Reads bits least-significant first, as DEFLATE packs them.
class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> data) : data_(data) {}

  unsigned bits(int count) {
    unsigned value = 0;
    for (int i = 0; i < count; ++i) {
      if (position_ >= data_.size() * 8) throw InflateError("DEFLATE data ends early");
      value |= static_cast<unsigned>((data_[position_ / 8] >> (position_ % 8)) & 1u) << i;
      ++position_;
    }
    return value;
  }

  void align_to_byte() { position_ = (position_ + 7) / 8 * 8; }

  std::uint8_t byte() {
    if (position_ % 8 != 0 || position_ / 8 >= data_.size()) {
      throw InflateError("DEFLATE data ends early");
    }
    const std::uint8_t value = data_[position_ / 8];
    position_ += 8;
    return value;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t position_ = 0;  // in bits
};

// Canonical Huffman code decoded one bit at a time (counts per length, symbols by code order):
// slow but simple, and the .mat files are small.
class Huffman {
 public:
  explicit Huffman(std::span<const std::uint8_t> lengths) {
    for (const std::uint8_t length : lengths) ++counts_[length];
    counts_[0] = 0;
    // Over-subscribed codes cannot be decoded unambiguously; incomplete ones are allowed
    // (RFC 1951 permits a single distance code).
    int left = 1;
    for (int length = 1; length <= kMaxBits; ++length) {
      left = left * 2 - counts_[length];
      if (left < 0) throw InflateError("over-subscribed Huffman code");
    }
    std::array<int, kMaxBits + 2> offsets{};
    for (int length = 1; length <= kMaxBits; ++length) {
      offsets[length + 1] = offsets[length] + counts_[length];
    }
    symbols_.resize(lengths.size());
    for (std::size_t symbol = 0; symbol < lengths.size(); ++symbol) {
      if (lengths[symbol] != 0) symbols_[offsets[lengths[symbol]]++] = static_cast<int>(symbol);
    }
  }

  int decode(BitReader& in) const {
    int code = 0, first = 0, index = 0;
    for (int length = 1; length <= kMaxBits; ++length) {
      code |= static_cast<int>(in.bits(1));
      const int count = counts_[length];
      if (code - first < count) return symbols_[index + code - first];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw InflateError("invalid Huffman code");
  }

 private:
  std::array<int, kMaxBits + 1> counts_{};
  std::vector<int> symbols_;
};

constexpr std::array<int, 29> kLengthBase = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                             15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                             67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<int, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                              2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<int, 30> kDistanceBase = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<int, 30> kDistanceExtra = {0, 0, 0,  0,  1,  1,  2,  2,  3,  3,
                                                4, 4, 5,  5,  6,  6,  7,  7,  8,  8,
                                                9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

class Output {
 public:
  explicit Output(std::size_t limit) : limit_(limit) {}
  void push(std::uint8_t byte) {
    if (bytes.size() >= limit_) throw InflateError("DEFLATE output exceeds the size limit");
    bytes.push_back(byte);
  }
  std::vector<std::uint8_t> bytes;

 private:
  std::size_t limit_;
};

void inflate_stored(BitReader& in, Output& out) {
  in.align_to_byte();
  const unsigned length = in.byte() | (in.byte() << 8);
  const unsigned complement = in.byte() | (in.byte() << 8);
  if ((length ^ 0xFFFFu) != complement) throw InflateError("stored block length check fails");
  for (unsigned i = 0; i < length; ++i) out.push(in.byte());
}

void inflate_codes(BitReader& in, Output& out, const Huffman& literals, const Huffman& distances) {
  for (;;) {
    const int symbol = literals.decode(in);
    if (symbol < 256) {
      out.push(static_cast<std::uint8_t>(symbol));
      continue;
    }
    if (symbol == 256) return;
    const std::size_t length_index = static_cast<std::size_t>(symbol - 257);
    if (length_index >= kLengthBase.size()) throw InflateError("invalid length symbol");
    const int length =
        kLengthBase[length_index] + static_cast<int>(in.bits(kLengthExtra[length_index]));
    const auto distance_index = static_cast<std::size_t>(distances.decode(in));
    if (distance_index >= kDistanceBase.size()) throw InflateError("invalid distance symbol");
    const std::size_t distance = static_cast<std::size_t>(kDistanceBase[distance_index]) +
                                 in.bits(kDistanceExtra[distance_index]);
    if (distance > out.bytes.size()) throw InflateError("distance reaches before the output");
    for (int i = 0; i < length; ++i) out.push(out.bytes[out.bytes.size() - distance]);
  }
}

void inflate_fixed(BitReader& in, Output& out) {
  std::array<std::uint8_t, 288> literal_lengths{};
  for (std::size_t i = 0; i < 288; ++i) {
    literal_lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
  }
  std::array<std::uint8_t, 30> distance_lengths{};
  distance_lengths.fill(5);
  inflate_codes(in, out, Huffman(literal_lengths), Huffman(distance_lengths));
}

void inflate_dynamic(BitReader& in, Output& out) {
  const unsigned literal_count = in.bits(5) + 257;
  const unsigned distance_count = in.bits(5) + 1;
  const unsigned code_length_count = in.bits(4) + 4;
  if (literal_count > 286 || distance_count > 30) throw InflateError("too many Huffman codes");
  constexpr std::array<int, 19> kOrder = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                          11, 4,  12, 3, 13, 2, 14, 1, 15};
  std::array<std::uint8_t, 19> code_lengths{};
  for (unsigned i = 0; i < code_length_count; ++i) {
    code_lengths[static_cast<std::size_t>(kOrder[i])] = static_cast<std::uint8_t>(in.bits(3));
  }
  const Huffman code_length_code(code_lengths);

  std::vector<std::uint8_t> lengths;
  while (lengths.size() < literal_count + distance_count) {
    const int symbol = code_length_code.decode(in);
    if (symbol < 16) {
      lengths.push_back(static_cast<std::uint8_t>(symbol));
      continue;
    }
    std::uint8_t value = 0;
    unsigned repeat = 0;
    if (symbol == 16) {
      if (lengths.empty()) throw InflateError("length repeat with no previous length");
      value = lengths.back();
      repeat = 3 + in.bits(2);
    } else if (symbol == 17) {
      repeat = 3 + in.bits(3);
    } else {
      repeat = 11 + in.bits(7);
    }
    if (lengths.size() + repeat > literal_count + distance_count) {
      throw InflateError("Huffman code lengths overflow");
    }
    lengths.insert(lengths.end(), repeat, value);
  }
  if (lengths[256] == 0) throw InflateError("no end-of-block code");
  const std::span<const std::uint8_t> all(lengths);
  inflate_codes(in, out, Huffman(all.first(literal_count)),
                Huffman(all.subspan(literal_count, distance_count)));
}

}  // namespace

std::uint32_t adler32(std::span<const std::uint8_t> data) {
  constexpr std::uint32_t kModulus = 65521;
  std::uint32_t a = 1, b = 0;
  for (const std::uint8_t byte : data) {
    a = (a + byte) % kModulus;
    b = (b + a) % kModulus;
  }
  return (b << 16) | a;
}

std::vector<std::uint8_t> inflate_raw(std::span<const std::uint8_t> data, std::size_t max_output) {
  BitReader in(data);
  Output out(max_output);
  bool last = false;
  while (!last) {
    last = in.bits(1) != 0;
    switch (in.bits(2)) {
      case 0:
        inflate_stored(in, out);
        break;
      case 1:
        inflate_fixed(in, out);
        break;
      case 2:
        inflate_dynamic(in, out);
        break;
      default:
        throw InflateError("invalid DEFLATE block type 3");
    }
  }
  return std::move(out.bytes);
}

std::vector<std::uint8_t> inflate_zlib(std::span<const std::uint8_t> data, std::size_t max_output) {
  if (data.size() < 6) throw InflateError("zlib stream too short");
  const unsigned cmf = data[0], flags = data[1];
  if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7) throw InflateError("zlib stream is not DEFLATE");
  if ((cmf * 256 + flags) % 31 != 0) throw InflateError("zlib header check fails");
  if (flags & 0x20) throw InflateError("zlib preset dictionary not supported");
  // A .mat element holds exactly one stream, so the Adler-32 is its last four bytes.
  std::vector<std::uint8_t> out = inflate_raw(data.subspan(2, data.size() - 6), max_output);
  const std::uint8_t* tail = data.data() + data.size() - 4;
  const std::uint32_t expected = (std::uint32_t{tail[0]} << 24) | (std::uint32_t{tail[1]} << 16) |
                                 (std::uint32_t{tail[2]} << 8) | tail[3];
  if (adler32(out) != expected) throw InflateError("zlib Adler-32 check fails");
  return out;
}

}  // namespace mtcnn::cli
