// How big an input may be before mtcnn refuses it (error too_large), checked before any pixel is
// decoded: one hostile or mistaken file (a 2.7 MB PNG declaring 30000 x 30000 pixels) must not
// stall a batch or get it killed for memory.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

namespace mtcnn::cli {

struct ImageLimits {
  // Pixels (width x height, as the file's header declares them); 0: no limit. The default is
  // about PIL's refusal threshold (2 x its 89.5 Mpx warning): a 15000 x 12000 photo passes.
  std::uint64_t max_pixels = 180'000'000;
  // Bytes read from one file or from standard input. cv::imdecode takes its buffer as an int
  // number of bytes, so 2 GiB - 1 is the most it can decode; an uncompressed 16-bit RGBA image at
  // the default pixel limit (1.44 GB) still fits.
  std::uint64_t max_bytes = (std::uint64_t{1} << 31) - 1;
};

// --max-pixels N.
void add_image_limit_options(CLI::App& command, ImageLimits& limits);

}  // namespace mtcnn::cli
