// What a batch says on stderr at its end: with -v, the throughput and the time per stage (for
// detect and for eval's detector runs alike).
#pragma once

#include <cstddef>

#include "detect/pipeline.hpp"

namespace mtcnn::cli {

// Logged at info level (shown with -v).
void log_batch_timings(const BatchSummary& summary, std::size_t threads);

}  // namespace mtcnn::cli
