// Serialisation of one record: the exact bytes users and scripts will see.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string_view>

#include "common/path_bytes.hpp"
#include "records/detection_file.hpp"
#include "records/record.hpp"

using namespace mtcnn::cli;

namespace {

mtcnn::Face sample_face() {
  mtcnn::Face face;
  face.box = cv::Rect2f(409.544f, 352.966f, 189.0949f, 248.69f);
  face.score = 0.9999812f;
  face.landmarks = {cv::Point2f(441.2f, 459.934f), cv::Point2f(521.42f, 460.69f),
                    cv::Point2f(466.61f, 513.0f), cv::Point2f(445.12f, 543.44f),
                    cv::Point2f(521.65f, 543.236f)};
  return face;
}

}  // namespace

TEST_CASE("cli: a successful record serialises compactly, keys in documented order",
          "[cli][record]") {
  Record record;
  record.path = "photos/a.jpg";
  record.size = cv::Size(1920, 1280);
  record.faces = {sample_face()};
  CHECK(to_json_line(record) ==
        R"({"path":"photos/a.jpg","width":1920,"height":1280,"faces":[{"box":[409.54,352.97,)"
        R"(189.09,248.69],"score":0.99998,"landmarks":{"left_eye":[441.2,459.93],)"
        R"("right_eye":[521.42,460.69],"nose":[466.61,513.0],"mouth_left":[445.12,543.44],)"
        R"("mouth_right":[521.65,543.24]}}],"error":null})");
}

TEST_CASE("cli: a record without faces has an empty array", "[cli][record]") {
  Record record;
  record.path = "empty-room.png";
  record.size = cv::Size(640, 480);
  CHECK(to_json_line(record) ==
        R"({"path":"empty-room.png","width":640,"height":480,"faces":[],"error":null})");
}

TEST_CASE("cli: an error record has null size, no faces and a code", "[cli][record]") {
  Record record;
  record.path = "broken.jpg";
  record.faces = {sample_face()};
  mark_failed(record, ErrorCode::kDecodeFailed, "not an image");
  CHECK_FALSE(record.ok());
  CHECK(record.faces.empty());
  CHECK(to_json_line(record) == R"({"path":"broken.jpg","width":null,"height":null,"faces":[],)"
                                R"("error":{"code":"decode_failed","message":"not an image"}})");
}

TEST_CASE("cli: a record that failed after decoding keeps its size", "[cli][record]") {
  Record record;
  record.path = "a.jpg";
  record.size = cv::Size(10, 20);
  record.faces = {sample_face()};
  mark_failed(record, ErrorCode::kAnnotateFailed, "disk full");
  const auto json = to_json(record);
  CHECK(json["width"] == 10);
  CHECK(json["height"] == 20);
  CHECK(json["faces"].empty());
  CHECK(json["error"]["code"] == "annotate_failed");
}

TEST_CASE("cli: every error code has a distinct snake_case name", "[cli][record]") {
  const std::vector<ErrorCode> codes{ErrorCode::kNotFound,      ErrorCode::kNotAFile,
                                     ErrorCode::kUnreadable,    ErrorCode::kEmptyFile,
                                     ErrorCode::kDecodeFailed,  ErrorCode::kDetectFailed,
                                     ErrorCode::kAnnotateFailed};
  std::set<std::string_view> names;
  for (ErrorCode code : codes) names.insert(to_string(code));
  CHECK(names == std::set<std::string_view>{"not_found", "not_a_file", "unreadable", "empty_file",
                                            "decode_failed", "detect_failed", "annotate_failed"});
}

TEST_CASE("cli: rounding is half away from zero and never yields -0", "[cli][record]") {
  CHECK(round_to(1.005000001, 2) == Approx(1.01));
  CHECK(round_to(-2.345678, 2) == Approx(-2.35));
  CHECK(round_to(0.999996, 5) == 1.0);
  const double tiny_negative = round_to(-0.0001, 2);
  CHECK(tiny_negative == 0.0);
  CHECK_FALSE(std::signbit(tiny_negative));

  Record record;
  record.path = "edge.jpg";
  record.size = cv::Size(100, 100);
  mtcnn::Face face = sample_face();
  face.box = cv::Rect2f(-0.001f, -3.5f, 10.f, 10.f);
  record.faces = {face};
  const std::string line = to_json_line(record);
  CHECK(line.find(R"("box":[0.0,-3.5,10.0,10.0])") != std::string::npos);
}

TEST_CASE("cli: paths that are not UTF-8 do not break the output", "[cli][record]") {
  Record record;
  record.path = "caf\xe9.jpg";  // Latin-1 file name
  record.size = cv::Size(1, 1);
  const std::string line = to_json_line(record);
  CHECK(line.find("caf\xef\xbf\xbd.jpg") != std::string::npos);  // U+FFFD
  const auto parsed = nlohmann::json::parse(line);
  // The exact bytes travel alongside, and read back exactly.
  CHECK(parsed["path_bytes"] == "Y2Fm6S5qcGc=");
  CHECK(parse_detection_text(line, "f")[0].path == record.path);
  // Valid UTF-8 needs no second copy.
  record.path = "caf\xc3\xa9.jpg";
  CHECK_FALSE(nlohmann::json::parse(to_json_line(record)).contains("path_bytes"));
}

TEST_CASE("cli: UTF-8 checks and base64 round trips", "[cli][record]") {
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(is_valid_utf8("caf\xe9"));       // Latin-1
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // a surrogate
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));      // cut short
  for (const std::string& bytes : {std::string(""), std::string("a"), std::string("ab"),
                                  std::string("abc"), std::string("\xff\x00\x10new\nline", 12)}) {
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
  }
  CHECK(base64_encode("caf\xe9.jpg") == "Y2Fm6S5qcGc=");
  CHECK_FALSE(base64_decode("abc").has_value());
  CHECK_FALSE(base64_decode("ab!=").has_value());
}

TEST_CASE("cli: paths with quotes and control characters are escaped", "[cli][record]") {
  Record record;
  record.path = "we\"ird\\name\n.jpg";
  record.size = cv::Size(1, 1);
  const auto parsed = nlohmann::json::parse(to_json_line(record));
  CHECK(parsed["path"] == record.path);
}
