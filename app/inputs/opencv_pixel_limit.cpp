#include "inputs/opencv_pixel_limit.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace mtcnn::cli {

namespace {

// This process's arguments, exactly as given (NUL-separated in /proc/self/cmdline).
std::vector<std::string> own_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<std::string> arguments;
  for (std::size_t start = 0; start < all.size();) {
    const std::size_t end = all.find('\0', start);
    arguments.push_back(all.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return arguments;
}

}  // namespace

std::optional<std::uint64_t> opencv_pixel_limit_needed(const ImageLimits& limits) {
  // OpenCV compares a 64-bit pixel count with a size_t.
  if (limits.max_pixels == 0) return std::numeric_limits<std::size_t>::max();
  if (limits.max_pixels > kOpenCvDefaultPixelLimit) return limits.max_pixels;
  return std::nullopt;
}

void apply_opencv_pixel_limit(const ImageLimits& limits) {
  if (const char* set = std::getenv(kOpenCvPixelLimitVariable)) {
    // The user's (or this function's, before the restart): OpenCV loaded with it.
    spdlog::debug("{}={} from the environment: OpenCV refuses images over that",
                  kOpenCvPixelLimitVariable, set);
    return;
  }
  const std::optional<std::uint64_t> needed = opencv_pixel_limit_needed(limits);
  if (!needed) return;

  const std::vector<std::string> arguments = own_arguments();
  if (!arguments.empty()) {
    spdlog::debug("restarting with {}={}, which OpenCV reads only when it is loaded",
                  kOpenCvPixelLimitVariable, *needed);
    ::setenv(kOpenCvPixelLimitVariable, std::to_string(*needed).c_str(), 1);
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
      argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    std::cout.flush();
    std::fflush(nullptr);
    ::execv("/proc/self/exe", argv.data());
    const int exec_error = errno;
    ::unsetenv(kOpenCvPixelLimitVariable);  // still this process: OpenCV keeps its default
    spdlog::warn("could not restart with {}={} ({}): OpenCV refuses images over {} pixels",
                 kOpenCvPixelLimitVariable, *needed, std::strerror(exec_error),
                 kOpenCvDefaultPixelLimit);
    return;
  }
  spdlog::warn(
      "could not read /proc/self/cmdline to restart with {}={}: OpenCV refuses images "
      "over {} pixels",
      kOpenCvPixelLimitVariable, *needed, kOpenCvDefaultPixelLimit);
}

}  // namespace mtcnn::cli
