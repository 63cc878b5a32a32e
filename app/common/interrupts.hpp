// Ctrl-C and a scheduler's SIGTERM: the batch stops taking new inputs, finishes the images in
// flight, writes their records and says how to resume. A second Ctrl-C ends the process at once.
#pragma once

#include <atomic>
#include <csignal>
#include <stop_token>
#include <thread>

namespace mtcnn::cli {

class InterruptWatcher {
 public:
  // Blocks SIGINT and SIGTERM for this thread and the threads it starts from now on, and waits
  // for them on a thread of its own, which requests stop on `stop` at the first one. Create it
  // before any worker thread.
  explicit InterruptWatcher(std::stop_source stop);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

  // SIGINT or SIGTERM once one arrived, else 0.
  int signal() const { return signal_.load(); }

 private:
  std::stop_source stop_;
  std::atomic<int> signal_{0};
  std::atomic<bool> closing_{false};
  sigset_t previous_mask_;
  std::thread watcher_;
};

}  // namespace mtcnn::cli
