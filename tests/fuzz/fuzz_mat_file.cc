// The .mat reader (parse_mat) on arbitrary bytes: WIDER FACE's split lists (wider_easy_val.mat,
// ...) are downloaded files. Malformed bytes must give MatFormatError; any other exception is
// reported as a crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "eval/mat_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    mtcnn::cli::parse_mat({data, size}, "fuzz");
  } catch (const mtcnn::cli::MatFormatError&) {
  }
  return 0;
}
