#include "weights/blob_digest.hpp"

#include <bit>
#include <cstring>

namespace mtcnn::weights {

namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// The digest is defined over little-endian bytes; hashing native memory is only right here.
static_assert(std::endian::native == std::endian::little,
              "blob_digest assumes a little-endian host");

void mix(std::uint64_t& hash, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash ^= bytes[i];
    hash *= kFnvPrime;
  }
}

}  // namespace

std::uint64_t blob_digest(const CaffeBlob& blob) {
  std::uint64_t hash = kFnvOffset;
  const std::uint64_t rank = blob.shape.size();
  mix(hash, &rank, sizeof rank);
  for (const std::int64_t dim : blob.shape) mix(hash, &dim, sizeof dim);
  if (!blob.data.empty()) mix(hash, blob.data.data(), blob.data.size() * sizeof(float));
  return hash;
}

}  // namespace mtcnn::weights
