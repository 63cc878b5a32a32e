// --format coco through the built binary: the document a dataset tool loads says what the JSON
// Lines records of the same run say, and a broken input is listed, not lost.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/cli_support.hpp"

using namespace cli_test;
using nlohmann::json;

namespace {

std::string detect(const TempDir& tmp, const std::string& arguments) {
  const fs::path weights = fs::path(MTCNN_SOURCE_DIR) / "weights";
  return "cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
         " detect -q --models " + shell_quote(weights.string()) + " " + arguments;
}

}  // namespace

TEST_CASE("coco e2e: the COCO document holds the records' faces, failed inputs apart",
          "[records][coco][e2e]") {
  TempDir tmp;
  fs::create_directories(tmp / "photos");
  for (const char* name : {"sample1.jpg", "sample4.jpg"})
    fs::copy_file(fs::path(MTCNN_SAMPLES_DIR) / name, tmp / "photos" / name);
  write_text(tmp / "photos" / "broken.jpg", "not a photo");

  const CommandResult coco =
      run_shell(detect(tmp, "photos --format coco -o faces.json"), tmp.path());
  const CommandResult lines = run_shell(detect(tmp, "photos -o faces.jsonl"), tmp.path());
  CHECK(coco.exit_code == 1);  // one input failed, as with JSON Lines
  CHECK(lines.exit_code == 1);

  const json document = json::parse(read_text(tmp / "faces.json"));
  std::vector<json> records;
  for (const std::string& line : split_lines(read_text(tmp / "faces.jsonl")))
    records.push_back(json::parse(line));
  REQUIRE(records.size() == 3);

  REQUIRE(document.at("categories").size() == 1);
  CHECK(document["categories"][0]["name"] == "face");
  CHECK(document["categories"][0]["keypoints"] ==
        json({"left_eye", "right_eye", "nose", "mouth_left", "mouth_right"}));

  // Each decoded record is an image; its faces are the annotations pointing at it, in order.
  const json& images = document.at("images");
  const json& annotations = document.at("annotations");
  std::size_t image_index = 0, annotation_index = 0;
  for (const json& record : records) {
    if (!record["error"].is_null()) {
      REQUIRE(document.at("failed").size() == 1);
      CHECK(document["failed"][0]["file_name"] == record["path"]);
      CHECK(document["failed"][0]["error"]["code"] == record["error"]["code"]);
      continue;
    }
    REQUIRE(image_index < images.size());
    const json& image = images[image_index++];
    CHECK(image["file_name"] == record["path"]);
    CHECK(image["width"] == record["width"]);
    CHECK(image["height"] == record["height"]);
    for (const json& face : record["faces"]) {
      REQUIRE(annotation_index < annotations.size());
      const json& annotation = annotations[annotation_index++];
      CHECK(annotation["image_id"] == image["id"]);
      CHECK(annotation["category_id"] == 1);
      CHECK(annotation["bbox"] == face["box"]);
      CHECK(annotation["score"] == face["score"]);
      CHECK(annotation["num_keypoints"] == 5);
      const json& landmarks = face["landmarks"];
      const json expected = {landmarks["left_eye"][0],    landmarks["left_eye"][1],    2,
                             landmarks["right_eye"][0],   landmarks["right_eye"][1],   2,
                             landmarks["nose"][0],        landmarks["nose"][1],        2,
                             landmarks["mouth_left"][0],  landmarks["mouth_left"][1],  2,
                             landmarks["mouth_right"][0], landmarks["mouth_right"][1], 2};
      CHECK(annotation["keypoints"] == expected);
    }
  }
  CHECK(image_index == images.size());
  CHECK(annotation_index == annotations.size());
  CHECK(annotation_index >= 2);  // the samples have faces: the comparison above ran
}
