// The record writers: JSON Lines and JSON array output, to stdout or an -o file.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "records/image_error.hpp"
#include "records/json_array_writer.hpp"
#include "records/json_lines_writer.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

Record record_for(const std::string& path) {
  Record record;
  record.path = path;
  record.size = cv::Size(200, 100);
  record.faces = {sample_face()};
  return record;
}

Record failed_record(const std::string& path) {
  Record record;
  record.path = path;
  mark_failed(record, ErrorCode::kDecodeFailed, "not an image");
  return record;
}

}  // namespace

TEST_CASE("cli: -o output appears only when the batch is complete", "[cli][writers]") {
  TempDir tmp;
  const fs::path target = tmp / "faces.jsonl";
  {
    JsonLinesWriter writer{TextOutput(target)};
    writer.write(record_for("a.jpg"));
    writer.write(failed_record("b.jpg"));
    CHECK_FALSE(fs::exists(target));
    // Streamed: both records are already in FILE.partial, whole lines.
    CHECK(split_lines(read_text(partial_path_for(target))).size() == 2);
    writer.finish();
  }
  CHECK_FALSE(fs::exists(partial_path_for(target)));
  CHECK_FALSE(temporaries_left(tmp.path()));
  const auto lines = split_lines(read_text(target));
  REQUIRE(lines.size() == 2);
  CHECK(nlohmann::json::parse(lines[0])["path"] == "a.jpg");
  CHECK(nlohmann::json::parse(lines[1])["error"]["code"] == "decode_failed");
}

TEST_CASE("cli: an aborted batch leaves its records in FILE.partial and the old FILE as it was",
          "[cli][writers]") {
  TempDir tmp;
  const fs::path fresh = tmp / "fresh.jsonl";
  const fs::path existing = tmp / "existing.jsonl";
  write_text(existing, "previous run\n");
  {
    JsonLinesWriter first{TextOutput(fresh)};
    JsonLinesWriter second{TextOutput(existing)};
    first.write(record_for("a.jpg"));
    second.write(record_for("a.jpg"));
    // Destroyed without finish(), as when run_batch rethrows.
  }
  CHECK_FALSE(fs::exists(fresh));
  CHECK(read_text(existing) == "previous run\n");
  // What was written is kept for --resume.
  CHECK(split_lines(read_text(partial_path_for(fresh))).size() == 1);
  CHECK(split_lines(read_text(partial_path_for(existing))).size() == 1);
  CHECK_FALSE(temporaries_left(tmp.path()));
}

TEST_CASE("cli: an output file's missing folders are created, a folder is refused up front",
          "[cli][writers]") {
  TempDir tmp;
  {
    JsonLinesWriter writer{TextOutput(tmp / "new" / "deeper" / "faces.jsonl")};
    writer.finish();
  }
  CHECK(fs::exists(tmp / "new" / "deeper" / "faces.jsonl"));
  fs::create_directories(tmp / "photos");
  CHECK_THROWS_WITH(TextOutput(tmp / "photos"), Catch::Contains("is a folder"));
  CHECK_THROWS_WITH(TextOutput(tmp / "photos/"), Catch::Contains("is a folder"));
  write_text(tmp / "a-file", "x");
  CHECK_THROWS_AS(TextOutput(tmp / "a-file" / "faces.jsonl"), std::runtime_error);
  CHECK(fs::is_empty(tmp / "photos"));
}

TEST_CASE("cli: the JSON array writer writes one valid array", "[cli][writers]") {
  TempDir tmp;
  {
    JsonArrayWriter writer{TextOutput(tmp / "none.json")};
    writer.finish();
  }
  CHECK(read_text(tmp / "none.json") == "[]\n");
  {
    JsonArrayWriter writer{TextOutput(tmp / "two.json")};
    writer.write(record_for("a.jpg"));
    writer.write(failed_record("b.jpg"));
    writer.finish();
  }
  const auto parsed = nlohmann::json::parse(read_text(tmp / "two.json"));
  REQUIRE(parsed.is_array());
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0]["faces"].size() == 1);
  CHECK(parsed[1]["error"]["code"] == "decode_failed");
  // One record per line, so line-oriented tools still work on it.
  CHECK(split_lines(read_text(tmp / "two.json")).size() == 4);
}
