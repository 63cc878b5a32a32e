#include "records/image_error.hpp"

namespace mtcnn::cli {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kNotAFile:
      return "not_a_file";
    case ErrorCode::kUnreadable:
      return "unreadable";
    case ErrorCode::kEmptyFile:
      return "empty_file";
    case ErrorCode::kDecodeFailed:
      return "decode_failed";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kDetectFailed:
      return "detect_failed";
    case ErrorCode::kAnnotateFailed:
      return "annotate_failed";
    case ErrorCode::kCropFailed:
      return "crop_failed";
  }
  return "unknown";
}

bool is_output_failure(std::string_view code) {
  return code == to_string(ErrorCode::kAnnotateFailed) || code == to_string(ErrorCode::kCropFailed);
}

}  // namespace mtcnn::cli
