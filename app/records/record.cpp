#include "records/record.hpp"

#include <array>
#include <cmath>
#include <string_view>

#include "common/path_bytes.hpp"
#include "records/landmark_names.hpp"

namespace mtcnn::cli {

namespace {

nlohmann::ordered_json point_json(const cv::Point2f& point) {
  return {round_to(point.x, kCoordinateDecimals), round_to(point.y, kCoordinateDecimals)};
}

nlohmann::ordered_json face_json(const mtcnn::Face& face, const std::optional<std::string>* crop) {
  nlohmann::ordered_json landmarks = nlohmann::ordered_json::object();
  for (int i = 0; i < mtcnn::kLandmarkCount; ++i) {
    landmarks[std::string(kLandmarkNames[i])] = point_json(face.landmarks[i]);
  }
  nlohmann::ordered_json json;
  json["box"] = {round_to(face.box.x, kCoordinateDecimals),
                 round_to(face.box.y, kCoordinateDecimals),
                 round_to(face.box.width, kCoordinateDecimals),
                 round_to(face.box.height, kCoordinateDecimals)};
  json["score"] = round_to(face.score, kScoreDecimals);
  json["landmarks"] = std::move(landmarks);
  if (crop != nullptr) json["crop"] = *crop ? nlohmann::ordered_json(**crop) : nullptr;
  return json;
}

}  // namespace

void mark_failed(Record& record, ErrorCode code, std::string message) {
  record.faces.clear();
  record.crops.clear();
  record.error = RecordError{code, std::move(message)};
}

void mark_output_failed(Record& record, ErrorCode code, std::string message) {
  if (!record.error) record.error = RecordError{code, std::move(message)};
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale + 0.0;  // + 0.0 turns -0.0 into 0.0
}

nlohmann::ordered_json to_json(const Record& record) {
  nlohmann::ordered_json json;
  json["path"] = record.path;  // invalid UTF-8 becomes U+FFFD when dumped
  if (!is_valid_utf8(record.path)) json["path_bytes"] = base64_encode(record.path);
  if (record.size) {
    json["width"] = record.size->width;
    json["height"] = record.size->height;
  } else {
    json["width"] = nullptr;
    json["height"] = nullptr;
  }
  json["faces"] = nlohmann::ordered_json::array();
  const bool with_crops = record.crops.size() == record.faces.size() && !record.crops.empty();
  for (std::size_t k = 0; k < record.faces.size(); ++k) {
    json["faces"].push_back(face_json(record.faces[k], with_crops ? &record.crops[k] : nullptr));
  }
  if (record.error) {
    json["error"] = {{"code", std::string(to_string(record.error->code))},
                     {"message", record.error->message}};
  } else {
    json["error"] = nullptr;
  }
  return json;
}

std::string to_json_line(const Record& record) {
  return to_json(record).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace mtcnn::cli
