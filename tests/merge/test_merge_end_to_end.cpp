// mtcnn merge on the outputs of real sharded runs: byte for byte a single run's output, missing
// and duplicated shares reported.
#include <catch2/catch.hpp>

#include "support/cli_support.hpp"

using namespace cli_test;

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";
const fs::path kSamplesDir = MTCNN_SAMPLES_DIR;

std::string run_mtcnn(const TempDir& tmp, const std::string& arguments) {
  return "cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) + " " +
         arguments;
}

std::string detect(const TempDir& tmp, const std::string& arguments) {
  return run_mtcnn(tmp,
                   "detect -q --models " + shell_quote(kWeightsDir.string()) + " " + arguments);
}

// photos/ with the six samples at two sizes in two folders, and a broken file.
void make_photos(const TempDir& tmp) {
  for (int i = 1; i <= 6; ++i) {
    const std::string name = "sample" + std::to_string(i) + ".jpg";
    fs::create_directories(tmp / "photos" / "a");
    fs::copy_file(kSamplesDir / name, tmp / "photos" / name);
    const cv::Mat photo = cv::imread((kSamplesDir / name).string());
    cv::Mat small;
    cv::resize(photo, small, {}, 0.25, 0.25, cv::INTER_AREA);
    cv::imwrite((tmp / "photos" / "a" / name).string(), small);
  }
  write_text(tmp / "photos" / "broken.jpg", "not a photo");
}

}  // namespace

TEST_CASE("merge e2e: the shards' outputs merge into a single run's bytes", "[merge][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  for (const std::string format : {"jsonl", "json"}) {
    INFO(format);
    REQUIRE(run_shell(detect(tmp, "photos --format " + format + " -o single." + format), tmp.path())
                .exit_code == 1);  // the broken file
    for (int k = 0; k < 3; ++k) {
      run_shell(detect(tmp, "photos --format " + format + " --shard " + std::to_string(k) +
                                "/3 -o 'part-{shard}." + format + "'"),
                tmp.path());
      CHECK(fs::exists(tmp / ("part-" + std::to_string(k) + "." + format)));
    }
    const CommandResult merged =
        run_shell(run_mtcnn(tmp, "merge part-0." + format + " part-1." + format + " part-2." +
                                     format + " -o merged." + format + " --expect photos"),
                  tmp.path());
    INFO(merged.err);
    CHECK(merged.exit_code == 0);
    CHECK(read_text(tmp / ("merged." + format)) == read_text(tmp / ("single." + format)));
  }
}

TEST_CASE("merge e2e: a missing share is reported, a doubled one refused", "[merge][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  for (int k = 0; k < 2; ++k) {
    run_shell(detect(tmp, "photos --shard " + std::to_string(k) + "/2 -o 'part-{shard}.jsonl'"),
              tmp.path());
  }
  const std::size_t in_part_1 = split_lines(read_text(tmp / "part-1.jsonl")).size();
  const CommandResult missing =
      run_shell(run_mtcnn(tmp, "merge part-0.jsonl -o merged.jsonl --expect photos"), tmp.path());
  CHECK(missing.exit_code == 1);
  std::size_t reported = 0;
  for (const std::string& line : split_lines(missing.err))
    reported += line.rfind("missing: photos/", 0) == 0;
  CHECK(reported == in_part_1);
  CHECK(fs::exists(tmp / "merged.jsonl"));  // what is there is still merged

  const CommandResult doubled =
      run_shell(run_mtcnn(tmp, "merge part-0.jsonl part-0.jsonl part-1.jsonl -o doubled.jsonl"),
                tmp.path());
  CHECK(doubled.exit_code == 2);
  CHECK_THAT(doubled.err, Catch::Contains("is in both"));
  // Refused: nothing left that could pass for output (merge has no --resume to continue it).
  CHECK_FALSE(fs::exists(tmp / "doubled.jsonl"));
  CHECK_FALSE(fs::exists(tmp / "doubled.jsonl.partial"));

  write_text(tmp / "not-sorted.jsonl", split_lines(read_text(tmp / "part-0.jsonl")).back() + "\n" +
                                           split_lines(read_text(tmp / "part-0.jsonl")).front() +
                                           "\n");
  const CommandResult unsorted = run_shell(run_mtcnn(tmp, "merge not-sorted.jsonl"), tmp.path());
  CHECK(unsorted.exit_code == 2);
  CHECK_THAT(unsorted.err, Catch::Contains("not one task's output"));
}
