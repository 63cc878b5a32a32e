#include "records/detection_file.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/path_bytes.hpp"
#include "records/image_error.hpp"
#include "records/landmark_names.hpp"

namespace mtcnn::cli {

namespace {

using nlohmann::json;

// A record that parses as JSON but is not one of ours; the caller adds file and line.
class RecordShapeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The 1-based line of an offset. Records are met in file order, so each call counts only the
// newlines since the previous one: linear in the file, however many records it holds.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}

  std::size_t line_at(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < offset_) {  // only error messages look back
      offset_ = 0;
      line_ = 1;
    }
    line_ += static_cast<std::size_t>(
        std::count(text_.begin() + static_cast<std::ptrdiff_t>(offset_),
                   text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    offset_ = offset;
    return line_;
  }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  std::size_t line_ = 1;
};

// nlohmann's messages start with "[json.exception...] parse error at line 1, column 5: "; the
// position is relative to the piece we parsed, so keep only the explanation after it.
std::string syntax_explanation(const json::parse_error& error) {
  const std::string message = error.what();
  const std::size_t column = message.find("column ");
  const std::size_t colon = message.find(": ", column == std::string::npos ? 0 : column);
  if (colon == std::string::npos) return message;
  return "not valid JSON: " + message.substr(colon + 2);
}

// nlohmann's message without its "[json.exception.out_of_range.406] " prefix.
std::string plain_message(const json::exception& error) {
  const std::string message = error.what();
  const std::size_t end = message.find("] ");
  return end == std::string::npos ? message : message.substr(end + 2);
}

cv::Point2d point_from(const json& value, const std::string& what) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number()) {
    throw RecordShapeError(what + " must be [x, y] with 2 numbers");
  }
  return {value[0].get<double>(), value[1].get<double>()};
}

StoredFace face_from(const json& value, std::size_t index) {
  const std::string name = "faces[" + std::to_string(index) + "]";
  if (!value.is_object()) throw RecordShapeError(name + " must be an object");
  StoredFace face;

  const auto box = value.find("box");
  if (box == value.end() || !box->is_array() || box->size() != 4 ||
      !std::all_of(box->begin(), box->end(), [](const json& v) { return v.is_number(); })) {
    throw RecordShapeError(name + ".box must be [x, y, w, h] with 4 numbers");
  }
  face.box = {(*box)[0].get<double>(), (*box)[1].get<double>(), (*box)[2].get<double>(),
              (*box)[3].get<double>()};
  if (face.box.width < 0 || face.box.height < 0) {
    throw RecordShapeError(name + ".box has a negative width or height");
  }

  const auto score = value.find("score");
  if (score == value.end() || !score->is_number()) {
    throw RecordShapeError(name + ".score must be a number");
  }
  face.score = score->get<double>();

  const auto landmarks = value.find("landmarks");
  if (landmarks == value.end() || landmarks->is_null()) return face;
  if (!landmarks->is_object()) throw RecordShapeError(name + ".landmarks must be an object");
  std::array<cv::Point2d, kStoredLandmarkCount> points;
  for (std::size_t i = 0; i < kStoredLandmarkCount; ++i) {
    const std::string point_name = name + ".landmarks." + kLandmarkNames[i];
    const auto point = landmarks->find(kLandmarkNames[i]);
    if (point == landmarks->end()) throw RecordShapeError(point_name + " is missing");
    points[i] = point_from(*point, point_name);
  }
  face.landmarks = points;
  return face;
}

StoredRecord record_from(const json& value) {
  if (!value.is_object()) throw RecordShapeError("a record must be a JSON object");
  StoredRecord record;
  const auto path = value.find("path");
  if (path == value.end() || !path->is_string()) {
    throw RecordShapeError("\"path\" must be a string");
  }
  record.path = path->get<std::string>();
  // A name that is not UTF-8 comes exactly in "path_bytes" (records.cpp); match by those bytes.
  const auto bytes = value.find("path_bytes");
  if (bytes != value.end()) {
    const auto decoded =
        bytes->is_string() ? base64_decode(bytes->get<std::string>()) : std::nullopt;
    if (!decoded) throw RecordShapeError("\"path_bytes\" must be base64");
    record.path = *decoded;
  }
  const auto width = value.find("width");
  const auto height = value.find("height");
  if (width != value.end() && height != value.end() && width->is_number_integer() &&
      height->is_number_integer()) {
    record.size = cv::Size(width->get<int>(), height->get<int>());
  }

  // A non-null error marks a failed image, unless it names an output that failed (an annotated
  // copy): the faces are then still the detector's.
  const auto error = value.find("error");
  record.failed = error != value.end() && !error->is_null();
  if (record.failed && error->is_object()) {
    const auto code = error->find("code");
    record.failed =
        !(code != error->end() && code->is_string() && is_output_failure(code->get<std::string>()));
  }
  if (record.failed) return record;

  const auto faces = value.find("faces");
  if (faces == value.end() || !faces->is_array()) {
    throw RecordShapeError("\"faces\" must be an array");
  }
  for (std::size_t i = 0; i < faces->size(); ++i) record.faces.push_back(face_from((*faces)[i], i));
  return record;
}

// Parses one record that starts at `offset` of the whole text, so messages name the right line.
StoredRecord parse_record(std::string_view text, std::size_t offset, std::size_t length,
                          LineCounter& lines, const std::string& source) {
  const std::string_view piece = text.substr(offset, length);
  const std::size_t line = lines.line_at(offset);
  try {
    StoredRecord record = record_from(json::parse(piece));
    record.line = line;
    return record;
  } catch (const json::parse_error& e) {
    const std::size_t error_offset = offset + (e.byte > 0 ? e.byte - 1 : 0);
    throw DetectionFileError(source + ":" + std::to_string(lines.line_at(error_offset)) + ": " +
                             syntax_explanation(e));
  } catch (const RecordShapeError& e) {
    throw DetectionFileError(source + ":" + std::to_string(line) + ": " + e.what());
  } catch (const json::exception& e) {
    // Valid syntax the parser still refuses, such as a number beyond a double's range (1e400);
    // found by tests/fuzz/fuzz_detection_file.cc.
    throw DetectionFileError(source + ":" + std::to_string(line) + ": " + plain_message(e));
  }
}

std::vector<StoredRecord> parse_json_lines(std::string_view text, const std::string& source) {
  std::vector<StoredRecord> records;
  LineCounter lines(text);
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    if (!std::all_of(line.begin(), line.end(), is_space)) {
      records.push_back(parse_record(text, start, line.size(), lines, source));
    }
    start = end + 1;
  }
  return records;
}

// Splits a top-level array into its elements by scanning brackets outside strings, so each
// record can be parsed on its own and its problems reported with the line it starts on.
std::vector<StoredRecord> parse_json_array(std::string_view text, const std::string& source) {
  LineCounter lines(text);
  const auto fail = [&](std::size_t offset, const std::string& message) {
    return DetectionFileError(source + ":" + std::to_string(lines.line_at(offset)) + ": " +
                              message);
  };
  std::vector<StoredRecord> records;
  std::size_t pos = text.find('[') + 1;
  const auto skip_space = [&] {
    while (pos < text.size() && is_space(text[pos])) ++pos;
  };
  skip_space();
  if (pos < text.size() && text[pos] == ']') {
    ++pos;
  } else {
    while (true) {
      skip_space();
      const std::size_t start = pos;
      int depth = 0;
      bool in_string = false;
      for (; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (in_string) {
          if (c == '\\') {
            ++pos;
          } else if (c == '"') {
            in_string = false;
          }
        } else if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (depth == 0) break;
          --depth;
        } else if (c == ',' && depth == 0) {
          break;
        }
      }
      if (pos >= text.size()) throw fail(text.size(), "the JSON array is not closed with ']'");
      if (pos == start) throw fail(start, "expected a record in the JSON array");
      records.push_back(parse_record(text, start, pos - start, lines, source));
      if (text[pos++] == ']') break;
    }
  }
  skip_space();
  if (pos < text.size()) throw fail(pos, "unexpected text after the JSON array");
  return records;
}

}  // namespace

std::vector<StoredRecord> parse_detection_text(std::string_view text, const std::string& source) {
  const auto first = std::find_if_not(text.begin(), text.end(), is_space);
  if (first != text.end() && *first == '[') return parse_json_array(text, source);
  return parse_json_lines(text, source);
}

std::vector<StoredRecord> read_detection_file(const std::filesystem::path& file) {
  const std::string source = file.string();
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) {
    throw DetectionFileError(source + ": is a directory, not a detection file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DetectionFileError(source + ": cannot open the file");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw DetectionFileError(source + ": read error");
  return parse_detection_text(text, source);
}

}  // namespace mtcnn::cli
