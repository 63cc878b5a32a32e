#include "resume/partial_records.hpp"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/path_bytes.hpp"

namespace mtcnn::cli {

namespace {

// The exact path of a record and the crops it names; nothing when the text is not a record.
bool take_record(const std::string& text, PartialRecords& out) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || !json.contains("path") || !json["path"].is_string()) return false;
  std::string path = json["path"].get<std::string>();
  if (const auto bytes = json.find("path_bytes"); bytes != json.end() && bytes->is_string()) {
    if (auto decoded = base64_decode(bytes->get<std::string>())) path = *decoded;
  }
  out.paths.push_back(std::move(path));
  if (const auto faces = json.find("faces"); faces != json.end() && faces->is_array()) {
    for (const auto& face : *faces) {
      if (face.contains("crop") && face["crop"].is_string()) out.crops.push_back(face["crop"]);
    }
  }
  return true;
}

}  // namespace

PartialRecords read_partial_records(const std::filesystem::path& partial, RecordLayout layout) {
  std::ifstream in(partial, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + partial.string());
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  PartialRecords records;
  std::size_t start = 0;
  if (layout == RecordLayout::kJsonArray) {
    // "[\n" then records joined by ",\n"; the last one has no newline until the next comes.
    if (text.rfind("[\n", 0) != 0) return records;  // nothing whole yet: start over
    start = 2;
    records.keep_bytes = 2;
  }
  while (start < text.size()) {
    const std::size_t newline = text.find('\n', start);
    std::string line =
        text.substr(start, newline == std::string::npos ? std::string::npos : newline - start);
    const bool ended = newline != std::string::npos;
    if (layout == RecordLayout::kJsonArray && ended && !line.empty() && line.back() == ',') {
      line.pop_back();
    }
    // A JSON Lines record is whole once its newline is written; an array's last record is whole
    // when it parses (its separator comes with the next record).
    if (layout == RecordLayout::kJsonLines && !ended) break;
    if (!take_record(line, records)) {
      if (!ended || layout == RecordLayout::kJsonArray) break;  // torn by the kill
      throw std::runtime_error(
          partial.string() +
          " holds a line that is not a record of mtcnn's: " + line.substr(0, 80));
    }
    // An array's kept part ends after the record itself: its ",\n" is written with the next.
    records.keep_bytes = layout == RecordLayout::kJsonArray ? start + line.size()
                                                            : (ended ? newline + 1 : text.size());
    if (!ended) break;
    start = newline + 1;
  }
  if (layout == RecordLayout::kJsonArray && records.paths.empty()) records.keep_bytes = 0;
  return records;
}

}  // namespace mtcnn::cli
