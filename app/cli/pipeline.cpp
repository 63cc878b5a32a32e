#include "cli/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

#include "cli/image_decoding.hpp"
#include "cli/image_error.hpp"
#include "cli/reorder_window.hpp"

namespace mtcnn::cli {

namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Passes the result through every writer; a writer's per-image failure turns the record into an
// error record that the following writers see.
void write_in_order(ImageResult& result, const std::vector<ResultWriter*>& writers) {
  const Clock::time_point start = Clock::now();
  for (ResultWriter* writer : writers) {
    try {
      writer->write(result);
    } catch (const ImageFailure& failure) {
      mark_failed(result.record, failure.code(), failure.what());
    }
  }
  result.times.write_ms = milliseconds_since(start);
}

}  // namespace

std::size_t default_window(std::size_t threads) { return 4 * std::max<std::size_t>(threads, 1); }

ImageResult process_input(const InputFile& input, FaceFinder& finder, bool keep_pixels) {
  ImageResult result;
  result.record.path = input.path.string();
  result.mirror_path = input.mirror_path;
  if (input.error) {
    mark_failed(result.record, *input.error, input.error_message);
    return result;
  }

  cv::Mat image;
  const Clock::time_point decode_start = Clock::now();
  try {
    image = decode_image(input.path);
    result.record.size = image.size();
  } catch (const ImageFailure& failure) {
    mark_failed(result.record, failure.code(), failure.what());
  } catch (const std::exception& e) {  // e.g. bad_alloc for a gigantic image
    mark_failed(result.record, ErrorCode::kDecodeFailed, e.what());
  }
  result.times.decode_ms = milliseconds_since(decode_start);
  if (!result.record.ok()) return result;

  const Clock::time_point detect_start = Clock::now();
  try {
    result.record.faces = finder.find(image);
    result.times.detector = finder.last_times();
  } catch (const cv::Exception& e) {
    mark_failed(result.record, ErrorCode::kDetectFailed, e.msg);
  } catch (const std::exception& e) {
    mark_failed(result.record, ErrorCode::kDetectFailed, e.what());
  }
  result.times.detect_ms = milliseconds_since(detect_start);
  if (keep_pixels && result.record.ok()) result.image = std::move(image);
  return result;
}

BatchSummary run_batch(const std::vector<InputFile>& inputs,
                       std::vector<std::unique_ptr<FaceFinder>>& finders,
                       const std::vector<ResultWriter*>& writers, std::size_t window,
                       const ResultObserver& observe) {
  if (finders.empty()) throw std::invalid_argument("run_batch needs at least one FaceFinder");
  const Clock::time_point start = Clock::now();
  const bool keep_pixels = std::any_of(writers.begin(), writers.end(),
                                       [](const ResultWriter* w) { return w->needs_pixels(); });
  ReorderWindow<ImageResult> results(inputs.size(), window);

  std::vector<std::jthread> workers;
  workers.reserve(finders.size());
  for (auto& finder : finders) {
    workers.emplace_back([&results, &inputs, &finder, keep_pixels] {
      while (const std::optional<std::size_t> index = results.next_task()) {
        results.complete(*index, process_input(inputs[*index], *finder, keep_pixels));
      }
    });
  }

  BatchSummary summary;
  try {
    while (std::optional<ImageResult> result = results.take_next()) {
      write_in_order(*result, writers);
      ++summary.processed;
      if (!result->record.ok()) ++summary.failed;
      summary.times += result->times;
      if (observe) observe(*result);
    }
  } catch (...) {
    results.cancel();  // the jthreads then return and are joined on the way out
    throw;
  }
  workers.clear();
  for (ResultWriter* writer : writers) writer->finish();
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

}  // namespace mtcnn::cli
