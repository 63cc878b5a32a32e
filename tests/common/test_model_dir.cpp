// Where the models come from, and the message when they are not there.
#include <catch2/catch.hpp>
#include <mtcnn/detector.hpp>

#include "common/exit_status.hpp"
#include "common/model_dir.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

TEST_CASE("cli: --models beats MTCNN_MODELS beats the built-in default", "[cli][models]") {
  const fs::path built_in = "/usr/share/mtcnn";
  const auto from_flag = resolve_model_dir(std::string("flag-dir"), "env-dir", built_in);
  CHECK(from_flag.dir == "flag-dir");
  CHECK(from_flag.origin == "--models");

  const auto from_env = resolve_model_dir(std::nullopt, "env-dir", built_in);
  CHECK(from_env.dir == "env-dir");
  CHECK(from_env.origin == "MTCNN_MODELS");

  const auto from_default = resolve_model_dir(std::nullopt, nullptr, built_in);
  CHECK(from_default.dir == built_in);
  CHECK(from_default.origin == "built-in default");

  // An empty variable (MTCNN_MODELS= mtcnn ...) counts as unset.
  CHECK(resolve_model_dir(std::nullopt, "", built_in).dir == built_in);
}

TEST_CASE("cli: the compiled-in default is the checkout's weights directory", "[cli][models]") {
  CHECK(fs::path(MTCNN_DEFAULT_MODELS_DIR).filename() == "weights");
}

TEST_CASE("cli: a complete model directory passes the check", "[cli][models]") {
  TempDir tmp;
  for (const std::string& name : mtcnn::Detector::model_files()) write_text(tmp / name, "x");
  CHECK_NOTHROW(check_model_dir({tmp.path(), "--models"}));
}

TEST_CASE("cli: a missing model file is named, with the fix", "[cli][models]") {
  TempDir tmp;
  const auto files = mtcnn::Detector::model_files();
  REQUIRE(files.size() >= 2);
  for (std::size_t i = 0; i + 1 < files.size(); ++i) write_text(tmp / files[i], "x");

  try {
    check_model_dir({tmp.path(), "MTCNN_MODELS"});
    FAIL("no error for a missing " << files.back());
  } catch (const SetupError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains((tmp / files.back()).string()));
    CHECK_THAT(message, Catch::Contains("MTCNN_MODELS"));
    CHECK_THAT(message, Catch::Contains("scripts/setup.sh"));
    CHECK_THAT(message, Catch::Contains("--models"));
  }
}

TEST_CASE("cli: a missing model directory names the first file it should hold", "[cli][models]") {
  TempDir tmp;
  const fs::path missing = tmp / "nowhere";
  try {
    check_model_dir({missing, "--models"});
    FAIL("no error for a missing directory");
  } catch (const SetupError& e) {
    const std::string message = e.what();
    CHECK_THAT(message,
               Catch::Contains((missing / mtcnn::Detector::model_files().front()).string()));
    CHECK_THAT(message, Catch::Contains("does not exist"));
  }
}
