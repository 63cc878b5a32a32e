// Logs go to stderr only, prefixed "mtcnn: <level>:" like other command-line tools; standard
// output is reserved for data.
#pragma once

#include <spdlog/common.h>

namespace mtcnn::cli {

// quiet: errors only; verbosity 0: warnings; 1: info; 2 or more: debug.
spdlog::level::level_enum log_level_for(bool quiet, int verbosity);

void configure_logging(spdlog::level::level_enum level);

}  // namespace mtcnn::cli
