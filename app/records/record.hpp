// The result for one input, as written to the JSON output (see docs/output-format.md).
#pragma once

#include <mtcnn/detector.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "records/image_error.hpp"

namespace mtcnn::cli {

struct RecordError {
  ErrorCode code;
  std::string message;
};

struct Record {
  std::string path;              // as given on the command line or found by the walk
  std::optional<cv::Size> size;  // known once the image has been decoded
  // Empty when the input itself failed (error set by mark_failed); kept when only one of its
  // outputs failed (mark_output_failed), since the detections are still right.
  std::vector<mtcnn::Face> faces;
  std::optional<RecordError> error;  // unset means success
  // With --crops: per face, the crop as written (a file, or "shard.tar:member"), or none for a
  // face that got no crop. Empty without --crops, and then the JSON has no "crop" keys.
  std::vector<std::optional<std::string>> crops;

  bool ok() const { return !error.has_value(); }
};

// Marks the record failed. Faces are dropped so a consumer never sees half a result; the size
// is kept when the image was decoded, since it is still true.
void mark_failed(Record& record, ErrorCode code, std::string message);

// Marks the record failed because an output of it (an annotated copy, a crop) could not be made:
// faces and size stay. The first failure is the one reported.
void mark_output_failed(Record& record, ErrorCode code, std::string message);

// Precision of the serialised numbers: enough for pixels and for ranking by score, short
// enough to keep a line per image readable.
inline constexpr int kCoordinateDecimals = 2;
inline constexpr int kScoreDecimals = 5;

// Rounds half away from zero and never returns -0.0 (which would print as "-0.0").
double round_to(double value, int decimals);

// ordered_json keeps the keys in the documented order (path, width, height, faces, error).
nlohmann::ordered_json to_json(const Record& record);

// One compact line without the trailing newline. Invalid UTF-8 in paths becomes U+FFFD rather
// than aborting the batch.
std::string to_json_line(const Record& record);

}  // namespace mtcnn::cli
