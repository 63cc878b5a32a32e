#include "merge/record_stream.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/path_bytes.hpp"

namespace mtcnn::cli {

RecordStream::RecordStream(std::filesystem::path file) : file_(std::move(file)), in_(file_) {
  if (!in_) throw std::runtime_error("cannot read " + file_.string());
  const int first = in_.peek();
  array_ = first == '[';
}

std::optional<StreamedRecord> RecordStream::next() {
  std::string line;
  while (std::getline(in_, line)) {
    ++line_number_;
    if (array_) {
      // "[", then "{...}," lines, the last "{...}", then "]"; "[]" for none.
      if (line == "[" || line == "]" || line == "[]" || line.empty()) continue;
      if (line.back() == ',') line.pop_back();
    } else if (line.empty()) {
      continue;
    }
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (!json.is_object() || !json.contains("path") || !json["path"].is_string()) {
      throw std::runtime_error(file_.string() + ":" + std::to_string(line_number_) +
                               ": not a record of mtcnn detect");
    }
    StreamedRecord record{line, json["path"].get<std::string>(), ++records_};
    if (const auto bytes = json.find("path_bytes"); bytes != json.end() && bytes->is_string()) {
      if (auto decoded = base64_decode(bytes->get<std::string>())) record.path = *decoded;
    }
    return record;
  }
  if (in_.bad()) throw std::runtime_error("cannot read " + file_.string());
  return std::nullopt;
}

}  // namespace mtcnn::cli
