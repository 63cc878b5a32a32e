// The mtcnn binary as a user runs it: real photos, broken files, exit codes, output files.
// Needs the weights (MTCNN_SOURCE_DIR/weights) and the sample photos (MTCNN_SAMPLES_DIR), both
// made by scripts/setup.sh.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <mtcnn/detector.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <set>

#include "support/cli_support.hpp"

using namespace cli_test;

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";
const fs::path kSamplesDir = MTCNN_SAMPLES_DIR;
const fs::path kValidator = fs::path(MTCNN_SOURCE_DIR) / "tests" / "validate_records.py";

void require_setup() {
  for (const std::string& name : mtcnn::Detector::model_files()) {
    if (!fs::exists(kWeightsDir / name)) {
      FAIL("missing " << (kWeightsDir / name) << ": run scripts/setup.sh to fetch the weights");
    }
  }
  for (int i = 1; i <= 6; ++i) {
    const fs::path sample = kSamplesDir / ("sample" + std::to_string(i) + ".jpg");
    if (!fs::exists(sample)) {
      FAIL("missing " << sample << ": run scripts/setup.sh to fetch the sample photos");
    }
  }
}

// The binary, with the models of this checkout whatever MTCNN_MODELS says.
std::string mtcnn_command(const std::string& arguments) {
  return shell_quote(MTCNN_BINARY) + " " + arguments;
}
std::string detect(const std::string& arguments) {
  return mtcnn_command("detect -q --models " + shell_quote(kWeightsDir.string()) + " " + arguments);
}

std::vector<nlohmann::json> parse_lines(const std::string& text) {
  std::vector<nlohmann::json> records;
  for (const std::string& line : split_lines(text)) records.push_back(nlohmann::json::parse(line));
  return records;
}

int validate(const fs::path& output, std::size_t count, const fs::path& scratch) {
  return run_shell("/usr/bin/python3 " + shell_quote(kValidator.string()) + " " +
                       shell_quote(output.string()) + " --count " + std::to_string(count),
                   scratch)
      .exit_code;
}

// in/ with good photos at two levels and three broken files; returns the expected record order
// (relative to the scratch directory, which is the working directory of the commands).
struct Batch {
  std::vector<std::string> paths;
  std::set<std::string> good;
  std::map<std::string, std::string> error_codes;
};

Batch make_batch(const TempDir& tmp) {
  Batch batch;
  const auto copy = [&](int sample, const std::string& to) {
    fs::create_directories((tmp / to).parent_path());
    fs::copy_file(kSamplesDir / ("sample" + std::to_string(sample) + ".jpg"), tmp / to);
    batch.good.insert(to);
  };
  copy(1, "in/sample1.jpg");
  copy(2, "in/sample2.jpg");
  copy(3, "in/sub/sample3.jpg");
  copy(4, "in/sub/deeper/sample4.jpg");

  auto jpeg = read_bytes(kSamplesDir / "sample5.jpg");
  jpeg.resize(jpeg.size() / 2);
  write_bytes(tmp / "in/sub/truncated.jpg", jpeg);
  write_text(tmp / "in/empty.jpg", "");
  write_text(tmp / "in/sub/notes.JPG", "not a photo\n");
  write_text(tmp / "in/readme.txt", "skipped by the walk\n");
  batch.error_codes = {{"in/sub/truncated.jpg", "decode_failed"},
                       {"in/empty.jpg", "empty_file"},
                       {"in/sub/notes.JPG", "decode_failed"}};
  batch.paths = {
      "in/empty.jpg",     "in/sample1.jpg",     "in/sample2.jpg",      "in/sub/deeper/sample4.jpg",
      "in/sub/notes.JPG", "in/sub/sample3.jpg", "in/sub/truncated.jpg"};
  return batch;
}

std::string in_dir(const TempDir& tmp, const std::string& command) {
  return "cd " + shell_quote(tmp.path().string()) + " && " + command;
}

}  // namespace

TEST_CASE("cli e2e: a mixed folder gives one valid record per input, in order", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  const Batch batch = make_batch(tmp);

  const CommandResult run = run_shell(
      in_dir(tmp, detect("--threads 1 --annotate annotated -o out.jsonl in")), tmp.path());
  INFO(run.err);
  CHECK(run.exit_code == 1);
  CHECK(run.out.empty());  // records went to -o
  const auto records = parse_lines(read_text(tmp / "out.jsonl"));
  REQUIRE(records.size() == batch.paths.size());
  CHECK(validate(tmp / "out.jsonl", batch.paths.size(), tmp.path()) == 0);

  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    const std::string path = batch.paths[i];
    INFO(record.dump());
    CHECK(record["path"] == path);
    if (batch.good.count(path) != 0) {
      const cv::Mat image = cv::imread((tmp / path).string());
      CHECK(record["error"].is_null());
      CHECK(record["width"] == image.cols);
      CHECK(record["height"] == image.rows);
      CHECK(record["faces"].size() >= 1);  // every sample photo shows several people
      for (const auto& face : record["faces"]) {
        CHECK(face["score"] >= 0.7);
        CHECK(face["box"][2] > 20);
      }
    } else {
      CHECK(record["error"]["code"] == batch.error_codes.at(path));
      CHECK(record["width"].is_null());
      CHECK(record["faces"].empty());
    }
  }

  // Annotated copies: the tree under in/ mirrored, for the good images only.
  for (const std::string& path : batch.paths) {
    const fs::path copy = tmp / "annotated" / fs::path(path).lexically_relative("in");
    INFO(copy);
    if (batch.good.count(path) != 0) {
      const cv::Mat annotated = cv::imread(copy.string());
      REQUIRE_FALSE(annotated.empty());
      CHECK(annotated.size() == cv::imread((tmp / path).string()).size());
    } else {
      CHECK_FALSE(fs::exists(copy));
    }
  }
  for (const auto& entry : fs::recursive_directory_iterator(tmp.path())) {
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
  }
}

TEST_CASE("cli e2e: output is identical for 1 and 2 threads, on stdout and in -o", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const CommandResult one = run_shell(in_dir(tmp, detect("-j 1 in")), tmp.path());
  const CommandResult two = run_shell(in_dir(tmp, detect("-j 2 -o two.jsonl in")), tmp.path());
  CHECK(one.exit_code == 1);
  CHECK(two.exit_code == 1);
  CHECK_FALSE(one.out.empty());
  CHECK(one.out == read_text(tmp / "two.jsonl"));
  // -q: failed inputs are not reported on stderr, stdout carries only records.
  CHECK(one.err.empty());
  CHECK(parse_lines(one.out).size() == 7);
}

TEST_CASE("cli e2e: --timings writes each input's stage times in input order", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  const Batch batch = make_batch(tmp);
  const CommandResult run =
      run_shell(in_dir(tmp, detect("-j 2 --timings times.jsonl -o faces.jsonl in")), tmp.path());
  CHECK(run.exit_code == 1);
  const auto lines = parse_lines(read_text(tmp / "times.jsonl"));
  REQUIRE(lines.size() == batch.paths.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const nlohmann::json& t = lines[i];
    CAPTURE(t.dump());
    CHECK(t["path"] == batch.paths[i]);
    // Values, not speeds: every stage is there and none is negative.
    for (const char* key : {"decode_ms", "pyramid_ms", "pnet_ms", "rnet_ms", "onet_ms", "detect_ms",
                            "write_ms", "total_ms"})
      CHECK(t.at(key).get<double>() >= 0);
    for (const char* key : {"pnet_pixels", "rnet_candidates", "onet_candidates"})
      CHECK(t.at(key).get<long long>() >= 0);
    if (batch.good.count(batch.paths[i]) != 0) {
      CHECK(t["pnet_ms"].get<double>() > 0);
      // The samples are large photos with faces: the cascade has work at every stage.
      CHECK(t["pnet_pixels"].get<long long>() > t["rnet_candidates"].get<long long>());
      CHECK(t["rnet_candidates"].get<long long>() >= t["onet_candidates"].get<long long>());
      CHECK(t["onet_candidates"].get<long long>() > 0);
    }
  }
}

TEST_CASE("cli e2e: --format json writes the same records as one array", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const CommandResult lines = run_shell(in_dir(tmp, detect("in/sub")), tmp.path());
  const CommandResult array =
      run_shell(in_dir(tmp, detect("--format json -o out.json in/sub")), tmp.path());
  CHECK(array.exit_code == 1);
  const auto parsed = nlohmann::json::parse(read_text(tmp / "out.json"));
  REQUIRE(parsed.is_array());
  CHECK(parsed == nlohmann::json(parse_lines(lines.out)));
  CHECK(validate(tmp / "out.json", 4, tmp.path()) == 0);
}

TEST_CASE("cli e2e: warnings for failed inputs go to stderr, never stdout", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const CommandResult run = run_shell(
      in_dir(tmp,
             mtcnn_command("detect --models " + shell_quote(kWeightsDir.string()) + " in/sub")),
      tmp.path());
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("in/sub/truncated.jpg") && Catch::Contains("decode_failed"));
  CHECK_THAT(run.err, Catch::Contains("2 of 4 inputs failed"));
  CHECK(parse_lines(run.out).size() == 4);
}

TEST_CASE("cli e2e: --files-from reads paths, a missing one gets an error record", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const CommandResult run = run_shell(in_dir(tmp, "printf 'in/sample2.jpg\\nin/gone.jpg\\n\\n' | " +
                                                      detect("--files-from - in/sample1.jpg")),
                                      tmp.path());
  CHECK(run.exit_code == 1);
  const auto records = parse_lines(run.out);
  REQUIRE(records.size() == 3);
  CHECK(records[0]["path"] == "in/gone.jpg");
  CHECK(records[0]["error"]["code"] == "not_found");
  CHECK(records[1]["path"] == "in/sample1.jpg");
  CHECK(records[2]["path"] == "in/sample2.jpg");
}

TEST_CASE("cli e2e: only good images give exit 0, and so does an empty folder", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  fs::create_directories(tmp / "nothing" / "here");
  const CommandResult good = run_shell(in_dir(tmp, detect("in/sample1.jpg")), tmp.path());
  CHECK(good.exit_code == 0);
  CHECK(parse_lines(good.out).size() == 1);

  const CommandResult empty = run_shell(
      in_dir(tmp,
             mtcnn_command("detect --models " + shell_quote(kWeightsDir.string()) + " nothing")),
      tmp.path());
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.empty());
  CHECK_THAT(empty.err, Catch::Contains("no images found"));

  // An empty --files-from list is an empty batch too, not a usage error. The empty list is a
  // file of the test's own: in a freshly bootstrapped root /dev/null can be a plain file that
  // other commands running in parallel write into (this test failed that way once).
  write_text(tmp / "empty-list.txt", "");
  const CommandResult no_list =
      run_shell(in_dir(tmp, detect("--files-from - < empty-list.txt")), tmp.path());
  CHECK(no_list.exit_code == 0);
  CHECK(no_list.out.empty());
}

TEST_CASE("cli e2e: missing models stop the run with exit 2 and name the file", "[cli][e2e]") {
  TempDir tmp;
  write_text(tmp / "in" / "a.jpg", "x");
  const CommandResult by_flag =
      run_shell(in_dir(tmp, mtcnn_command("detect --models no-models in")), tmp.path());
  CHECK(by_flag.exit_code == 2);
  CHECK(by_flag.out.empty());
  CHECK_THAT(by_flag.err, Catch::Contains("no-models/det1") &&
                              Catch::Contains("run scripts/setup.sh or pass --models DIR"));

  fs::create_directories(tmp / "partial");
  write_text(tmp / "partial" / "det1.prototxt", "x");
  const CommandResult by_env = run_shell(
      in_dir(tmp, "MTCNN_MODELS=partial " + mtcnn_command("detect -o out.jsonl in")), tmp.path());
  CHECK(by_env.exit_code == 2);
  CHECK_THAT(by_env.err, Catch::Contains("partial/") && Catch::Contains("MTCNN_MODELS"));
  CHECK_FALSE(fs::exists(tmp / "out.jsonl"));
}

TEST_CASE("cli e2e: usage errors exit 2, help and version exit 0", "[cli][e2e]") {
  TempDir tmp;
  const auto exit_of = [&](const std::string& arguments) {
    return run_shell(mtcnn_command(arguments), tmp.path()).exit_code;
  };
  CHECK(exit_of("") == 2);
  CHECK(exit_of("detect") == 2);  // no inputs
  CHECK(exit_of("detect --no-such-flag x.jpg") == 2);
  CHECK(exit_of("detect --thresholds 0.6,0.7 x.jpg") == 2);
  CHECK(exit_of("detect --thresholds 0.6,1.5,0.7 x.jpg") == 2);
  CHECK(exit_of("detect --scale-factor 1.2 x.jpg") == 2);
  CHECK(exit_of("detect --threads 0 x.jpg") == 2);
  CHECK(exit_of("detect --format xml x.jpg") == 2);
  CHECK(exit_of("detect -q -v x.jpg") == 2);
  CHECK(exit_of("import-weights --from only-one") == 2);
  CHECK(exit_of("import-weights --from " + shell_quote((tmp / "none").string()) + " --to " +
                shell_quote((tmp / "out").string())) == 2);

  const CommandResult help = run_shell(mtcnn_command("detect --help"), tmp.path());
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("Examples") && Catch::Contains("--annotate"));
  const CommandResult version = run_shell(mtcnn_command("--version"), tmp.path());
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("mtcnn "));
}

TEST_CASE("cli e2e: --annotate never replaces or re-reads the photos", "[cli][e2e][outputs]") {
  require_setup();
  TempDir tmp;
  const Batch batch = make_batch(tmp);
  const std::string before = read_text(tmp / "in/sample1.jpg");
  const auto refused = [&](const std::string& arguments, const std::string& directory = ".") {
    const CommandResult run = run_shell(
        in_dir(tmp, "cd " + shell_quote(directory) + " && " + detect(arguments)), tmp.path());
    INFO(arguments << "\n" << run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());  // refused before any work
    CHECK_THAT(run.err, Catch::Contains("--annotate"));
  };
  refused("in --annotate in");
  refused("in --annotate in/");
  refused("in --annotate in/annotated");
  refused("sample1.jpg --annotate .", "in");
  refused(shell_quote((tmp / "in/sample1.jpg").string()) + " --annotate in");
  CHECK(read_text(tmp / "in/sample1.jpg") == before);
  CHECK_FALSE(fs::exists(tmp / "in/annotated"));

  // A run into a folder of its own, then a walk over everything: the copies are not inputs.
  CHECK(run_shell(in_dir(tmp, detect("in --annotate annotated -o first.jsonl")), tmp.path())
            .exit_code == 1);
  REQUIRE(fs::exists(tmp / "annotated/sample1.jpg"));
  const CommandResult again = run_shell(in_dir(tmp, detect(".")), tmp.path());
  const auto records = parse_lines(again.out);
  CHECK(records.size() == batch.paths.size());
  for (const auto& record : records) {
    CHECK(record["path"].get<std::string>().rfind("in/", 0) == 0);
  }
}

TEST_CASE("cli e2e: -o and --timings may not name an input", "[cli][e2e][outputs]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const std::string before = read_text(tmp / "in/sample2.jpg");
  for (const std::string flag : {"-o", "--timings"}) {
    const CommandResult run =
        run_shell(in_dir(tmp, detect("in " + flag + " in/sample2.jpg")), tmp.path());
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("is the input in/sample2.jpg"));
  }
  CHECK(read_text(tmp / "in/sample2.jpg") == before);
}

TEST_CASE("cli e2e: a file name that is not UTF-8 is processed, with --timings too", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(kSamplesDir / "sample1.jpg", tmp / "in" / "caf\xe9.jpg");  // Latin-1 name
  const CommandResult run =
      run_shell(in_dir(tmp, detect("--timings times.jsonl -o out.jsonl in")), tmp.path());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  const auto records = parse_lines(read_text(tmp / "out.jsonl"));
  REQUIRE(records.size() == 1);
  CHECK(records[0]["faces"].size() >= 1);
  CHECK(parse_lines(read_text(tmp / "times.jsonl")).size() == 1);
}

TEST_CASE("cli e2e: a mistyped command is named, with the likely one", "[cli][e2e]") {
  TempDir tmp;
  const CommandResult typo = run_shell(mtcnn_command("detetc photos/"), tmp.path());
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("'detetc' is not a command") &&
                           Catch::Contains("Did you mean 'detect'?") &&
                           Catch::Contains("detect, import-weights, merge, compare, eval"));
  const CommandResult nested = run_shell(mtcnn_command("eval fdb --data x"), tmp.path());
  CHECK(nested.exit_code == 2);
  CHECK_THAT(nested.err, Catch::Contains("Did you mean 'fddb'?"));
}

TEST_CASE("cli e2e: -o naming a folder is refused before any work, a missing folder is made",
          "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const CommandResult folder = run_shell(in_dir(tmp, detect("-o in/ in")), tmp.path());
  CHECK(folder.exit_code == 2);
  CHECK_THAT(folder.err, Catch::Contains("is a folder"));
  CHECK(folder.out.empty());
  const CommandResult fresh =
      run_shell(in_dir(tmp, detect("-o new/sub/faces.jsonl in/sample1.jpg")), tmp.path());
  CHECK(fresh.exit_code == 0);
  CHECK(parse_lines(read_text(tmp / "new/sub/faces.jsonl")).size() == 1);
}

TEST_CASE("cli e2e: the closing summary counts in words, also when records go to stdout",
          "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const CommandResult one =
      run_shell(in_dir(tmp, mtcnn_command("detect --models " + shell_quote(kWeightsDir.string()) +
                                          " in/sample1.jpg")),
                tmp.path());
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.err, Catch::StartsWith("mtcnn: 1 image, ") && Catch::Contains(" faces"));
  CHECK(parse_lines(one.out).size() == 1);
}

TEST_CASE("cli e2e: --precision fp32 is the default; bf16 finds the same faces", "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  const CommandResult plain = run_shell(in_dir(tmp, detect("in")), tmp.path());
  const CommandResult fp32 = run_shell(in_dir(tmp, detect("--precision fp32 in")), tmp.path());
  const CommandResult bf16 = run_shell(in_dir(tmp, detect("--precision bf16 in")), tmp.path());
  CHECK(fp32.exit_code == 1);  // in/ holds broken files
  CHECK(bf16.exit_code == 1);
  CHECK(fp32.out == plain.out);

  // bf16 rounds the convolutions' inputs and weights: the same records, faces a little moved
  // (bit for bit fp32's on a CPU without AVX512_BF16).
  const auto exact = parse_lines(fp32.out), rounded = parse_lines(bf16.out);
  REQUIRE(exact.size() == rounded.size());
  const auto iou = [](const nlohmann::json& a, const nlohmann::json& b) {
    const cv::Rect2d r(a[0], a[1], a[2], a[3]), s(b[0], b[1], b[2], b[3]);
    return (r & s).area() / (r.area() + s.area() - (r & s).area());
  };
  for (std::size_t i = 0; i < exact.size(); ++i) {
    INFO(exact[i]["path"]);
    CHECK(rounded[i]["path"] == exact[i]["path"]);
    CHECK(rounded[i].contains("error") == exact[i].contains("error"));
    if (exact[i].contains("error")) continue;
    for (const auto& face : exact[i]["faces"]) {
      if (face["score"] < 0.9) continue;
      double best = 0.0;
      for (const auto& other : rounded[i]["faces"])
        best = std::max(best, iou(face["box"], other["box"]));
      CHECK(best > 0.9);
    }
  }

  const CommandResult wrong = run_shell(in_dir(tmp, detect("--precision fp16 in")), tmp.path());
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("fp16 not in {fp32,bf16}"));
}

TEST_CASE("cli e2e: --thresholds takes one A,B,C argument and leaves the paths alone",
          "[cli][e2e]") {
  require_setup();
  TempDir tmp;
  make_batch(tmp);
  for (const std::string form :
       {"--thresholds 0.7,0.8,0.9 in/sub", "--thresholds=0.7,0.8,0.9 in/sub"}) {
    const CommandResult run = run_shell(in_dir(tmp, detect(form)), tmp.path());
    INFO(form << "\n" << run.err);
    CHECK(run.exit_code == 1);  // in/sub holds broken files
    CHECK(parse_lines(run.out).size() == 4);
  }
  const CommandResult spaced =
      run_shell(in_dir(tmp, detect("--thresholds 0.7 0.8 0.9 in/sub")), tmp.path());
  CHECK(spaced.exit_code == 2);
  CHECK_THAT(spaced.err, Catch::Contains("three numbers joined by commas"));
  const CommandResult side = run_shell(in_dir(tmp, detect("--max-side -1 in/sub")), tmp.path());
  CHECK(side.exit_code == 2);
  CHECK_THAT(side.err,
             Catch::Contains("must be 0 (off) or a whole number of pixels up to 1000000, got -1"));
}
