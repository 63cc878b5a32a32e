// The COCO writer: structure of the document, failed inputs, atomic -o, bounded memory, the docs.
#include <malloc.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "records/coco_writer.hpp"
#include "records/image_error.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;
using nlohmann::json;

namespace {

Record image_record(const std::string& path, int face_count) {
  Record record;
  record.path = path;
  record.size = cv::Size(200, 100);
  for (int i = 0; i < face_count; ++i) {
    mtcnn::Face face = sample_face();
    face.box.x += 5.0f * static_cast<float>(i);
    face.score -= 0.01f * static_cast<float>(i);
    record.faces.push_back(face);
  }
  return record;
}

Record failed_record(const std::string& path, ErrorCode code) {
  Record record;
  record.path = path;
  mark_failed(record, code, "cannot read it");
  return record;
}

// What a COCO loader relies on (pycocotools indexes annotations by image_id and category_id),
// checked without Python: one message per problem, none for a sound document.
std::vector<std::string> coco_problems(const json& doc) {
  std::vector<std::string> problems;
  for (const char* key : {"info", "images", "annotations", "categories", "failed"}) {
    if (!doc.contains(key)) problems.push_back(std::string("no ") + key);
  }
  if (!problems.empty()) return problems;
  std::set<std::int64_t> category_ids;
  std::size_t keypoint_count = 0;
  for (const auto& category : doc["categories"]) {
    if (!category_ids.insert(category["id"].get<std::int64_t>()).second) {
      problems.push_back("category id repeated");
    }
    keypoint_count = category["keypoints"].size();
  }
  std::set<std::int64_t> image_ids;
  for (const auto& image : doc["images"]) {
    if (!image["file_name"].is_string()) problems.push_back("image without file_name");
    if (!image["width"].is_number_integer() || !image["height"].is_number_integer()) {
      problems.push_back("image without integer size");
    }
    if (!image_ids.insert(image["id"].get<std::int64_t>()).second) {
      problems.push_back("image id repeated");
    }
  }
  std::set<std::int64_t> annotation_ids;
  for (const auto& annotation : doc["annotations"]) {
    const std::string id = annotation["id"].dump();
    if (!annotation_ids.insert(annotation["id"].get<std::int64_t>()).second) {
      problems.push_back("annotation id repeated: " + id);
    }
    if (!image_ids.count(annotation["image_id"].get<std::int64_t>())) {
      problems.push_back("annotation " + id + " names no image");
    }
    if (!category_ids.count(annotation["category_id"].get<std::int64_t>())) {
      problems.push_back("annotation " + id + " names no category");
    }
    const json& bbox = annotation["bbox"];
    if (bbox.size() != 4 || bbox[2].get<double>() < 0 || bbox[3].get<double>() < 0) {
      problems.push_back("annotation " + id + " has a bad bbox");
    } else if (std::abs(annotation["area"].get<double>() -
                        bbox[2].get<double>() * bbox[3].get<double>()) > 0.01) {
      problems.push_back("annotation " + id + ": area is not w*h");
    }
    const json& keypoints = annotation["keypoints"];
    if (keypoints.size() != 3 * keypoint_count) {
      problems.push_back("annotation " + id + " has not 3 values per keypoint of its category");
    } else {
      int labelled = 0;
      for (std::size_t i = 2; i < keypoints.size(); i += 3) {
        const int visibility = keypoints[i].get<int>();
        if (visibility < 0 || visibility > 2) problems.push_back("bad visibility in " + id);
        labelled += visibility > 0 ? 1 : 0;
      }
      if (annotation["num_keypoints"] != labelled) problems.push_back("num_keypoints of " + id);
    }
    if (!annotation["score"].is_number()) problems.push_back("annotation " + id + " no score");
  }
  for (const auto& failed : doc["failed"]) {
    if (!failed["file_name"].is_string() || !failed["error"]["code"].is_string() ||
        !failed["error"]["message"].is_string()) {
      problems.push_back("failed entry without file_name and error");
    }
  }
  return problems;
}

std::string export_text(const TempDir& tmp, const std::vector<Record>& records) {
  const fs::path target = tmp / "faces.coco.json";
  CocoWriter writer(TextOutput(target), tmp.path());
  for (const auto& record : records) writer.write(record);
  writer.finish();
  return read_text(target);
}

// Sizes of the files this process has open under folder, unlinked ones included.
std::vector<std::uintmax_t> open_files_under(const fs::path& folder) {
  const std::string prefix = fs::canonical(folder).string() + "/";
  std::vector<std::uintmax_t> sizes;
  for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = fs::read_symlink(entry.path(), ec).string();
    if (!ec && target.rfind(prefix, 0) == 0) sizes.push_back(fs::file_size(entry.path()));
  }
  return sizes;
}

// Bytes malloc has handed out and not had back (glibc).
std::int64_t heap_in_use() {
  const struct mallinfo2 info = ::mallinfo2();
  return static_cast<std::int64_t>(info.uordblks + info.hblkhd);
}

// The ```json block that follows the COCO heading of docs/output-format.md.
std::string documented_example() {
  std::ifstream doc(fs::path(MTCNN_SOURCE_DIR) / "docs" / "output-format.md");
  std::string line;
  while (std::getline(doc, line) && line.rfind("## COCO", 0) != 0) {
  }
  while (std::getline(doc, line) && line != "```json") {
  }
  std::string block;
  while (std::getline(doc, line) && line != "```") block += line + "\n";
  return block;
}

// A record back from its JSON line, as mtcnn detect wrote it.
Record record_from_json(const nlohmann::ordered_json& line) {
  Record record;
  record.path = line["path"];
  if (!line["width"].is_null()) record.size = cv::Size(line["width"], line["height"]);
  for (const auto& stored : line["faces"]) {
    mtcnn::Face face;
    const auto& box = stored["box"];
    face.box = cv::Rect2f(box[0], box[1], box[2], box[3]);
    face.score = stored["score"];
    int i = 0;
    for (const auto& point : stored["landmarks"]) {
      face.landmarks[i++] = cv::Point2f(point[0], point[1]);
    }
    record.faces.push_back(face);
  }
  // The example's one failure is not_found; its test checks the round trip, so another fails.
  if (!line["error"].is_null()) {
    mark_failed(record, ErrorCode::kNotFound, line["error"]["message"]);
  }
  return record;
}

}  // namespace

TEST_CASE("coco: a small export links faces to their images, failed inputs listed apart",
          "[records][coco]") {
  TempDir tmp;
  Record annotate_failed = image_record("d.jpg", 1);
  mark_output_failed(annotate_failed, ErrorCode::kAnnotateFailed, "disk full");
  const std::string text =
      export_text(tmp, {image_record("a.jpg", 2), failed_record("b.jpg", ErrorCode::kNotFound),
                        image_record("c.jpg", 0), annotate_failed,
                        failed_record("e.jpg", ErrorCode::kDecodeFailed)});
  const json doc = json::parse(text);
  CHECK(coco_problems(doc).empty());

  // Images: the inputs that were decoded, numbered from 1 in input order.
  REQUIRE(doc["images"].size() == 3);
  CHECK(doc["images"][0] ==
        json::parse(R"({"id":1,"file_name":"a.jpg","width":200,"height":100})"));
  CHECK(doc["images"][1]["file_name"] == "c.jpg");
  CHECK(doc["images"][2]["file_name"] == "d.jpg");
  CHECK(doc["images"][2]["id"] == 3);

  REQUIRE(doc["annotations"].size() == 3);
  std::vector<int> ids, image_ids;
  for (const auto& annotation : doc["annotations"]) {
    ids.push_back(annotation["id"]);
    image_ids.push_back(annotation["image_id"]);
  }
  CHECK(ids == std::vector<int>{1, 2, 3});
  CHECK(image_ids == std::vector<int>{1, 1, 3});  // the output-failed image keeps its face

  // Keypoints: x, y, visibility 2, in landmark order (sample_face puts landmark i at 60+10i,
  // 40+5i).
  const json& first = doc["annotations"][0];
  CHECK(first["keypoints"] ==
        json::parse("[60.0,40.0,2, 70.0,45.0,2, 80.0,50.0,2, 90.0,55.0,2, 100.0,60.0,2]"));
  CHECK(first["num_keypoints"] == 5);
  CHECK(first["bbox"] == json::parse("[50.0,20.0,60.0,70.0]"));
  CHECK(first["area"] == 4200.0);
  CHECK(first["category_id"] == 1);
  CHECK(first["iscrowd"] == 0);
  CHECK(first["score"] == 0.98);
  CHECK(doc["annotations"][1]["bbox"][0] == 55.0);

  CHECK(doc["categories"] == json::parse(R"([{"id":1,"name":"face","supercategory":"face",
      "keypoints":["left_eye","right_eye","nose","mouth_left","mouth_right"],"skeleton":[]}])"));

  REQUIRE(doc["failed"].size() == 3);
  CHECK(doc["failed"][0] ==
        json::parse(
            R"({"file_name":"b.jpg","error":{"code":"not_found","message":"cannot read it"}})"));
  CHECK(doc["failed"][1]["file_name"] == "d.jpg");
  CHECK(doc["failed"][1]["error"]["code"] == "annotate_failed");
  CHECK(doc["failed"][2]["error"]["code"] == "decode_failed");

  // One image, annotation or failed input per line, so line tools still work on the file.
  const auto lines = split_lines(text);
  CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& line) {
          return line.find("\"image_id\"") != std::string::npos;
        }) == 3);
  // 4 header lines, 3 images, 3 annotations, 3 failed, 5 lines closing and opening arrays.
  CHECK(lines.size() == 18);
}

TEST_CASE("coco: the structure check finds what a loader would trip on", "[records][coco]") {
  TempDir tmp;
  const json sound = json::parse(export_text(tmp, {image_record("a.jpg", 1)}));
  REQUIRE(coco_problems(sound).empty());
  json dangling = sound;
  dangling["annotations"][0]["image_id"] = 7;
  CHECK(coco_problems(dangling) == std::vector<std::string>{"annotation 1 names no image"});
  json short_keypoints = sound;
  short_keypoints["annotations"][0]["keypoints"].erase(0);
  CHECK(coco_problems(short_keypoints).size() == 1);
  json unlabelled = sound;
  unlabelled["annotations"][0]["keypoints"][2] = 0;
  CHECK(coco_problems(unlabelled) == std::vector<std::string>{"num_keypoints of 1"});
  json no_failed = sound;
  no_failed.erase("failed");
  CHECK(coco_problems(no_failed) == std::vector<std::string>{"no failed"});
}

TEST_CASE("coco: an empty batch is a valid document with empty arrays", "[records][coco]") {
  TempDir tmp;
  const json doc = json::parse(export_text(tmp, {}));
  CHECK(coco_problems(doc).empty());
  CHECK(doc["images"] == json::array());
  CHECK(doc["annotations"] == json::array());
  CHECK(doc["failed"] == json::array());
  CHECK(doc["categories"].size() == 1);

  // Only failed inputs: still no images, and the failures are there.
  const json failures =
      json::parse(export_text(tmp, {failed_record("x.jpg", ErrorCode::kNotFound)}));
  CHECK(coco_problems(failures).empty());
  CHECK(failures["images"] == json::array());
  CHECK(failures["failed"].size() == 1);
}

TEST_CASE("coco: the -o file appears only at finish, and the spools never outlive the writer",
          "[records][coco]") {
  TempDir tmp;
  const fs::path target = tmp / "out" / "faces.json";
  CHECK(CocoWriter::spool_folder_for(target) == tmp / "out");
  CHECK(CocoWriter::spool_folder_for(fs::path("faces.json")) == ".");
  CHECK(CocoWriter::spool_folder_for(std::nullopt) == fs::temp_directory_path());

  const fs::path spool = tmp / "spool";
  fs::create_directories(spool);
  {
    CocoWriter writer(TextOutput(target), spool);
    writer.write(image_record("a.jpg", 1));
    writer.write(failed_record("b.jpg", ErrorCode::kUnreadable));
    CHECK_FALSE(fs::exists(target));
    // Annotations and failed inputs are open, but without a name: a crash cannot leave them.
    CHECK(open_files_under(spool).size() == 2);
    CHECK(fs::is_empty(spool));
    writer.finish();
  }
  CHECK(coco_problems(json::parse(read_text(target))).empty());
  CHECK(open_files_under(spool).empty());

  const fs::path aborted = tmp / "out" / "aborted.json";
  {
    CocoWriter writer(TextOutput(aborted), spool);
    writer.write(image_record("a.jpg", 3));
    // Destroyed without finish(), as when the batch stops on an error.
  }
  CHECK_FALSE(fs::exists(aborted));
  CHECK(open_files_under(spool).empty());
  CHECK(fs::is_empty(spool));

  CHECK_THROWS_WITH(CocoWriter(TextOutput(std::nullopt), tmp / "missing"),
                    Catch::Contains("cannot create a temporary file in"));
}

TEST_CASE("coco: a path that is not UTF-8 is written with a replacement character",
          "[records][coco]") {
  TempDir tmp;
  const std::string bad = "scans/caf\xe9.jpg";  // Latin-1, as old archives have
  Record output_failed = image_record(bad, 1);
  mark_output_failed(output_failed, ErrorCode::kCropFailed, "cannot write out/caf\xe9.jpg");
  const json doc =
      json::parse(export_text(tmp, {output_failed, failed_record(bad, ErrorCode::kNotFound)}));
  CHECK(doc["images"][0]["file_name"] == "scans/caf\xef\xbf\xbd.jpg");
  CHECK(doc["failed"][0]["error"]["message"] == "cannot write out/caf\xef\xbf\xbd.jpg");
  CHECK(doc["failed"][1]["file_name"] == "scans/caf\xef\xbf\xbd.jpg");
}

TEST_CASE("coco: keypoints and numbers follow the records", "[records][coco]") {
  TempDir tmp;
  Record record = image_record("a.jpg", 1);
  record.faces[0].box = cv::Rect2f(-3.456f, 10.004f, 60.126f, 70.354f);
  record.faces[0].score = 0.9999987f;
  const json doc = json::parse(export_text(tmp, {record}));
  const json& annotation = doc["annotations"][0];
  CHECK(annotation["bbox"] == json::parse("[-3.46, 10.0, 60.13, 70.35]"));
  CHECK(annotation["area"] == round_to(60.13 * 70.35, kCoordinateDecimals));
  CHECK(annotation["score"] == 1.0);

  // The keypoint names are the landmark keys of the records, in the same order.
  const auto landmarks = to_json(record)["faces"][0]["landmarks"];
  json names = json::array();
  for (const auto& item : landmarks.items()) names.push_back(item.key());
  CHECK(doc["categories"][0]["keypoints"] == names);
  for (std::size_t i = 0; i < names.size(); ++i) {
    CHECK(annotation["keypoints"][3 * i].get<double>() ==
          landmarks[names[i].get<std::string>()][0].get<double>());
    CHECK(annotation["keypoints"][3 * i + 1].get<double>() ==
          landmarks[names[i].get<std::string>()][1].get<double>());
  }
}

TEST_CASE("coco: the annotations of 200,000 faces wait on disk, not in memory", "[records][coco]") {
  TempDir tmp;
  const fs::path spool = tmp / "spool";
  fs::create_directories(spool);
  constexpr int kImages = 50'000;
  constexpr int kFacesPerImage = 4;
  constexpr std::int64_t kAnnotationBytes = 150;  // each one is longer than this
  const fs::path target = tmp / "faces.json";
  Record record = image_record("photos/0.jpg", kFacesPerImage);
  {
    CocoWriter writer(TextOutput(target), spool);
    writer.write(record);  // the first write sets up the buffers
    const std::int64_t heap_before = heap_in_use();
    for (int i = 1; i < kImages; ++i) {
      record.path = "photos/" + std::to_string(i) + ".jpg";
      writer.write(record);
    }
    const std::int64_t heap_growth = heap_in_use() - heap_before;
    const std::int64_t annotation_bytes = kAnnotationBytes * kImages * kFacesPerImage;
    // Kept in memory, the annotations would take at least annotation_bytes (30 MB).
    CHECK(heap_growth < annotation_bytes / 30);
    const auto spooled = open_files_under(spool);
    REQUIRE(spooled.size() == 2);  // annotations and failed inputs
    CHECK(static_cast<std::int64_t>(*std::max_element(spooled.begin(), spooled.end())) >
          annotation_bytes);
    writer.finish();
  }
  CHECK(fs::is_empty(spool));

  std::ifstream in(target);
  std::string line, last_annotation;
  int annotations = 0;
  for (; std::getline(in, line);) {
    if (line.find("\"image_id\"") == std::string::npos) continue;
    ++annotations;
    last_annotation = line;
  }
  CHECK(annotations == kImages * kFacesPerImage);
  const json last = json::parse(last_annotation);  // no comma after the last element
  CHECK(last["id"] == kImages * kFacesPerImage);
  CHECK(last["image_id"] == kImages);
}

TEST_CASE("coco: the example in docs/output-format.md is what the writer writes",
          "[records][coco]") {
  // The records of `mtcnn detect -q samples/sample1.jpg missing.jpg`.
  const std::vector<std::string> lines{
      R"({"path":"missing.jpg","width":null,"height":null,"faces":[],"error":{"code":"not_found","message":"no such file or directory"}})",
      R"({"path":"samples/sample1.jpg","width":1920,"height":1280,"faces":[{"box":[409.54,352.97,189.09,248.69],"score":1.0,"landmarks":{"left_eye":[441.2,459.93],"right_eye":[521.42,460.69],"nose":[466.6,513.0],"mouth_left":[445.12,543.44],"mouth_right":[521.65,543.24]}},{"box":[831.79,424.18,205.28,235.1],"score":0.99998,"landmarks":{"left_eye":[873.14,552.26],"right_eye":[946.15,511.85],"nose":[914.44,585.02],"mouth_left":[914.79,621.82],"mouth_right":[983.4,584.18]}},{"box":[1476.97,211.46,205.08,231.75],"score":0.99958,"landmarks":{"left_eye":[1558.63,276.22],"right_eye":[1620.34,337.39],"nose":[1555.89,342.52],"mouth_left":[1499.98,345.41],"mouth_right":[1555.87,399.29]}}],"error":null})"};
  std::vector<Record> records;
  for (const auto& line : lines) {
    const Record record = record_from_json(nlohmann::ordered_json::parse(line));
    REQUIRE(to_json_line(record) == line);  // read back exactly
    records.push_back(record);
  }
  TempDir tmp;
  CHECK(export_text(tmp, records) == documented_example());
}
