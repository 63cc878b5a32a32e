// `mtcnn detect`: finds faces in a batch of images and writes one record per input.
#pragma once

#include "detect/detect_options.hpp"

namespace mtcnn::cli {

// Returns the exit status (see exit_status.hpp). Throws SetupError for problems found before
// the batch starts and std::runtime_error when the output cannot be written.
int run_detect(DetectOptions options);

}  // namespace mtcnn::cli
