// Runs that never lose work, as a user meets them: a real run killed (SIGKILL) at several points
// and resumed gives the bytes of an uninterrupted run; Ctrl-C and SIGTERM stop cleanly and say
// how to continue; a resume with other settings is refused.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "resume/partial_records.hpp"
#include "support/cli_support.hpp"

using namespace cli_test;

namespace {

const fs::path kWeightsDir = fs::path(MTCNN_SOURCE_DIR) / "weights";
const fs::path kSamplesDir = MTCNN_SAMPLES_DIR;

// photos/ with 36 copies of the samples at several sizes, enough for a run of a few seconds.
void make_photos(const TempDir& tmp) {
  fs::create_directories(tmp / "photos");
  for (int i = 1; i <= 6; ++i) {
    const cv::Mat photo =
        cv::imread((kSamplesDir / ("sample" + std::to_string(i) + ".jpg")).string());
    for (const int width : {320, 480, 640, 800, 960, 1200}) {
      cv::Mat resized;
      cv::resize(photo, resized, {width, width * photo.rows / photo.cols}, 0, 0, cv::INTER_AREA);
      std::string name = "s";  // "s" + ... trips GCC 12's -Wrestrict (a known false alarm)
      name += std::to_string(i);
      name += '-';
      name += std::to_string(width);
      cv::imwrite((tmp / "photos" / name).replace_extension(".jpg").string(), resized);
    }
  }
}

std::vector<std::string> detect_arguments(const std::string& extra) {
  std::vector<std::string> words{MTCNN_BINARY,         "detect", "-q", "--threads", "1", "--models",
                                 kWeightsDir.string(), "photos", "-o", "out.jsonl"};
  std::istringstream in(extra);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// Starts mtcnn in tmp; returns its pid.
pid_t start(const TempDir& tmp, const std::vector<std::string>& words) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(tmp.path().c_str()) != 0) ::_exit(127);
    std::vector<char*> argv;
    for (const std::string& word : words) argv.push_back(const_cast<char*>(word.c_str()));
    argv.push_back(nullptr);
    ::freopen("/dev/null", "w", stderr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::size_t lines_in(const fs::path& file) {
  return fs::exists(file) ? split_lines(read_text(file)).size() : 0;
}

// Kills the run with `signal` once `records` records are in the partial file.
int interrupt_after(const TempDir& tmp, const std::string& extra, std::size_t records, int signal) {
  const pid_t pid = start(tmp, detect_arguments(extra));
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (lines_in(tmp / "out.jsonl.partial") < records &&
         std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, signal);
  return wait_for(pid);
}

std::string resume_run(const TempDir& tmp, const std::string& extra) {
  std::string line;
  for (const std::string& word : detect_arguments(extra + " --resume")) {
    line += shell_quote(word);
    line += ' ';
  }
  const CommandResult run =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + line, tmp.path());
  INFO(run.err);
  CHECK(run.exit_code == 0);
  return read_text(tmp / "out.jsonl");
}

}  // namespace

TEST_CASE("resume e2e: a run killed at any point and resumed gives the same bytes",
          "[resume][e2e]") {
  TempDir reference_dir;
  make_photos(reference_dir);
  REQUIRE(wait_for(start(reference_dir, detect_arguments("--format json --crops crops"))) == 0);
  const std::string uninterrupted = read_text(reference_dir / "out.jsonl");
  REQUIRE(split_lines(uninterrupted).size() == 36 + 2);

  for (const std::size_t at : {1u, 7u, 20u}) {
    INFO("killed after " << at << " records");
    TempDir tmp;
    make_photos(tmp);
    CHECK(interrupt_after(tmp, "--format json --crops crops", at, SIGKILL) == 128 + SIGKILL);
    REQUIRE(fs::exists(tmp / "out.jsonl.partial"));
    CHECK_FALSE(fs::exists(tmp / "out.jsonl"));
    const auto crops_before =
        static_cast<std::size_t>(std::distance(fs::directory_iterator(tmp / "crops"), {}));
    CHECK(resume_run(tmp, "--format json --crops crops") == uninterrupted);
    // Nothing left behind: no partial file, no settings, no temporary file.
    CHECK_FALSE(fs::exists(tmp / "out.jsonl.partial"));
    CHECK_FALSE(fs::exists(tmp / "out.jsonl.partial.settings"));
    CHECK_FALSE(temporaries_left(tmp.path()));
    CHECK(static_cast<std::size_t>(std::distance(fs::directory_iterator(tmp / "crops"), {})) >=
          crops_before);
  }
}

TEST_CASE("resume e2e: a torn last record is dropped and redone", "[resume][e2e]") {
  TempDir reference_dir;
  make_photos(reference_dir);
  REQUIRE(wait_for(start(reference_dir, detect_arguments(""))) == 0);
  const std::string uninterrupted = read_text(reference_dir / "out.jsonl");
  const auto lines = split_lines(uninterrupted);

  TempDir tmp;
  make_photos(tmp);
  CHECK(interrupt_after(tmp, "", 5, SIGKILL) == 128 + SIGKILL);
  // As a kill in the middle of a write would leave it: half of the next record.
  std::string partial = read_text(tmp / "out.jsonl.partial");
  const std::size_t whole = split_lines(partial).size();
  REQUIRE(whole < lines.size());
  partial += lines[whole].substr(0, lines[whole].size() / 2);
  write_text(tmp / "out.jsonl.partial", partial);
  const auto kept = mtcnn::cli::read_partial_records(tmp / "out.jsonl.partial",
                                                     mtcnn::cli::RecordLayout::kJsonLines);
  CHECK(kept.paths.size() == whole);
  CHECK(resume_run(tmp, "") == uninterrupted);

  // Without the settings file a partial output cannot be vouched for: refused.
  write_text(tmp / "out.jsonl.partial", partial);
  const CommandResult refused =
      run_shell("cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
                    " detect -q --models " + shell_quote(kWeightsDir.string()) +
                    " --threads 1 photos -o out.jsonl --resume",
                tmp.path());
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("settings cannot be read"));
}

TEST_CASE("resume e2e: Ctrl-C and SIGTERM finish the images in flight and say how to resume",
          "[resume][e2e]") {
  TempDir reference_dir;
  make_photos(reference_dir);
  REQUIRE(wait_for(start(reference_dir, detect_arguments(""))) == 0);
  const std::string uninterrupted = read_text(reference_dir / "out.jsonl");
  for (const int signal : {SIGINT, SIGTERM}) {
    TempDir tmp;
    make_photos(tmp);
    CHECK(interrupt_after(tmp, "", 5, signal) == 128 + signal);
    const std::string partial = read_text(tmp / "out.jsonl.partial");
    CHECK(!partial.empty());
    CHECK(partial.back() == '\n');  // whole records only: the ones in flight were finished
    CHECK(resume_run(tmp, "") == uninterrupted);
  }
}

TEST_CASE("resume e2e: other settings or other inputs are refused, saying what differs",
          "[resume][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  CHECK(interrupt_after(tmp, "", 3, SIGKILL) == 128 + SIGKILL);
  const auto resume_with = [&](const std::string& extra) {
    std::string line;
    for (const std::string& word : detect_arguments(extra + " --resume")) {
      line += shell_quote(word);
      line += ' ';
    }
    return run_shell("cd " + shell_quote(tmp.path().string()) + " && " + line, tmp.path());
  };
  const CommandResult min_face = resume_with("--min-face 40");
  CHECK(min_face.exit_code == 2);
  CHECK_THAT(min_face.err, Catch::Contains("--min-face: 20.0 then, 40.0 now"));
  write_text(tmp / "photos" / "new.jpg", read_text(kSamplesDir / "sample1.jpg"));
  const CommandResult inputs = resume_with("");
  CHECK(inputs.exit_code == 2);
  CHECK_THAT(inputs.err, Catch::Contains("the inputs: 36 then, 37 now"));
  fs::remove(tmp / "photos" / "new.jpg");
  CHECK(resume_with("").exit_code == 0);
  // Finished: a further --resume has nothing to do, and leaves the file alone.
  const std::string finished = read_text(tmp / "out.jsonl");
  const auto modified = fs::last_write_time(tmp / "out.jsonl");
  const CommandResult again = resume_with("");
  CHECK(again.exit_code == 0);
  CHECK(read_text(tmp / "out.jsonl") == finished);
  CHECK(fs::last_write_time(tmp / "out.jsonl") == modified);
}

TEST_CASE("resume e2e: --resume with no earlier output simply runs", "[resume][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  CHECK(split_lines(resume_run(tmp, "")).size() == 36);
}

TEST_CASE("resume e2e: crops in tar shards resume to the same shards", "[resume][e2e]") {
  const std::string shards = "--crops shards/faces-%02d.tar --crops-per-shard 7";
  TempDir reference_dir;
  make_photos(reference_dir);
  REQUIRE(wait_for(start(reference_dir, detect_arguments(shards))) == 0);
  for (const std::size_t at : {4u, 13u}) {
    INFO("killed after " << at << " records");
    TempDir tmp;
    make_photos(tmp);
    CHECK(interrupt_after(tmp, shards, at, SIGKILL) == 128 + SIGKILL);
    CHECK(resume_run(tmp, shards) == read_text(reference_dir / "out.jsonl"));
    std::size_t compared = 0;
    for (const auto& entry : fs::directory_iterator(reference_dir / "shards")) {
      INFO(entry.path().filename());
      CHECK(read_text(entry.path()) == read_text(tmp / "shards" / entry.path().filename()));
      ++compared;
    }
    CHECK(compared >= 3);
    CHECK(std::distance(fs::directory_iterator(tmp / "shards"), {}) ==
          static_cast<std::ptrdiff_t>(compared));
  }
}

TEST_CASE("resume e2e: a full disk stops the run with exit 2, and what was written resumes",
          "[resume][e2e]") {
  TempDir tmp;
  make_photos(tmp);
  const CommandResult device = run_shell(
      "cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
          " detect -q --models " + shell_quote(kWeightsDir.string()) + " photos -o /dev/full",
      tmp.path());
  CHECK(device.exit_code == 2);
  CHECK_THAT(device.err, Catch::Contains("cannot write /dev/full: No space left on device"));

  if (::geteuid() != 0) {
    WARN("not root: the small file system for the full-disk resume cannot be mounted here");
    return;
  }
  REQUIRE(wait_for(start(tmp, detect_arguments(""))) == 0);
  const std::string uninterrupted = read_text(tmp / "out.jsonl");
  fs::create_directories(tmp / "small");
  const std::string mount_point = shell_quote((tmp / "small").string());
  REQUIRE(std::system(("mount -t tmpfs -o size=16k tmpfs " + mount_point).c_str()) == 0);
  const auto detect_into_small = [&](const std::string& extra) {
    return run_shell("cd " + shell_quote(tmp.path().string()) + " && " + shell_quote(MTCNN_BINARY) +
                         " detect -q --threads 1 --models " + shell_quote(kWeightsDir.string()) +
                         " photos -o small/out.jsonl" + extra,
                     tmp.path());
  };
  const CommandResult full = detect_into_small("");
  CHECK(full.exit_code == 2);
  CHECK_THAT(full.err, Catch::Contains("small/out.jsonl.partial: No space left on device"));
  // Room again: the records written so far are kept, the rest added.
  REQUIRE(std::system(("mount -o remount,size=10m " + mount_point).c_str()) == 0);
  const CommandResult resumed = detect_into_small(" --resume");
  CHECK(resumed.exit_code == 0);
  CHECK(read_text(tmp / "small" / "out.jsonl") == uninterrupted);
  std::system(("umount " + mount_point).c_str());
}
