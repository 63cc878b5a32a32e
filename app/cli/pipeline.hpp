// The batch: inputs -> parallel workers (decode + detect) -> one ordered writer stage.
//
// Each worker owns one FaceFinder and takes whole images, so images run in parallel and no
// detector is shared. Results pass through a ReorderWindow of `window` images: output order is
// input order whatever the thread count, and at most `window` results (with their pixels, if a
// writer wants them) are held at once. Every per-image failure becomes an error record; only a
// failure of the writers themselves (for example a full disk) aborts the batch.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "cli/face_finder.hpp"
#include "cli/image_result.hpp"
#include "cli/input_list.hpp"
#include "cli/stage_times.hpp"
#include "cli/writers/result_writer.hpp"

namespace mtcnn::cli {

struct BatchSummary {
  std::size_t processed = 0;
  std::size_t failed = 0;
  BatchTimes times;         // summed over images (CPU-ish time across all workers)
  double wall_seconds = 0;  // of the whole batch
};

// Called in input order on the writer thread after the writers, e.g. for progress and logs.
using ResultObserver = std::function<void(const ImageResult&)>;

// The default window: enough to keep every worker busy behind one slow image.
std::size_t default_window(std::size_t threads);

// One worker per finder. Writers are called in the given order, so put writers that can fail on
// one image (annotated copies) before the record writers. Rethrows a writer's fatal exception
// after stopping the workers; finish() is then not called.
BatchSummary run_batch(const std::vector<InputFile>& inputs,
                       std::vector<std::unique_ptr<FaceFinder>>& finders,
                       const std::vector<ResultWriter*>& writers, std::size_t window,
                       const ResultObserver& observe = {});

// The worker's job for one input, exposed for the tests: never throws.
ImageResult process_input(const InputFile& input, FaceFinder& finder, bool keep_pixels);

}  // namespace mtcnn::cli
