#include "common/interrupts.hpp"

#include <pthread.h>
#include <unistd.h>

namespace mtcnn::cli {

namespace {

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

InterruptWatcher::InterruptWatcher(std::stop_source stop) : stop_(std::move(stop)) {
  const sigset_t set = interrupt_signals();
  pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  watcher_ = std::thread([this] {
    const sigset_t wanted = interrupt_signals();
    while (true) {
      int received = 0;
      if (sigwait(&wanted, &received) != 0) continue;
      if (closing_) return;
      if (signal_ != 0) {
        // A second Ctrl-C: the user wants out now. Records written so far are whole lines.
        if (received == SIGINT) _exit(128 + SIGINT);
        continue;
      }
      signal_ = received;
      stop_.request_stop();
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  closing_ = true;
  pthread_kill(watcher_.native_handle(), SIGTERM);  // wakes its sigwait
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace mtcnn::cli
