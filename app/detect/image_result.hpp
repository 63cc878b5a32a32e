// Everything the pipeline knows about one input once its worker is done with it.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "detect/stage_times.hpp"
#include "outputs/image_output.hpp"
#include "records/record.hpp"

namespace mtcnn::cli {

struct ImageResult {
  Record record;
  std::filesystem::path mirror_path;  // relative path for outputs that mirror the input tree
  // One entry per ImageOutput of the batch, in their order: the files prepare() made, or none
  // when the image failed before or prepare() failed (the record then says why).
  std::vector<std::optional<std::vector<PreparedFile>>> prepared;
  BatchTimes times;  // of this image alone
};

}  // namespace mtcnn::cli
