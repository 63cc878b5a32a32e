#include "inputs/opencv_pixel_limit.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "codecs/opencv_codecs.hpp"

namespace mtcnn::cli {

std::optional<std::uint64_t> opencv_pixel_limit_needed(const ImageLimits& limits) {
  // OpenCV compares a 64-bit pixel count with a size_t.
  if (limits.max_pixels == 0) return std::numeric_limits<std::size_t>::max();
  if (limits.max_pixels > kOpenCvDefaultPixelLimit) return limits.max_pixels;
  return std::nullopt;
}

void apply_opencv_pixel_limit(const ImageLimits& limits) {
  if (const char* set = std::getenv(kOpenCvPixelLimitVariable)) {
    spdlog::debug("{}={} from the environment: OpenCV refuses images over that",
                  kOpenCvPixelLimitVariable, set);
    return;
  }
  const std::optional<std::uint64_t> needed = opencv_pixel_limit_needed(limits);
  if (!needed) return;
  if (opencv_codecs_loaded()) {
    spdlog::warn("OpenCV's image codecs are already loaded: they refuse images over {} pixels",
                 kOpenCvDefaultPixelLimit);
    return;
  }
  spdlog::debug("{}={} for OpenCV's image codecs, which read it when they are loaded",
                kOpenCvPixelLimitVariable, *needed);
  ::setenv(kOpenCvPixelLimitVariable, std::to_string(*needed).c_str(), 1);
}

}  // namespace mtcnn::cli
