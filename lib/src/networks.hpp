// Loading the three Caffe networks (with our own layers, see dnn_layers.hpp), keeping P-Net
// instances per pyramid level, and running R-Net and O-Net in chunks.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <opencv2/dnn.hpp>
#include <string>
#include <vector>

#include "direct_conv.hpp"

namespace mtcnn::detail {

// The bytes of one network (e.g. det1.prototxt + det1.caffemodel), read once, so that further
// instances of the network are built from memory.
class NetworkSource {
 public:
  // Reads and checks dir/<stem>.prototxt and dir/<stem>.caffemodel by running one forward pass
  // on an input of probe_size. Throws ModelError naming the file at fault. The convolutions of
  // every Net created compute with `precision`.
  NetworkSource(const std::filesystem::path& dir, const std::string& stem, int probe_size,
                ConvPrecision precision = ConvPrecision::kFp32);

  cv::dnn::Net create() const;

 private:
  std::string proto_, weights_;
};

// P-Net instances, one per pyramid level. Reshaping one Net for every level costs about as much
// as the convolutions, but consecutive photos of a batch usually share their level shapes (or
// nearly: a net that must change shape re-plans only its own buffers), so level k keeps its own
// Net from one image to the next. A Net's buffers take about 110 bytes per input pixel, so only
// the smallest levels whose input area adds up to at most the budget are kept; a larger level's
// Net is released as soon as it has run, and a huge photo costs one level at a time.
class PNetPool {
 public:
  PNetPool(const NetworkSource& source, long long max_kept_pixels);

  // Starts an image whose pyramid levels have these input sizes, largest first.
  void start(const std::vector<cv::Size>& levels);

  // The net for pyramid level `level`, to be shaped by the caller's setInput().
  cv::dnn::Net& get(std::size_t level);

  // Called once level `level` has run: releases its Net unless it is kept.
  void done(std::size_t level);

 private:
  const NetworkSource* source_;
  long long max_pixels_;
  std::vector<cv::dnn::Net> nets_;  // index = pyramid level; empty() when not held
  std::vector<bool> keep_;          // for the current image
};

// R-Net or O-Net over any number of crops, in chunks of a fixed batch size: a Net whose batch
// changes with every image re-plans and reallocates all its buffers, and one batch of every
// candidate of a crowded photo holds tens of megabytes. The last, partial chunk runs on a second
// Net, small enough that its reshaping costs little. Only one chunk's input exists at a time.
class ChunkedNet {
 public:
  // fill(first, rows, blob) writes items [first, first + rows) into blob, a rows x 3 x side x
  // side header over the chunk's buffer.
  using Fill = std::function<void(int first, int rows, cv::Mat& blob)>;

  // Items are 3 x side x side.
  ChunkedNet(const NetworkSource& source, int batch, int side, std::vector<cv::String> outputs);

  // Runs `count` items, filled chunk by chunk. Returns each output as a count-row matrix
  // (count x values), in `outputs` order.
  std::vector<cv::Mat> forward(int count, const Fill& fill);

 private:
  int batch_;
  std::vector<cv::String> outputs_;
  cv::dnn::Net full_, rest_;
  // One full chunk's input, allocated once; a partial chunk fills its first items. (A blob
  // allocated for every photo costs page faults on every photo.)
  cv::Mat input_;
};

}  // namespace mtcnn::detail
