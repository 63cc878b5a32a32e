// "-" as an input: the image comes from standard input, once, and its record's path is "-".
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/exit_status.hpp"
#include "inputs/hostile_images.hpp"
#include "inputs/image_decoding.hpp"
#include "inputs/input_list.hpp"
#include "inputs/standard_input.hpp"
#include "records/image_error.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

// Standard input (file descriptor 0 and the stdin stream) reads `file` for as long as it lives.
class StdinFrom {
 public:
  explicit StdinFrom(const fs::path& file) : saved_(::dup(0)) {
    const int fd = ::open(file.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    ::dup2(fd, 0);
    ::close(fd);
    std::clearerr(stdin);
  }
  ~StdinFrom() {
    ::dup2(saved_, 0);
    ::close(saved_);
    std::clearerr(stdin);
  }
  StdinFrom(const StdinFrom&) = delete;
  StdinFrom& operator=(const StdinFrom&) = delete;

 private:
  int saved_;
};

ErrorCode stdin_failure(const fs::path& file, const ImageLimits& limits = {}) {
  StdinFrom redirect(file);
  try {
    decode_image("-", limits);
  } catch (const ImageFailure& failure) {
    return failure.code();
  }
  FAIL("decoding standard input did not fail");
  return ErrorCode::kDetectFailed;
}

std::vector<std::string> paths_of(const std::vector<InputFile>& inputs) {
  std::vector<std::string> paths;
  for (const auto& input : inputs) paths.push_back(input.path.string());
  return paths;
}

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";

std::string detect(const std::string& arguments) {
  return shell_quote(MTCNN_BINARY) + " detect -q --models " + shell_quote(kWeightsDir.string()) +
         " " + arguments;
}

}  // namespace

TEST_CASE("stdin: \"-\" decodes the bytes of standard input", "[inputs][stdin][decode]") {
  TempDir tmp;
  write_bytes(tmp / "a.png", encode(synthetic_image(64, 48), ".png"));
  write_bytes(tmp / "empty", {});
  write_bytes(tmp / "huge.png", hostile::png(30000, 30000));

  {
    StdinFrom redirect(tmp / "a.png");
    CHECK(decode_image("-").size() == cv::Size(64, 48));
  }
  CHECK(stdin_failure(tmp / "empty") == ErrorCode::kEmptyFile);
  CHECK(stdin_failure(tmp / "huge.png") == ErrorCode::kTooLarge);
  CHECK(stdin_failure(tmp / "a.png", {.max_bytes = 100}) == ErrorCode::kTooLarge);
  // Not a file named "-" in the working directory: that one is "./-".
  write_bytes(tmp / "-", encode(synthetic_image(30, 20), ".png"));
  CHECK(decode_image(tmp / "-").size() == cv::Size(30, 20));
}

TEST_CASE("stdin: \"-\" is an input like the others", "[inputs][stdin]") {
  TempDir tmp;
  write_text(tmp / "photos/b.jpg", "x");
  const std::string photos = (tmp / "photos").string();
  const auto inputs = expand_inputs({"z.png", "-", photos, "-", "a.png"});
  // Sorted with the others ('-' sorts before letters); the second "-" is a duplicate.
  CHECK(paths_of(inputs) ==
        std::vector<std::string>{"-", "a.png", "z.png", (tmp / "photos/b.jpg").string()});
  REQUIRE(inputs.front().path == "-");
  CHECK(inputs.front().mirror_path == "stdin");
  CHECK_FALSE(inputs.front().error);

  // A file named "-" is "./-", and stays so.
  const auto file = expand_inputs({"./-", "-"});
  CHECK(paths_of(file) == std::vector<std::string>{"-", "./-"});
  CHECK(is_standard_input("-"));
  CHECK_FALSE(is_standard_input("./-"));
  CHECK_FALSE(is_standard_input("a/-"));
}

TEST_CASE("stdin: --files-from - and - together are a usage error", "[inputs][stdin]") {
  CHECK_THROWS_AS(check_stdin_use({"a.jpg", "-"}, std::string("-")), SetupError);
  CHECK_THROWS_WITH(check_stdin_use({"-"}, std::string("-")),
                    Catch::Contains("--files-from -") && Catch::Contains("standard input"));
  CHECK_NOTHROW(check_stdin_use({"a.jpg", "-"}, std::nullopt));
  CHECK_NOTHROW(check_stdin_use({"a.jpg", "-"}, std::string("list.txt")));
  CHECK_NOTHROW(check_stdin_use({"a.jpg", "./-"}, std::string("-")));
  CHECK_NOTHROW(check_stdin_use({}, std::string("-")));
}

TEST_CASE("stdin: mtcnn detect - reads a piped image, alone or with other paths",
          "[inputs][stdin][e2e]") {
  TempDir tmp;
  write_bytes(tmp / "piped.png", encode(synthetic_image(64, 48), ".png"));
  write_bytes(tmp / "b.png", encode(synthetic_image(30, 20), ".png"));
  const std::string cd = "cd " + shell_quote(tmp.path().string()) + " && ";

  // Through a pipe (not seekable), as from curl.
  const CommandResult alone = run_shell(cd + "cat piped.png | " + detect("-"), tmp.path());
  INFO(alone.err);
  REQUIRE(alone.exit_code == 0);
  const auto lines = split_lines(alone.out);
  REQUIRE(lines.size() == 1);
  const auto record = nlohmann::json::parse(lines[0]);
  CHECK(record["path"] == "-");
  CHECK(record["width"] == 64);
  CHECK(record["height"] == 48);
  CHECK(record["error"].is_null());

  const CommandResult mixed = run_shell(cd + detect("b.png - -") + " < piped.png", tmp.path());
  INFO(mixed.err);
  REQUIRE(mixed.exit_code == 0);
  const auto both = split_lines(mixed.out);
  REQUIRE(both.size() == 2);  // the second "-" is a duplicate
  CHECK(nlohmann::json::parse(both[0])["path"] == "-");
  CHECK(nlohmann::json::parse(both[0])["width"] == 64);
  CHECK(nlohmann::json::parse(both[1])["path"] == "b.png");
  CHECK(nlohmann::json::parse(both[1])["width"] == 30);
}

TEST_CASE("stdin: a hostile image through mtcnn detect is a too_large record",
          "[inputs][limits][e2e]") {
  TempDir tmp;
  write_bytes(tmp / "huge.png", hostile::png(30000, 30000));
  const CommandResult result =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + detect("huge.png - < huge.png"),
                tmp.path());
  INFO(result.err);
  CHECK(result.exit_code == 1);
  const auto lines = split_lines(result.out);
  REQUIRE(lines.size() == 2);
  for (const std::string& line : lines) {
    const auto record = nlohmann::json::parse(line);
    CHECK(record["error"]["code"] == "too_large");
    CHECK(record["width"].is_null());
  }
}
