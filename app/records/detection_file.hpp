// Reading detection files back (our record format, docs/output-format.md) for `mtcnn compare`:
// JSON Lines or one JSON array, from this tool or from another implementation.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <opencv2/core.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mtcnn::cli {

inline constexpr std::size_t kStoredLandmarkCount = 5;

struct StoredFace {
  cv::Rect2d box;
  double score = 0.0;
  // In the order left_eye, right_eye, nose, mouth_left, mouth_right. Unset when the file has no
  // landmarks for the face (another implementation may not produce them).
  std::optional<std::array<cv::Point2d, kStoredLandmarkCount>> landmarks;
};

struct StoredRecord {
  std::string path;
  std::optional<cv::Size> size;   // "width" and "height", when the file gives both
  std::vector<StoredFace> faces;  // ignored when failed
  bool failed = false;            // "error" is set, on the image itself (not on an output of it)
  std::size_t line = 0;           // 1-based line of the record's start, for messages
};

// A file that cannot be read or does not hold records; the message starts with "FILE:LINE: "
// (or "FILE: " when no line applies) and says what is wrong.
class DetectionFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses the text of a detection file; `source` names it in error messages. A JSON array when
// the first non-space character is '[', otherwise JSON Lines (blank lines allowed).
std::vector<StoredRecord> parse_detection_text(std::string_view text, const std::string& source);

std::vector<StoredRecord> read_detection_file(const std::filesystem::path& file);

}  // namespace mtcnn::cli
