// A one-line progress bar on stderr, for people watching a terminal. It never appears when stderr
// is redirected (logs and CI output stay clean) nor with -q.
#pragma once

#include <chrono>
#include <cstddef>

namespace mtcnn::cli {

bool stderr_is_terminal();

class ProgressBar {
 public:
  ProgressBar(std::size_t total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // One more input done; redraws at most ten times a second.
  void advance(bool failed);
  // Erases the bar so that a log line can be printed; the next advance() redraws it.
  void clear();

 private:
  void draw();

  std::size_t total_;
  bool enabled_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  bool visible_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace mtcnn::cli
