#include "networks.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "dnn_layers.hpp"
#include "mtcnn/detector.hpp"

namespace mtcnn::detail {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError("model file not found: " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) throw ModelError("cannot read model file: " + path.string());
  return std::move(bytes).str();
}

// OpenCV's messages carry a source location and a backtrace-like prefix; keep the reason.
std::string short_reason(const cv::Exception& e) {
  return e.err.empty() ? std::string(e.what()) : e.err;
}

}  // namespace

NetworkSource::NetworkSource(const std::filesystem::path& dir, const std::string& stem,
                             int probe_size, ConvPrecision precision) {
  const auto proto_path = dir / (stem + ".prototxt");
  const auto weights_path = dir / (stem + ".caffemodel");
  proto_ = with_own_layers(read_file(proto_path), precision);
  weights_ = read_file(weights_path);

  cv::dnn::Net net;
  try {
    net = create();
  } catch (const cv::Exception& e) {
    throw ModelError("cannot load " + weights_path.string() + " with " + proto_path.string() +
                     ": " + short_reason(e));
  }
  // A caffemodel that lacks a layer's weights still loads; running the net is what fails.
  try {
    const int shape[] = {1, 3, probe_size, probe_size};
    net.setInput(cv::Mat(4, shape, CV_32F, cv::Scalar(0)));
    net.forward();
  } catch (const cv::Exception& e) {
    throw ModelError("model " + weights_path.string() +
                     " does not fit its network: " + short_reason(e));
  }
}

cv::dnn::Net NetworkSource::create() const {
  cv::dnn::Net net =
      cv::dnn::readNetFromCaffe(proto_.data(), proto_.size(), weights_.data(), weights_.size());
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  return net;
}

PNetPool::PNetPool(const NetworkSource& source, long long max_kept_pixels)
    : source_(&source), max_pixels_(max_kept_pixels) {}

void PNetPool::start(const std::vector<cv::Size>& levels) {
  // Levels beyond this pyramid belong to a larger photo; their Nets are small, but they would
  // count against the budget without being used.
  nets_.resize(levels.size());
  keep_.assign(levels.size(), false);
  long long smaller = 0;  // input area of this level and all smaller ones
  for (std::size_t k = levels.size(); k-- > 0;) {
    smaller += static_cast<long long>(levels[k].width) * levels[k].height;
    keep_[k] = smaller <= max_pixels_;
  }
}

cv::dnn::Net& PNetPool::get(std::size_t level) {
  CV_Assert(level < nets_.size());
  if (nets_[level].empty()) nets_[level] = source_->create();
  return nets_[level];
}

void PNetPool::done(std::size_t level) {
  if (level < nets_.size() && !keep_[level]) nets_[level] = cv::dnn::Net();
}

ChunkedNet::ChunkedNet(const NetworkSource& source, int batch, int side,
                       std::vector<cv::String> outputs)
    : batch_(batch), outputs_(std::move(outputs)), full_(source.create()), rest_(source.create()) {
  const int shape[] = {batch, 3, side, side};
  input_.create(4, shape, CV_32F);
}

std::vector<cv::Mat> ChunkedNet::forward(int count, const Fill& fill) {
  std::vector<cv::Mat> results(outputs_.size());
  std::vector<cv::Mat> chunk_out;
  for (int first = 0; first < count; first += batch_) {
    const int rows = std::min(batch_, count - first);
    const int shape[] = {rows, input_.size[1], input_.size[2], input_.size[3]};
    cv::Mat chunk(4, shape, CV_32F, input_.ptr<float>());
    fill(first, rows, chunk);
    CV_Assert(chunk.data == input_.data);  // written in place, not reallocated
    cv::dnn::Net& net = rows == batch_ ? full_ : rest_;
    net.setInput(chunk);
    net.forward(chunk_out, outputs_);
    for (std::size_t k = 0; k < outputs_.size(); ++k) {
      const cv::Mat values = chunk_out[k].reshape(1, rows);
      if (results[k].empty()) results[k].create(count, values.cols, CV_32F);
      values.copyTo(results[k].rowRange(first, first + rows));
    }
  }
  return results;
}

}  // namespace mtcnn::detail
