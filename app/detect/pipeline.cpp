#include "detect/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

#include "detect/reorder_window.hpp"
#include "inputs/image_decoding.hpp"
#include "records/image_error.hpp"

namespace mtcnn::cli {

namespace {

using Clock = std::chrono::steady_clock;

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void prepare_outputs(ImageResult& result, const cv::Mat& image,
                     const std::vector<ImageOutput*>& outputs) {
  result.prepared.resize(outputs.size());
  if (!result.record.ok()) return;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    try {
      result.prepared[i] = outputs[i]->prepare(result.record, result.mirror_path, image);
    } catch (const ImageFailure& failure) {
      mark_output_failed(result.record, failure.code(), failure.what());
    }
  }
}

// Commits the prepared files, then writes the record, which now tells whether they were written.
void write_in_order(ImageResult& result, const BatchOutputs& outputs) {
  const Clock::time_point start = Clock::now();
  for (std::size_t i = 0; i < outputs.images.size(); ++i) {
    if (!result.prepared[i]) continue;
    try {
      outputs.images[i]->commit(result.record, *result.prepared[i]);
    } catch (const ImageFailure& failure) {
      mark_output_failed(result.record, failure.code(), failure.what());
    }
    result.prepared[i].reset();  // the bytes are written; free them before the next image
  }
  for (RecordWriter* writer : outputs.records) writer->write(result.record);
  result.times.write_ms += milliseconds_since(start);
}

}  // namespace

std::size_t default_window(std::size_t threads) { return 4 * std::max<std::size_t>(threads, 1); }

ImageResult process_input(const InputFile& input, FaceFinder& finder,
                          const std::vector<ImageOutput*>& outputs, const ImageLimits& limits) {
  ImageResult result;
  result.record.path = input.path.string();
  result.mirror_path = input.mirror_path;
  result.prepared.resize(outputs.size());
  if (input.error) {
    mark_failed(result.record, *input.error, input.error_message);
    return result;
  }

  cv::Mat image;
  const Clock::time_point decode_start = Clock::now();
  try {
    image = decode_image(input.path, limits);
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

  const Clock::time_point prepare_start = Clock::now();
  prepare_outputs(result, image, outputs);
  result.times.write_ms = milliseconds_since(prepare_start);
  return result;
}

BatchSummary run_batch(const std::vector<InputFile>& inputs,
                       std::vector<std::unique_ptr<FaceFinder>>& finders,
                       const BatchOutputs& outputs, std::size_t window,
                       const ResultObserver& observe, std::stop_token stop,
                       const ImageLimits& limits) {
  if (finders.empty()) throw std::invalid_argument("run_batch needs at least one FaceFinder");
  const Clock::time_point start = Clock::now();
  ReorderWindow<ImageResult> results(inputs.size(), window);

  BatchSummary summary;
  const std::stop_callback on_stop(stop, [&results] { results.stop_new_tasks(); });
  std::vector<std::jthread> workers;  // declared after `results`: joined before it goes
  try {
    // Inside the try: if the system refuses a thread, the workers already running must be
    // released from the window (cancel) before they can be joined.
    workers.reserve(finders.size());
    for (auto& finder : finders) {
      workers.emplace_back([&results, &inputs, &finder, &outputs, &limits] {
        while (const std::optional<std::size_t> index = results.next_task()) {
          results.complete(*index, process_input(inputs[*index], *finder, outputs.images, limits));
        }
      });
    }
    while (std::optional<ImageResult> result = results.take_next()) {
      write_in_order(*result, outputs);
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
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  summary.interrupted = results.cut_short();
  if (summary.interrupted) return summary;
  for (ImageOutput* output : outputs.images) output->finish();
  for (RecordWriter* writer : outputs.records) writer->finish();
  return summary;
}

}  // namespace mtcnn::cli
