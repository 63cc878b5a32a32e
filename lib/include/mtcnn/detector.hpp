// MTCNN face detector (Zhang et al. 2016): a cascade of three small CNNs
// (P-Net, R-Net, O-Net) run through OpenCV DNN with the original release's weights.
//
// Threading: a Detector owns its networks and scratch buffers, so one instance must not
// be used by two threads at once. Create one Detector per worker thread; instances share
// nothing and can run fully in parallel.
#pragma once

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace mtcnn {

// How the convolutions compute. kFp32: in float, as always. kBf16: their inputs and weights
// rounded to bfloat16 (8 significant bits) and the products summed in float, on CPUs with
// AVX512_BF16 (faster; scores and boxes move slightly); elsewhere it computes as kFp32.
enum class Precision { kFp32, kBf16 };

// Whether this CPU computes with `precision` as asked: kBf16 needs AVX512_BF16, kFp32 is always.
bool precision_supported(Precision precision);

// Thresholds and overlaps of the cascade; the defaults are the paper's and the original code's.
struct Options {
  float min_face = 20.0f;                             // smallest face side searched for, in pixels
  float scale_factor = 0.709f;                        // ratio between two pyramid levels
  std::array<float, 3> thresholds{0.6f, 0.7f, 0.7f};  // P-Net, R-Net, O-Net face scores
  float pnet_scale_nms = 0.5f;                        // IoU, within one pyramid level
  float pnet_nms = 0.7f;                              // IoU, across all levels
  float rnet_nms = 0.7f;                              // IoU
  float onet_nms = 0.7f;                              // intersection over the smaller box ("Min")
  // Where a candidate box leaves the image, R-Net and O-Net see it padded with black, as in the
  // original release. false crops to the part inside the image and stretches that instead, as
  // facenet-pytorch does: only for comparing with it.
  bool pad_crops = true;
  // When > 0, a photo whose longer side exceeds this many pixels is searched on a copy shrunk
  // to that side (area averaging), and the faces are mapped back to the photo's pixels: faster
  // on large photos, but faces smaller than min_face in the copy are missed. 0: the photo as is.
  int max_side = 0;
  // See Precision.
  Precision precision = Precision::kFp32;
};

// The five landmarks, "left" and "right" as seen in the image.
enum Landmark { kLeftEye = 0, kRightEye, kNose, kMouthLeft, kMouthRight, kLandmarkCount };

struct Face {
  cv::Rect2f box;  // pixel coordinates in the input image, top-left origin
  float score = 0.0f;
  std::array<cv::Point2f, kLandmarkCount> landmarks;
};

// Missing, unreadable or malformed model files; the message names the file.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Rejected options (for example a scale factor outside (0, 1)).
class OptionsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A photo whose pyramid is too large to search: its first level would have more than 2^31 - 1
// pixels (a min_face far below 12 enlarges the photo by 12 / min_face). detect() throws it for
// that photo; the Detector stays usable.
class PyramidTooLargeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Wall time of each stage of the last detect() call, in milliseconds, and the work each network
// did: the pixels of the pyramid levels P-Net ran on, the candidates R-Net and O-Net ran on.
struct StageTimes {
  double pyramid_ms = 0, pnet_ms = 0, rnet_ms = 0, onet_ms = 0;
  long long pnet_pixels = 0;
  int rnet_candidates = 0, onet_candidates = 0;
};

class Detector {
 public:
  // Loads det1..det3 (.prototxt and .caffemodel) from model_dir. Throws ModelError or OptionsError.
  explicit Detector(const std::string& model_dir, const Options& options = {});
  ~Detector();
  Detector(Detector&&) noexcept;
  Detector& operator=(Detector&&) noexcept;

  // Faces in an 8-bit BGR image (1 or 4 channels are converted), best score first. Throws
  // PyramidTooLargeError for a photo too large for min_face (see there).
  std::vector<Face> detect(const cv::Mat& bgr);

  const Options& options() const;
  const StageTimes& last_times() const;

  // The files a model directory must hold, in load order.
  static std::vector<std::string> model_files();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mtcnn
