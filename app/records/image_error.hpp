// Why one input could not be processed. The codes are part of the output format
// (docs/output-format.md), so existing ones must never be renamed.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mtcnn::cli {

enum class ErrorCode {
  kNotFound,        // the path does not exist (or is a broken symbolic link)
  kNotAFile,        // exists but is not a regular file (device, socket, fifo)
  kUnreadable,      // exists but could not be opened or read (permissions, I/O error)
  kEmptyFile,       // zero bytes
  kDecodeFailed,    // read fine, but not an image OpenCV can decode, or a truncated JPEG
  kTooLarge,        // over --max-pixels (from the header, before decoding) or the byte limit
  kDetectFailed,    // the detector threw on this image
  kAnnotateFailed,  // the annotated copy could not be encoded or written
  kCropFailed,      // a face's crop could not be encoded or written
};

std::string_view to_string(ErrorCode code);

// Whether a code (as written in records) says that an output of the image failed, not the
// image itself: such a record still holds the image's faces.
bool is_output_failure(std::string_view code);

// Thrown by a per-image stage; the pipeline turns it into an error record and moves on.
class ImageFailure : public std::runtime_error {
 public:
  ImageFailure(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace mtcnn::cli
