// The ordering machinery: the reorder window and the batch pipeline, with a scripted detector.
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <system_error>
#include <thread>

#include "detect/pipeline.hpp"
#include "detect/reorder_window.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

// Finds one face whose box encodes the image size, so results can be checked per image; sleeps
// a random while so workers finish out of order; throws on images of width 13.
class ScriptedFinder : public FaceFinder {
 public:
  explicit ScriptedFinder(unsigned seed) : random_(seed) {}
  std::vector<mtcnn::Face> find(const cv::Mat& bgr) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(random_() % 4));
    if (bgr.cols == 13) throw std::runtime_error("scripted failure");
    mtcnn::Face face;
    face.box = cv::Rect2f(1, 2, static_cast<float>(bgr.cols), static_cast<float>(bgr.rows));
    face.score = 0.5f;
    return {face};
  }
  mtcnn::StageTimes last_times() const override { return {1, 2, 3, 4}; }

 private:
  std::minstd_rand random_;
};

std::vector<std::unique_ptr<FaceFinder>> scripted_finders(std::size_t count) {
  std::vector<std::unique_ptr<FaceFinder>> finders;
  for (std::size_t i = 0; i < count; ++i) finders.push_back(std::make_unique<ScriptedFinder>(i));
  return finders;
}

// Collects what it is given, as the JSON writers would.
class CollectingWriter : public RecordWriter {
 public:
  void write(const Record& record) override { lines.push_back(to_json_line(record)); }
  void finish() override { finished = true; }

  std::vector<std::string> lines;
  bool finished = false;
};

// Fails fatally on one path, as a full disk would.
class FailingWriter : public RecordWriter {
 public:
  explicit FailingWriter(std::string path) : path_(std::move(path)) {}
  void write(const Record& record) override {
    if (record.path == path_) throw std::runtime_error("disk full");
  }
  void finish() override {}

 private:
  std::string path_;
};

// An image output that records which thread prepared what, and fails on one path either when
// preparing or when committing.
class ScriptedOutput : public ImageOutput {
 public:
  std::vector<PreparedFile> prepare(const Record& record, const fs::path& mirror,
                                    const cv::Mat& image) const override {
    if (record.path == fail_prepare) throw ImageFailure(ErrorCode::kAnnotateFailed, "no encoder");
    {
      std::lock_guard lock(mutex_);
      prepared_on.insert(std::this_thread::get_id());
    }
    return {PreparedFile{mirror, std::vector<std::uint8_t>(static_cast<std::size_t>(image.cols)),
                         std::nullopt}};
  }
  void commit(Record& record, std::vector<PreparedFile>& files) override {
    if (record.path == fail_commit) throw ImageFailure(ErrorCode::kAnnotateFailed, "disk says no");
    committed.push_back(files.at(0).name.string() + ":" + std::to_string(files[0].bytes.size()));
  }

  std::string fail_prepare, fail_commit;
  mutable std::mutex mutex_;
  mutable std::set<std::thread::id> prepared_on;
  std::vector<std::string> committed;
};

// A folder of small PNGs of different widths (width 13 makes the finder throw), plus an empty
// file and a missing one.
std::vector<InputFile> make_batch(const TempDir& tmp, int images) {
  std::vector<std::string> paths;
  for (int i = 0; i < images; ++i) {
    const int width = 10 + i;
    const fs::path path = tmp / ("img" + std::to_string(100 + i) + ".png");
    write_bytes(path, encode(synthetic_image(width, 8), ".png"));
    paths.push_back(path.string());
  }
  write_text(tmp / "img050-empty.png", "");
  paths.push_back((tmp / "img050-empty.png").string());
  paths.push_back((tmp / "img999-missing.png").string());
  return expand_inputs(paths);
}

}  // namespace

TEST_CASE("cli: the reorder window returns items in index order", "[cli][pipeline]") {
  constexpr std::size_t kCount = 500;
  constexpr std::size_t kCapacity = 8;
  ReorderWindow<std::size_t> window(kCount, kCapacity);
  std::atomic<std::size_t> taken{0};
  std::atomic<bool> window_exceeded{false};

  std::vector<std::jthread> workers;
  for (unsigned seed = 0; seed < 4; ++seed) {
    workers.emplace_back([&, seed] {
      std::minstd_rand random(seed);
      while (const auto index = window.next_task()) {
        // Never more than kCapacity ahead of the consumer (whose count lags take_next() by one).
        if (*index >= taken.load() + 1 + kCapacity) window_exceeded = true;
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 300));
        window.complete(*index, *index * 10);
      }
    });
  }
  std::vector<std::size_t> received;
  while (const auto item = window.take_next()) {
    received.push_back(*item);
    ++taken;
  }
  workers.clear();

  REQUIRE(received.size() == kCount);
  for (std::size_t i = 0; i < kCount; ++i) CHECK(received[i] == i * 10);
  CHECK_FALSE(window_exceeded);
}

// Waits until pred() holds; the generous limit only turns a hang into a failure.
template <typename Pred>
bool eventually(Pred pred) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > limit) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST_CASE("cli: the reorder window blocks workers when the consumer lags", "[cli][pipeline]") {
  ReorderWindow<int> window(10, 3);
  std::atomic<int> handed_out{0};
  std::jthread worker([&] {
    while (const auto index = window.next_task()) {
      ++handed_out;
      window.complete(*index, static_cast<int>(*index));
    }
  });
  // A right window hands out exactly 3 and then blocks, however long we look: the assertions
  // wait for what must happen and cannot be failed by a slow machine.
  REQUIRE(eventually([&] { return handed_out == 3; }));
  std::this_thread::yield();
  CHECK(handed_out == 3);  // nothing taken yet: the window is full
  CHECK(window.take_next() == 0);
  REQUIRE(eventually([&] { return handed_out >= 4; }));
  CHECK(handed_out == 4);  // one slot freed, one more task
  window.cancel();         // unblocks the worker; the consumer sees the end
  CHECK_FALSE(window.take_next().has_value());
}

TEST_CASE("cli: an empty batch ends at once", "[cli][pipeline]") {
  ReorderWindow<int> window(0, 4);
  CHECK_FALSE(window.next_task().has_value());
  CHECK_FALSE(window.take_next().has_value());
}

TEST_CASE("cli: the batch output is identical for any number of threads", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 40);

  std::vector<std::string> reference;
  for (std::size_t threads : {1u, 2u, 3u, 8u}) {
    INFO(threads << " threads");
    auto finders = scripted_finders(threads);
    CollectingWriter writer;
    const BatchSummary summary =
        run_batch(inputs, finders, {{}, {&writer}}, default_window(threads));
    CHECK(writer.finished);
    CHECK(summary.processed == inputs.size());
    CHECK(summary.failed == 3);  // empty, missing, and the width-13 image
    if (reference.empty()) {
      reference = writer.lines;
    } else {
      CHECK(writer.lines == reference);
    }
  }
  REQUIRE(reference.size() == 42);
  // Input order is path order: the empty file sorts first, the missing one last.
  CHECK(reference.front().find("empty_file") != std::string::npos);
  CHECK(reference.back().find("not_found") != std::string::npos);
  CHECK(reference[4].find("detect_failed") != std::string::npos);  // img103, width 13
  CHECK(reference[4].find("scripted failure") != std::string::npos);
  CHECK(reference[1].find(R"("box":[1.0,2.0,10.0,8.0])") != std::string::npos);
}

TEST_CASE("cli: image outputs are prepared on the workers and committed in order",
          "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 5);
  auto finders = scripted_finders(3);
  ScriptedOutput output;
  CollectingWriter records;
  run_batch(inputs, finders, {{&output}, {&records}}, 1);  // one window slot suffices
  CHECK(records.lines.size() == 7);
  // Decoded, detected images only: not the empty, missing or failed (width 13) ones.
  CHECK(output.committed == std::vector<std::string>{"img100.png:10", "img101.png:11",
                                                     "img102.png:12", "img104.png:14"});
  CHECK(output.prepared_on.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("cli: an output's failure is the record's error, and its faces stay", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 3);
  auto finders = scripted_finders(2);
  ScriptedOutput output;
  output.fail_prepare = inputs[1].path.string();
  output.fail_commit = inputs[2].path.string();
  CollectingWriter records;
  const BatchSummary summary = run_batch(inputs, finders, {{&output}, {&records}}, 4);
  CHECK(summary.failed == 4);  // empty, missing and the two victims
  REQUIRE(records.lines.size() == 5);
  for (const std::size_t i : {1, 2}) {
    INFO(records.lines[i]);
    CHECK(records.lines[i].find(R"("code":"annotate_failed")") != std::string::npos);
    CHECK(records.lines[i].find(R"("box":[1.0,2.0,1)") != std::string::npos);
    CHECK(records.lines[i].find(R"("width":1)") != std::string::npos);
  }
  CHECK(records.lines[1].find("no encoder") != std::string::npos);
  CHECK(records.lines[2].find("disk says no") != std::string::npos);
  CHECK(output.committed == std::vector<std::string>{"img102.png:12"});
}

TEST_CASE("cli: a fatal writer error stops the batch without finishing", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 30);
  auto finders = scripted_finders(4);
  CollectingWriter records;
  FailingWriter disk(inputs[5].path.string());
  CHECK_THROWS_WITH(run_batch(inputs, finders, {{}, {&records, &disk}}, 8), "disk full");
  CHECK_FALSE(records.finished);
  CHECK(records.lines.size() == 6);
}

TEST_CASE("cli: a worker thread that cannot start stops the batch instead of hanging it",
          "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 20);
  // In a child process, whose address space is capped so that only the first thread's stack
  // fits: the second thread cannot start while the first waits for the (not yet running)
  // writer stage.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::alarm(20);  // a hang ends the child with SIGALRM
    auto finders = scripted_finders(8);
    CollectingWriter records;
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    statm >> pages;
    pthread_attr_t defaults;
    std::size_t stack = 0;
    ::pthread_getattr_default_np(&defaults);
    ::pthread_attr_getstacksize(&defaults, &stack);
    const rlim_t cap = pages * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + stack + stack / 2;
    const rlimit limit{cap, cap};
    ::setrlimit(RLIMIT_AS, &limit);
    try {
      run_batch(inputs, finders, {{}, {&records}}, 1);
    } catch (const std::system_error&) {
      ::_exit(0);  // refused, and returned
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(4);  // every thread started: the cap did not bite
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  INFO("child status " << status);
  REQUIRE_FALSE(WIFSIGNALED(status));  // SIGALRM: the batch hung
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("cli: per-stage times are summed over the images", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 4);  // 3 detected, 1 throws, 2 never decoded
  auto finders = scripted_finders(2);
  CollectingWriter writer;
  const BatchSummary summary = run_batch(inputs, finders, {{}, {&writer}}, 4);
  CHECK(summary.times.detector.pyramid_ms == Approx(3 * 1.0));
  CHECK(summary.times.detector.onet_ms == Approx(3 * 4.0));
  CHECK(summary.times.decode_ms > 0);
  CHECK(summary.wall_seconds > 0);
}
