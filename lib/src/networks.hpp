// Loading the three Caffe networks and keeping P-Net instances per input shape.
#pragma once

#include <filesystem>
#include <list>
#include <opencv2/dnn.hpp>
#include <string>
#include <utility>
#include <vector>

namespace mtcnn::detail {

// The bytes of one network (e.g. det1.prototxt + det1.caffemodel), read once, so that further
// instances of the network are built from memory.
class NetworkSource {
 public:
  // Reads and checks dir/<stem>.prototxt and dir/<stem>.caffemodel by running one forward pass
  // on an input of probe_size. Throws ModelError naming the file at fault.
  NetworkSource(const std::filesystem::path& dir, const std::string& stem, int probe_size);

  cv::dnn::Net create() const;

 private:
  std::string proto_, weights_;
};

// P-Net instances keyed by input shape. Reshaping one Net for every pyramid level costs about
// as much as the convolutions, so each level keeps its own; the pool is bounded by the total
// input area it keeps alive, and evicts the least recently used shape.
class PNetPool {
 public:
  PNetPool(const NetworkSource& source, long long max_cached_pixels);

  cv::dnn::Net& get(cv::Size input);

 private:
  const NetworkSource* source_;
  long long max_pixels_;
  long long cached_pixels_ = 0;
  std::list<std::pair<cv::Size, cv::dnn::Net>> nets_;  // most recently used first
};

}  // namespace mtcnn::detail
