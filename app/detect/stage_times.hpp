// Per-stage wall times and work, summed over the images of a batch for the -v report.
#pragma once

#include <mtcnn/detector.hpp>

namespace mtcnn::cli {

struct BatchTimes {
  double decode_ms = 0;
  mtcnn::StageTimes detector;  // pyramid, P-Net, R-Net, O-Net, and their inputs
  double detect_ms = 0;        // the detector's whole call (the stages plus what lies between)
  double write_ms = 0;         // every writer of the ordered stage

  BatchTimes& operator+=(const BatchTimes& other) {
    decode_ms += other.decode_ms;
    detector.pyramid_ms += other.detector.pyramid_ms;
    detector.pnet_ms += other.detector.pnet_ms;
    detector.rnet_ms += other.detector.rnet_ms;
    detector.onet_ms += other.detector.onet_ms;
    detector.pnet_pixels += other.detector.pnet_pixels;
    detector.rnet_candidates += other.detector.rnet_candidates;
    detector.onet_candidates += other.detector.onet_candidates;
    detect_ms += other.detect_ms;
    write_ms += other.write_ms;
    return *this;
  }
};

}  // namespace mtcnn::cli
