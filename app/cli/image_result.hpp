// Everything the pipeline knows about one input once its worker is done with it.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>

#include "cli/record.hpp"
#include "cli/stage_times.hpp"

namespace mtcnn::cli {

struct ImageResult {
  Record record;
  std::filesystem::path mirror_path;  // relative path for writers that mirror the input tree
  cv::Mat image;                      // decoded pixels; kept only if a writer asked for them
  BatchTimes times;                   // of this image alone
};

}  // namespace mtcnn::cli
