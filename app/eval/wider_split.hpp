// The official WIDER FACE Easy / Medium / Hard settings (eval_tools/ground_truth/wider_*_val.mat):
// per image, the 1-based indices of the faces, in ground-truth order, that count in the setting.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eval/mat_file.hpp"
#include "eval/wider_annotations.hpp"

namespace mtcnn::cli {

inline constexpr std::array<std::string_view, 3> kWiderSettings = {"easy", "medium", "hard"};

// Keyed by "event/image" without extension, e.g. "0--Parade/0_Parade_marchingband_1_465".
using WiderSplit = std::map<std::string, std::vector<std::size_t>>;

std::filesystem::path wider_split_file(const std::filesystem::path& dir, std::string_view setting);

// From the variables event_list, file_list and gt_list. Throws MatFormatError naming `source`.
WiderSplit wider_split_from_mat(const std::map<std::string, MatValue>& variables,
                                const std::string& source);
WiderSplit read_wider_split(const std::filesystem::path& file);

struct SplitImages {
  std::vector<WiderImage> images;
  std::size_t images_not_listed = 0;  // ground-truth images absent from the split: all ignored
};

// The ground truth seen through one setting: faces it does not list become ignored, like invalid
// ones (neither to be found nor a false positive when detected), as in the official protocol.
// Throws WiderFormatError when an index is beyond an image's faces.
SplitImages apply_wider_split(const std::vector<WiderImage>& images, const WiderSplit& split);

}  // namespace mtcnn::cli
