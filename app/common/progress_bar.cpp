#include "common/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace mtcnn::cli {

namespace {

constexpr int kBarWidth = 30;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

std::string format_duration(double seconds) {
  const long total = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  return text;
}

}  // namespace

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(std::size_t total, bool enabled)
    : total_(total),
      enabled_(enabled && total > 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::advance(bool failed) {
  ++done_;
  if (failed) ++failed_;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (visible_ && done_ < total_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  draw();
}

void ProgressBar::clear() {
  if (!visible_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  visible_ = false;
}

void ProgressBar::draw() {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0;
  const int filled = static_cast<int>(kBarWidth * done_ / total_);
  const std::string bar = std::string(filled, '#') + std::string(kBarWidth - filled, '-');
  const std::string eta =
      rate > 0 ? format_duration(static_cast<double>(total_ - done_) / rate) : "?";
  std::fprintf(stderr, "\r\033[K[%s] %zu/%zu  %.1f img/s  ETA %s", bar.c_str(), done_, total_, rate,
               eta.c_str());
  if (failed_ > 0) std::fprintf(stderr, "  (%zu failed)", failed_);
  std::fflush(stderr);
  visible_ = true;
}

}  // namespace mtcnn::cli
