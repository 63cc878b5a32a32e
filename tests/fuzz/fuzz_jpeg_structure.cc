// inspect_jpeg walks the segments of every input before it is decoded (a truncated JPEG is
// refused): it must stay inside the buffer whatever the lengths in the segments say.
#include <cstddef>
#include <cstdint>
#include <span>

#include "inputs/jpeg_structure.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using mtcnn::cli::JpegStructure;
  const JpegStructure verdict = mtcnn::cli::inspect_jpeg({data, size});
  // Without the start-of-image marker nothing else may be claimed.
  const bool starts_like_jpeg = size >= 2 && data[0] == 0xFF && data[1] == 0xD8;
  if (!starts_like_jpeg && verdict != JpegStructure::kNotJpeg) __builtin_trap();
  return 0;
}
