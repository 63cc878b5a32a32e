// --timings FILE: one JSON line per image with the time each stage took, so a user (and
// scripts/bench.sh) can see where the time goes and take percentiles, not only batch totals.
#pragma once

#include <filesystem>
#include <fstream>

#include "detect/image_result.hpp"

namespace mtcnn::cli {

class TimingsLog {
 public:
  // Throws std::runtime_error when the file cannot be created. append: a resumed run adds to
  // the lines of the earlier one.
  explicit TimingsLog(const std::filesystem::path& file, bool append = false);

  // {"path", "decode_ms", "pyramid_ms", "pnet_ms", "rnet_ms", "onet_ms", "detect_ms",
  //  "write_ms", "total_ms"}; detect_ms is the detector's whole call, total_ms adds decoding
  // and writing. Called in input order on the writer thread.
  void add(const ImageResult& result);

 private:
  std::ofstream out_;
};

}  // namespace mtcnn::cli
