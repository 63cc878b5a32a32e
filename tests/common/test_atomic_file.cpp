// Files that appear whole or not at all.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

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

TEST_CASE("cli: a device or pipe as the target is written directly, never replaced",
          "[cli][writers]") {
  TempDir tmp;
  REQUIRE(::mkfifo((tmp / "pipe").c_str(), 0600) == 0);
  // A reader on the other end, as `mtcnn detect -o pipe` would have.
  std::string received;
  std::thread reader([&] { received = read_text(tmp / "pipe"); });
  write_file_atomically(tmp / "pipe", std::string_view("through the pipe\n"));
  reader.join();
  CHECK(received == "through the pipe\n");
  CHECK(fs::is_fifo(tmp / "pipe"));  // still the pipe, not a file renamed over it
  // In a root whose /dev is not mounted, /dev/null is a plain file: nothing to check there.
  if (fs::is_character_file("/dev/null")) {
    write_file_atomically("/dev/null", std::string_view("gone\n"));
    CHECK(fs::is_character_file("/dev/null"));
    CHECK_FALSE(fs::exists(temporary_path_for("/dev/null")));
  } else {
    WARN("/dev/null is not a character device here; the device case is not checked");
  }
}
