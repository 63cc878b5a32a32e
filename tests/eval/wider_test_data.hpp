// A small WIDER FACE ground-truth list shared by the eval wider tests: image a has three faces,
// the third flagged invalid; b has none; c has one.
#pragma once

#include <opencv2/core.hpp>

#include "records/detection_file.hpp"

namespace wider_test {

constexpr const char* kGroundTruth =
    "0--Parade/a.jpg\n"
    "3\n"
    "10 10 40 40 0 0 0 0 0 0 \n"
    "100 10 12 15 2 0 0 0 1 0 \n"
    "200 10 60 80 0 0 0 1 0 0 \n"
    "1--Handshaking/b.jpg\n"
    "0\n"
    "0 0 0 0 0 0 0 0 0 0 \n"
    "1--Handshaking/c.jpg\n"
    "1\n"
    "30 30 120 150 0 0 0 0 0 0 \n";

inline mtcnn::cli::StoredFace detection(const cv::Rect2d& box, double score) {
  mtcnn::cli::StoredFace face;
  face.box = box;
  face.score = score;
  return face;
}

}  // namespace wider_test
