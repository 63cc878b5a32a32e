// The ordering machinery: the reorder window and the batch pipeline, with a scripted detector.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "cli/pipeline.hpp"
#include "cli/reorder_window.hpp"
#include "test_cli_support.hpp"

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
class CollectingWriter : public ResultWriter {
 public:
  void write(const ImageResult& result) override {
    lines.push_back(to_json_line(result.record));
    saw_pixels.push_back(!result.image.empty());
  }
  void finish() override { finished = true; }
  bool needs_pixels() const override { return wants_pixels; }

  std::vector<std::string> lines;
  std::vector<bool> saw_pixels;
  bool finished = false;
  bool wants_pixels = false;
};

// Fails on one path: per image, or fatally.
class FailingWriter : public ResultWriter {
 public:
  FailingWriter(std::string path, bool fatal) : path_(std::move(path)), fatal_(fatal) {}
  void write(const ImageResult& result) override {
    if (result.record.path != path_) return;
    if (fatal_) throw std::runtime_error("disk full");
    throw ImageFailure(ErrorCode::kAnnotateFailed, "cannot write the copy");
  }
  void finish() override {}

 private:
  std::string path_;
  bool fatal_;
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

TEST_CASE("cli: the reorder window blocks workers when the consumer lags", "[cli][pipeline]") {
  ReorderWindow<int> window(10, 3);
  std::atomic<int> handed_out{0};
  std::jthread worker([&] {
    while (const auto index = window.next_task()) {
      ++handed_out;
      window.complete(*index, static_cast<int>(*index));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(handed_out == 3);  // nothing taken yet: the window is full
  CHECK(window.take_next() == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(handed_out == 4);
  window.cancel();  // unblocks the worker; the consumer sees the end
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
    const BatchSummary summary = run_batch(inputs, finders, {&writer}, default_window(threads));
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

TEST_CASE("cli: one window slot suffices, and pixels are kept only on request", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 5);
  auto finders = scripted_finders(3);
  CollectingWriter plain;
  run_batch(inputs, finders, {&plain}, 1);
  CHECK(plain.lines.size() == 7);
  CHECK(std::none_of(plain.saw_pixels.begin(), plain.saw_pixels.end(), [](bool b) { return b; }));

  CollectingWriter wants;
  wants.wants_pixels = true;
  run_batch(inputs, finders, {&wants}, 2);
  // Pixels for decoded, detected images only: not for empty, missing or failed ones.
  CHECK(wants.saw_pixels == std::vector<bool>{false, true, true, true, false, true, false});
}

TEST_CASE("cli: a writer's per-image failure becomes the record's error", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 3);
  const std::string victim = inputs[1].path.string();
  auto finders = scripted_finders(2);
  FailingWriter annotate(victim, false);
  CollectingWriter records;
  const BatchSummary summary = run_batch(inputs, finders, {&annotate, &records}, 4);
  CHECK(summary.failed == 3);  // empty, missing and the victim
  REQUIRE(records.lines.size() == 5);
  CHECK(records.lines[1].find(R"("code":"annotate_failed")") != std::string::npos);
  CHECK(records.lines[1].find(R"("faces":[])") != std::string::npos);
  CHECK(records.lines[1].find(R"("width":10)") != std::string::npos);
}

TEST_CASE("cli: a fatal writer error stops the batch without finishing", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 30);
  auto finders = scripted_finders(4);
  FailingWriter disk(inputs[5].path.string(), true);
  CollectingWriter records;
  CHECK_THROWS_WITH(run_batch(inputs, finders, {&disk, &records}, 8), "disk full");
  CHECK_FALSE(records.finished);
  CHECK(records.lines.size() == 5);
}

TEST_CASE("cli: per-stage times are summed over the images", "[cli][pipeline]") {
  TempDir tmp;
  const auto inputs = make_batch(tmp, 4);  // 3 detected, 1 throws, 2 never decoded
  auto finders = scripted_finders(2);
  CollectingWriter writer;
  const BatchSummary summary = run_batch(inputs, finders, {&writer}, 4);
  CHECK(summary.times.detector.pyramid_ms == Approx(3 * 1.0));
  CHECK(summary.times.detector.onet_ms == Approx(3 * 4.0));
  CHECK(summary.times.decode_ms > 0);
  CHECK(summary.wall_seconds > 0);
}
