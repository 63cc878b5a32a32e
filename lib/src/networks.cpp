#include "networks.hpp"

#include <fstream>
#include <sstream>

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
                             int probe_size) {
  const auto proto_path = dir / (stem + ".prototxt");
  const auto weights_path = dir / (stem + ".caffemodel");
  proto_ = read_file(proto_path);
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

PNetPool::PNetPool(const NetworkSource& source, long long max_cached_pixels)
    : source_(&source), max_pixels_(max_cached_pixels) {}

cv::dnn::Net& PNetPool::get(cv::Size input) {
  for (auto it = nets_.begin(); it != nets_.end(); ++it) {
    if (it->first == input) {
      nets_.splice(nets_.begin(), nets_, it);
      return nets_.front().second;
    }
  }
  nets_.emplace_front(input, source_->create());
  cached_pixels_ += static_cast<long long>(input.area());
  // Evict from the back, never the net just made.
  while (cached_pixels_ > max_pixels_ && nets_.size() > 1) {
    cached_pixels_ -= static_cast<long long>(nets_.back().first.area());
    nets_.pop_back();
  }
  return nets_.front().second;
}

}  // namespace mtcnn::detail
