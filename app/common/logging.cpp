#include "common/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace mtcnn::cli {

spdlog::level::level_enum log_level_for(bool quiet, int verbosity) {
  if (quiet) return spdlog::level::err;
  if (verbosity >= 2) return spdlog::level::debug;
  if (verbosity == 1) return spdlog::level::info;
  return spdlog::level::warn;
}

void configure_logging(spdlog::level::level_enum level) {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    // The colour sink turns colours off by itself when stderr is not a terminal.
    auto created = spdlog::stderr_color_mt("mtcnn");
    created->set_pattern("mtcnn: %^%l%$: %v");
    return created;
  }();
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

}  // namespace mtcnn::cli
