#include "detect/batch_report.hpp"

#include <spdlog/spdlog.h>

#include "common/wording.hpp"

namespace mtcnn::cli {

void log_batch_timings(const BatchSummary& summary, std::size_t threads) {
  const double rate = summary.wall_seconds > 0 ? summary.processed / summary.wall_seconds : 0.0;
  spdlog::info("{} in {:.2f} s ({:.2f} images/s, {}), {} failed",
               counted(summary.processed, "input"), summary.wall_seconds, rate,
               counted(threads, "thread"), summary.failed);
  const BatchTimes& t = summary.times;
  spdlog::info(
      "stage totals over all images: decode {:.0f} ms, pyramid {:.0f} ms, P-Net {:.0f} ms, "
      "R-Net {:.0f} ms, O-Net {:.0f} ms (detector {:.0f} ms), writing {:.0f} ms",
      t.decode_ms, t.detector.pyramid_ms, t.detector.pnet_ms, t.detector.rnet_ms,
      t.detector.onet_ms, t.detect_ms, t.write_ms);
  spdlog::info(
      "work: P-Net on {:.1f} million pyramid pixels, R-Net on {} and O-Net on {} candidates",
      t.detector.pnet_pixels / 1e6, t.detector.rnet_candidates, t.detector.onet_candidates);
}

}  // namespace mtcnn::cli
