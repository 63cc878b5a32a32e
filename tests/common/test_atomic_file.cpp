// Files that appear whole or not at all.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/atomic_file.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

TEST_CASE("cli: temporary names sit next to the target and carry the pid", "[cli][writers]") {
  CHECK(temporary_path_for("out/faces.jsonl") ==
        "out/faces.jsonl.tmp-" + std::to_string(::getpid()));
}

TEST_CASE("cli: write_file_atomically replaces the target in one step", "[cli][writers]") {
  TempDir tmp;
  write_text(tmp / "x.bin", "old");
  write_file_atomically(tmp / "x.bin", std::vector<std::uint8_t>{'n', 'e', 'w'});
  CHECK(read_text(tmp / "x.bin") == "new");
  CHECK_FALSE(temporaries_left(tmp.path()));
  CHECK_THROWS_AS(write_file_atomically(tmp / "missing" / "x.bin", std::vector<std::uint8_t>{1}),
                  std::runtime_error);
}
