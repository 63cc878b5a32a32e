// The CUHK 5-point list (Sun et al., 2013): one labelled face per line,
// `name x1 x2 y1 y2` (the face box) then x y of left eye, right eye, nose, left and right mouth
// corner. Lines starting with '#' are comments.
#pragma once

#include <array>
#include <filesystem>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "records/detection_file.hpp"

namespace mtcnn::cli {

struct LabelledFace {
  std::string image;  // as in the list, relative to the image directory
  cv::Rect2d box;
  std::array<cv::Point2d, kStoredLandmarkCount> points;  // our landmark order
};

class LandmarkListError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws LandmarkListError naming the file and line.
std::vector<LabelledFace> read_landmark_list(const std::filesystem::path& file);
std::vector<LabelledFace> parse_landmark_list(std::istream& in, const std::string& source);

}  // namespace mtcnn::cli
