// The batch: inputs -> parallel workers (decode, detect, prepare image outputs) -> one ordered
// writer stage (commit image outputs, then write the record).
//
// Each worker owns one FaceFinder and takes whole images, so images run in parallel and no
// detector is shared. Results pass through a ReorderWindow of `window` images: output order is
// input order whatever the thread count, and at most `window` results are held at once (their
// prepared files, never their pixels). Every per-image failure becomes an error record; only a
// failure of a record writer (for example a full disk) aborts the batch.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

#include "detect/face_finder.hpp"
#include "detect/image_result.hpp"
#include "detect/stage_times.hpp"
#include "inputs/image_limits.hpp"
#include "inputs/input_list.hpp"
#include "outputs/image_output.hpp"
#include "records/record_writer.hpp"

namespace mtcnn::cli {

struct BatchSummary {
  std::size_t processed = 0;
  std::size_t failed = 0;
  BatchTimes times;          // summed over images (CPU-ish time across all workers)
  double wall_seconds = 0;   // of the whole batch
  bool interrupted = false;  // stopped on request before its last input
};

// Where results go. Image outputs always run before the record writers, so a record reports
// whether its image's files were written.
struct BatchOutputs {
  std::vector<ImageOutput*> images;
  std::vector<RecordWriter*> records;
};

// Called in input order on the writer thread after the writers, e.g. for progress and logs.
using ResultObserver = std::function<void(const ImageResult&)>;

// The default window: enough to keep every worker busy behind one slow image.
std::size_t default_window(std::size_t threads);

// One worker per finder. Rethrows a record writer's (or the observer's) exception after
// stopping the workers; finish() is then not called. A stop request takes no new inputs, writes
// the records of those in flight and returns with `interrupted` set, without finish(): the
// outputs stay unfinished, ready for --resume.
BatchSummary run_batch(const std::vector<InputFile>& inputs,
                       std::vector<std::unique_ptr<FaceFinder>>& finders,
                       const BatchOutputs& outputs, std::size_t window,
                       const ResultObserver& observe = {}, std::stop_token stop = {},
                       const ImageLimits& limits = {});

// The worker's job for one input, exposed for the tests: never throws.
ImageResult process_input(const InputFile& input, FaceFinder& finder,
                          const std::vector<ImageOutput*>& outputs, const ImageLimits& limits = {});

}  // namespace mtcnn::cli
