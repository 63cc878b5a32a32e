// The JSON names of the five landmarks, in mtcnn::Landmark order: the one list that every writer
// and reader of records (JSON Lines, crop metadata, evaluation reports) uses.
#pragma once

#include <array>
#include <mtcnn/detector.hpp>

namespace mtcnn::cli {

inline constexpr std::array<const char*, mtcnn::kLandmarkCount> kLandmarkNames{
    "left_eye", "right_eye", "nose", "mouth_left", "mouth_right"};

}  // namespace mtcnn::cli
