// WIDER FACE's ground-truth list (wider_face_val_bbx_gt.txt): per image its path, the number of
// faces, then one line per face: x y w h blur expression illumination invalid occlusion pose.
#pragma once

#include <filesystem>
#include <istream>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace mtcnn::cli {

struct WiderFace {
  cv::Rect2d box;
  bool invalid = false;  // flagged by the annotators: neither to be found nor a false positive
};

struct WiderImage {
  std::string name;  // relative to the images directory, e.g. 0--Parade/0_Parade_..._465.jpg
  std::vector<WiderFace> faces;
};

class WiderFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws WiderFormatError naming the source and line. An image with 0 faces is followed in the
// official file by one line of zeros, which is skipped.
std::vector<WiderImage> parse_wider_ground_truth(std::istream& in, const std::string& source);
std::vector<WiderImage> read_wider_ground_truth(const std::filesystem::path& file);

}  // namespace mtcnn::cli
