// Hands out task indices 0..count-1 to worker threads and gives the finished items back in index
// order, holding at most `capacity` items at a time. A worker may only start task i once task
// i - capacity has been taken out, so a slow image delays the others by at most the window, and
// memory stays bounded however large the batch is.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace mtcnn::cli {

template <typename T>
class ReorderWindow {
 public:
  ReorderWindow(std::size_t count, std::size_t capacity)
      : total_(count), count_(count), slots_(std::max<std::size_t>(capacity, 1)) {}

  // For workers: the next task index, blocking while the window is full. Empty when every task
  // has been handed out or the window was cancelled.
  std::optional<std::size_t> next_task() {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return cancelled_ || next_task_ < next_out_ + slots_.size(); });
    if (cancelled_ || next_task_ >= count_) return std::nullopt;
    return next_task_++;
  }

  // For workers: the result of a task obtained from next_task().
  void complete(std::size_t index, T item) {
    {
      std::lock_guard lock(mutex_);
      slots_[index % slots_.size()] = std::move(item);
    }
    ready_.notify_all();
  }

  // For the consumer: the item of the next index in order, blocking until it is done. Empty
  // after the last one or once cancelled.
  std::optional<T> take_next() {
    std::unique_lock lock(mutex_);
    std::optional<T>& slot = slots_[next_out_ % slots_.size()];
    ready_.wait(lock, [&] { return cancelled_ || next_out_ >= count_ || slot.has_value(); });
    if (cancelled_ || next_out_ >= count_) return std::nullopt;
    std::optional<T> item = std::move(slot);
    slot.reset();
    ++next_out_;
    lock.unlock();
    space_.notify_all();
    return item;
  }

  // Hands out no more tasks: the ones already handed out still come out in order, then the
  // end. Used for an interruption (Ctrl-C), where the images in flight are finished.
  void stop_new_tasks() {
    {
      std::lock_guard lock(mutex_);
      count_ = std::min(count_, next_task_);
    }
    space_.notify_all();
    ready_.notify_all();
  }

  // Whether stop_new_tasks() cut the batch short.
  bool cut_short() const {
    std::lock_guard lock(mutex_);
    return count_ < total_;
  }

  // Wakes everyone up and makes both sides stop; used when the consumer fails.
  void cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    space_.notify_all();
    ready_.notify_all();
  }

 private:
  const std::size_t total_;
  std::size_t count_;                    // lowered by stop_new_tasks()
  std::vector<std::optional<T>> slots_;  // item i lives in slot i % capacity
  std::size_t next_task_ = 0;            // next index to hand out
  std::size_t next_out_ = 0;             // next index to give to the consumer
  bool cancelled_ = false;
  mutable std::mutex mutex_;
  std::condition_variable space_;  // a slot was freed
  std::condition_variable ready_;  // an item was completed
};

}  // namespace mtcnn::cli
