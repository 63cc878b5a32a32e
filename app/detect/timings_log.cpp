#include "detect/timings_log.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace mtcnn::cli {

namespace {

// Microsecond resolution is plenty and keeps the lines short.
double rounded(double ms) {
  return static_cast<double>(static_cast<long long>(ms * 1000 + 0.5)) / 1000;
}

}  // namespace

TimingsLog::TimingsLog(const std::filesystem::path& file, bool append)
    : out_(file, append ? std::ios::app : std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot create timings file " + file.string());
}

void TimingsLog::add(const ImageResult& result) {
  const BatchTimes& t = result.times;
  const nlohmann::ordered_json line = {
      {"path", result.record.path},
      {"decode_ms", rounded(t.decode_ms)},
      {"pyramid_ms", rounded(t.detector.pyramid_ms)},
      {"pnet_ms", rounded(t.detector.pnet_ms)},
      {"rnet_ms", rounded(t.detector.rnet_ms)},
      {"onet_ms", rounded(t.detector.onet_ms)},
      {"pnet_pixels", t.detector.pnet_pixels},
      {"rnet_candidates", t.detector.rnet_candidates},
      {"onet_candidates", t.detector.onet_candidates},
      {"detect_ms", rounded(t.detect_ms)},
      {"write_ms", rounded(t.write_ms)},
      {"total_ms", rounded(t.decode_ms + t.detect_ms + t.write_ms)},
  };
  // Paths need not be UTF-8; as in the records, such bytes become U+FFFD instead of an
  // exception that would stop the batch.
  out_ << line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace mtcnn::cli
