#include "records/coco_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace mtcnn::cli {

namespace {

// The one category. Its keypoints are listed in mtcnn::Landmark order, the order of the
// records' landmarks object, so keypoint i of an annotation is face.landmarks[i].
constexpr int kFaceCategory = 1;
constexpr std::array<std::string_view, mtcnn::kLandmarkCount> kKeypointNames{
    "left_eye", "right_eye", "nose", "mouth_left", "mouth_right"};
// COCO's visibility flag: labelled and visible. MTCNN places all five points on every face.
constexpr int kVisible = 2;

// Compact, and a path that is not valid UTF-8 gets U+FFFD instead of aborting the batch (as in
// the records).
std::string dump(const ordered_json& json) {
  return json.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string header() {
  ordered_json info;
  info["description"] = "faces found by mtcnn detect";
  info["version"] = MTCNN_VERSION;
  ordered_json category;
  category["id"] = kFaceCategory;
  category["name"] = "face";
  category["supercategory"] = "face";
  category["keypoints"] = ordered_json::array();
  for (const auto name : kKeypointNames) category["keypoints"].push_back(name);
  category["skeleton"] = ordered_json::array();
  return "{\"info\":" + dump(info) + ",\n\"licenses\":[],\n\"categories\":[" + dump(category) +
         "],\n\"images\":[";
}

ordered_json image_json(const Record& record, std::size_t id) {
  ordered_json json;
  json["id"] = id;
  json["file_name"] = record.path;
  // Images are decoded inputs, so the size is known; null only mirrors the record otherwise.
  json["width"] = record.size ? ordered_json(record.size->width) : ordered_json(nullptr);
  json["height"] = record.size ? ordered_json(record.size->height) : ordered_json(nullptr);
  return json;
}

ordered_json annotation_json(const mtcnn::Face& face, std::size_t id, std::size_t image_id) {
  const double width = round_to(face.box.width, kCoordinateDecimals);
  const double height = round_to(face.box.height, kCoordinateDecimals);
  ordered_json keypoints = ordered_json::array();
  for (const auto& point : face.landmarks) {
    keypoints.push_back(round_to(point.x, kCoordinateDecimals));
    keypoints.push_back(round_to(point.y, kCoordinateDecimals));
    keypoints.push_back(kVisible);
  }
  ordered_json json;
  json["id"] = id;
  json["image_id"] = image_id;
  json["category_id"] = kFaceCategory;
  json["bbox"] = {round_to(face.box.x, kCoordinateDecimals),
                  round_to(face.box.y, kCoordinateDecimals), width, height};
  json["area"] = round_to(width * height, kCoordinateDecimals);
  json["iscrowd"] = 0;
  json["keypoints"] = std::move(keypoints);
  json["num_keypoints"] = mtcnn::kLandmarkCount;
  json["score"] = round_to(face.score, kScoreDecimals);
  return json;
}

ordered_json failed_json(const Record& record) {
  ordered_json json;
  json["file_name"] = record.path;
  json["error"] = {{"code", std::string(to_string(record.error->code))},
                   {"message", record.error->message}};
  return json;
}

}  // namespace

// JSON array elements (without the brackets) waiting on disk: an unnamed file, unlinked as soon
// as it is made, so the data goes when the descriptor closes, even if the process is killed.
class CocoWriter::Spool {
 public:
  explicit Spool(const fs::path& folder) : folder_(folder) {
    std::string name = (folder / ".mtcnn-coco-XXXXXX").string();
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) {
      throw std::runtime_error("cannot create a temporary file in " + folder.string() + ": " +
                               std::strerror(errno));
    }
    ::unlink(name.c_str());
    file_ = ::fdopen(fd, "w+b");
    if (file_ == nullptr) {
      ::close(fd);
      throw std::runtime_error("cannot open a temporary file in " + folder.string());
    }
  }
  ~Spool() { std::fclose(file_); }
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  void append(std::string_view element) {
    if (!empty_) put(",\n");
    put(element);
    empty_ = false;
  }

  // Writes the array with everything appended: "[]" or "[\n" elements "\n]".
  void copy_array_to(std::ostream& out) {
    if (empty_) {
      out << "[]";
      return;
    }
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) fail();
    out << "[\n";
    std::array<char, 1 << 16> buffer;
    std::size_t read = 0;
    while ((read = std::fread(buffer.data(), 1, buffer.size(), file_)) > 0) {
      out.write(buffer.data(), static_cast<std::streamsize>(read));
    }
    if (std::ferror(file_)) fail();
    out << "\n]";
  }

 private:
  void put(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail();
  }
  [[noreturn]] void fail() const {
    throw std::runtime_error("cannot use the temporary file in " + folder_.string() +
                             " (disk full or file system error)");
  }

  fs::path folder_;
  std::FILE* file_ = nullptr;
  bool empty_ = true;
};

CocoWriter::CocoWriter(TextOutput out, const fs::path& spool_folder)
    : out_(std::move(out)),
      annotations_(std::make_unique<Spool>(spool_folder)),
      failed_(std::make_unique<Spool>(spool_folder)) {}

CocoWriter::~CocoWriter() = default;

fs::path CocoWriter::spool_folder_for(const std::optional<fs::path>& output_file) {
  if (!output_file) return fs::temp_directory_path();
  return output_file->has_parent_path() ? output_file->parent_path() : fs::path(".");
}

void CocoWriter::begin() {
  if (begun_) return;
  out_.stream() << header();
  begun_ = true;
}

void CocoWriter::write(const Record& record) {
  begin();
  // An image whose only failure is an output of it (an annotated copy) was decoded and searched:
  // it is part of the dataset, and listed as failed too so the missing output is not missed.
  const bool is_image = record.ok() || is_output_failure(to_string(record.error->code));
  if (is_image) {
    const std::size_t image_id = ++images_;
    out_.stream() << (image_id == 1 ? "\n" : ",\n") << dump(image_json(record, image_id));
    for (const auto& face : record.faces) {
      annotations_->append(dump(annotation_json(face, ++faces_, image_id)));
    }
    out_.end_record();
  }
  if (!record.ok()) failed_->append(dump(failed_json(record)));
}

void CocoWriter::finish() {
  begin();
  std::ostream& stream = out_.stream();
  stream << (images_ == 0 ? "]" : "\n]") << ",\n\"annotations\":";
  annotations_->copy_array_to(stream);
  stream << ",\n\"failed\":";
  failed_->copy_array_to(stream);
  stream << "}\n";
  out_.close();
}

}  // namespace mtcnn::cli
