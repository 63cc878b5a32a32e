// Reading detection files: inputs found by the fuzzer (tests/fuzz/fuzz_detection_file.cc) that
// once escaped as exceptions other than DetectionFileError, without file and line.
#include <catch2/catch.hpp>
#include <string>

#include "records/detection_file.hpp"

using mtcnn::cli::DetectionFileError;
using mtcnn::cli::parse_detection_text;

namespace {

std::string message_for(const std::string& text) {
  try {
    parse_detection_text(text, "f.json");
  } catch (const DetectionFileError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("detection file: a number beyond a double's range is the record's error",
          "[records][detection-file]") {
  // The fuzzer's input, reduced: nlohmann::json throws out_of_range (406) for 4e0325, which is
  // valid JSON syntax, and it escaped as that.
  const std::string array =
      "[\n{\"path\":\"a.jpg\",\"width\":952,\"height\":480,\"faces\":[{\"box\":[10.5,20,30,"
      "4e0325],\"score\":0.9}],\"error\":null}\n]\n";
  CHECK_THAT(message_for(array),
             Catch::StartsWith("f.json:2: number overflow parsing '4e0325'"));
  const std::string lines = "{\"path\":\"a.jpg\",\"faces\":[]}\n{\"path\":\"b.jpg\",\"width\":1e999}\n";
  CHECK_THAT(message_for(lines), Catch::StartsWith("f.json:2: number overflow parsing '1e999'"));
}
