// The cascade: P-Net over the pyramid, then R-Net and O-Net on batched crops.
#include "mtcnn/detector.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <span>

#include "boxes.hpp"
#include "direct_conv.hpp"
#include "network_input.hpp"
#include "networks.hpp"
#include "pnet_level.hpp"
#include "pyramid.hpp"

namespace mtcnn {

using detail::Candidate;
using detail::Overlap;

namespace {

constexpr int kRNetSide = 24;
constexpr int kONetSide = 48;
// Input area of the P-Net instances a detector keeps between images: a whole 640x480 pyramid
// (about 220k pixels, 25 MB of buffers), or the smaller levels of a larger photo.
constexpr long long kPNetKeptPixels = 300'000;
// Largest input P-Net sees in one pass. A Net holds about 110 bytes of buffers per input pixel,
// so a larger level runs in tiles (see pnet_level.hpp), each resampled from the photo as it
// runs: a 4000x3000 photo's first level would otherwise take 480 MB, and its blob 52 MB.
constexpr long long kPNetTilePixels = 300'000;
// Crops per forward pass. Larger batches gain nothing per crop (measured flat from 1 to 128
// crops for both networks) and hold more memory.
constexpr int kRNetBatch = 32;
constexpr int kONetBatch = 8;

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void check(const Options& o) {
  if (!(o.min_face > 0)) throw OptionsError("min_face must be positive");
  if (!(o.scale_factor > 0 && o.scale_factor < 1))
    throw OptionsError("scale_factor must be between 0 and 1 (exclusive)");
  for (float t : o.thresholds)
    if (!(t >= 0 && t <= 1)) throw OptionsError("thresholds must be between 0 and 1");
  if (o.max_side < 0) throw OptionsError("max_side must be 0 (off) or positive");
  for (float t : {o.pnet_scale_nms, o.pnet_nms, o.rnet_nms, o.onet_nms})
    if (!(t > 0 && t <= 1)) throw OptionsError("NMS overlaps must be in (0, 1]");
  if (o.precision != Precision::kFp32 && o.precision != Precision::kBf16)
    throw OptionsError("precision must be kFp32 or kBf16");
}

detail::ConvPrecision conv_precision(Precision p) {
  return p == Precision::kBf16 ? detail::ConvPrecision::kBf16 : detail::ConvPrecision::kFp32;
}

// Keeps the crops whose face score beats threshold, taking their regression offsets.
// Returns the indices kept, so callers can pick further outputs of the same rows.
std::vector<int> accept(std::vector<Candidate>& boxes, const cv::Mat& prob, const cv::Mat& reg,
                        float threshold) {
  std::vector<int> kept;
  std::vector<Candidate> passed;
  for (int i = 0; i < static_cast<int>(boxes.size()); ++i) {
    const float score = prob.at<float>(i, 1);
    if (!(score > threshold)) continue;
    Candidate c = boxes[i];
    c.score = score;
    for (int k = 0; k < 4; ++k) c.reg[k] = reg.at<float>(i, k);
    passed.push_back(c);
    kept.push_back(i);
  }
  boxes = std::move(passed);
  return kept;
}

// Regression can turn a box inside out; such a box has no pixels to crop.
void drop_empty(std::vector<Candidate>& boxes) {
  std::erase_if(boxes, [](const Candidate& b) { return !(b.x2 >= b.x1 && b.y2 >= b.y1); });
}

}  // namespace

struct Detector::Impl {
  Impl(const std::filesystem::path& dir, const Options& o)
      : options(o),
        pnet_source(dir, "det1", detail::kPNetCell, conv_precision(o.precision)),
        rnet_source(dir, "det2", kRNetSide, conv_precision(o.precision)),
        onet_source(dir, "det3", kONetSide, conv_precision(o.precision)),
        pnets(pnet_source, kPNetKeptPixels),
        rnet(rnet_source, kRNetBatch, kRNetSide, {"conv5-2", "prob1"}),
        onet(onet_source, kONetBatch, kONetSide, {"conv6-2", "conv6-3", "prob1"}) {}

  std::vector<Candidate> run_pnet(const cv::Mat& pixels);
  // Fills a chunk of R-Net's or O-Net's input with the crops of those boxes.
  detail::ChunkedNet::Fill crops(const cv::Mat& pixels, const std::vector<Candidate>& boxes,
                                 int side) const {
    return [&pixels, &boxes, side, pad = options.pad_crops](int first, int rows, cv::Mat& blob) {
      detail::crops_blob(pixels, std::span(boxes).subspan(first, rows), side, pad, blob);
    };
  }
  void run_rnet(const cv::Mat& pixels, std::vector<Candidate>& boxes);
  std::vector<Face> run_onet(const cv::Mat& pixels, std::vector<Candidate>& boxes);

  Options options;
  detail::NetworkSource pnet_source, rnet_source, onet_source;
  detail::PNetPool pnets;
  detail::ChunkedNet rnet, onet;
  std::vector<float> tile_buffer = std::vector<float>(3 * kPNetTilePixels);  // a P-Net tile's input
  StageTimes times;
};

std::vector<Candidate> Detector::Impl::run_pnet(const cv::Mat& pixels) {
  std::vector<Candidate> all;
  const std::vector<double> scales =
      detail::pyramid_scales(pixels.size(), options.min_face, options.scale_factor);
  std::vector<cv::Size> sizes, tiles;
  std::vector<detail::TilePlan> plans;  // per level
  for (double scale : scales) {
    sizes.push_back(detail::scaled_size(pixels.size(), scale));
    times.pnet_pixels += static_cast<long long>(sizes.back().width) * sizes.back().height;
    plans.push_back(detail::plan_tiles(sizes.back(), kPNetTilePixels));
    tiles.push_back(plans.back().tile);
  }
  pnets.start(tiles);
  for (std::size_t level = 0; level < scales.size(); ++level) {
    // Resampling happens tile by tile inside the P-Net pass; its time counts as the pyramid's.
    double resample_ms = 0;
    const auto fill = [&](cv::Rect part, cv::Mat& blob) {
      const auto start = Clock::now();
      // Every tile in the one buffer: no blob allocated (and paged in) per level and photo.
      const int shape[] = {1, 3, part.width, part.height};
      CV_Assert(3 * part.area() <= static_cast<int>(tile_buffer.size()));
      blob = cv::Mat(4, shape, CV_32F, tile_buffer.data());
      detail::level_part_blob(pixels, sizes[level], part, blob);
      resample_ms += ms_since(start);
    };
    const auto start = Clock::now();
    auto found = detail::pnet_windows(pnets.get(level), plans[level], fill, scales[level],
                                      options.thresholds[0]);
    pnets.done(level);
    found = detail::select(found, detail::nms(found, options.pnet_scale_nms, Overlap::kUnion));
    all.insert(all.end(), found.begin(), found.end());
    times.pyramid_ms += resample_ms;
    times.pnet_ms += ms_since(start) - resample_ms;
  }
  const auto start = Clock::now();
  all = detail::select(all, detail::nms(all, options.pnet_nms, Overlap::kUnion));
  detail::regress_pnet(all);
  detail::make_square(all);
  drop_empty(all);
  times.pnet_ms += ms_since(start);
  return all;
}

void Detector::Impl::run_rnet(const cv::Mat& pixels, std::vector<Candidate>& boxes) {
  if (boxes.empty()) return;
  const auto start = Clock::now();
  times.rnet_candidates = static_cast<int>(boxes.size());
  const auto out = rnet.forward(static_cast<int>(boxes.size()), crops(pixels, boxes, kRNetSide));
  accept(boxes, out[1], out[0], options.thresholds[1]);
  boxes = detail::select(boxes, detail::nms(boxes, options.rnet_nms, Overlap::kUnion));
  detail::regress(boxes);
  detail::make_square(boxes);
  drop_empty(boxes);
  times.rnet_ms += ms_since(start);
}

std::vector<Face> Detector::Impl::run_onet(const cv::Mat& pixels, std::vector<Candidate>& boxes) {
  if (boxes.empty()) return {};
  const auto start = Clock::now();
  times.onet_candidates = static_cast<int>(boxes.size());
  const auto out = onet.forward(static_cast<int>(boxes.size()), crops(pixels, boxes, kONetSide));
  const std::vector<int> rows = accept(boxes, out[2], out[0], options.thresholds[2]);

  // Landmarks are relative to the box O-Net saw, before its own regression moves the box.
  // The original adds x1 - 1 to reach 1-based pixels; one more -1 makes them 0-based.
  std::vector<std::array<cv::Point2f, kLandmarkCount>> points(boxes.size());
  for (size_t i = 0; i < boxes.size(); ++i) {
    const Candidate& b = boxes[i];
    const float w = b.x2 - b.x1 + 1;
    const float h = b.y2 - b.y1 + 1;
    const float* p = out[1].ptr<float>(rows[i]);
    for (int k = 0; k < kLandmarkCount; ++k)
      points[i][k] = {w * p[k] + b.x1 - 2, h * p[k + kLandmarkCount] + b.y1 - 2};
  }
  detail::regress(boxes);

  std::vector<Face> faces;
  for (int i : detail::nms(boxes, options.onet_nms, Overlap::kMin)) {
    const Candidate& b = boxes[i];
    Face face;
    face.box = {b.x1 - 1, b.y1 - 1, b.x2 - b.x1 + 1, b.y2 - b.y1 + 1};
    face.score = b.score;
    face.landmarks = points[i];
    faces.push_back(face);
  }
  times.onet_ms += ms_since(start);
  return faces;
}

bool precision_supported(Precision precision) {
  // kBf16 runs on our layers' bf16 kernels: our layers need AVX2 (dnn_layers.hpp), the kernels
  // AVX512_BF16.
  return precision == Precision::kFp32 ||
         (precision == Precision::kBf16 && detail::conv_isa_supported(detail::ConvIsa::kAvx2) &&
          detail::conv_isa_supported(detail::ConvIsa::kAvx512Bf16));
}

Detector::Detector(const std::string& model_dir, const Options& options) {
  check(options);
  impl_ = std::make_unique<Impl>(model_dir, options);
}

Detector::~Detector() = default;
Detector::Detector(Detector&&) noexcept = default;
Detector& Detector::operator=(Detector&&) noexcept = default;

std::vector<Face> Detector::detect(const cv::Mat& image) {
  impl_->times = {};
  if (image.empty()) return {};
  if (image.depth() != CV_8U ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4))
    throw std::invalid_argument("detect() takes an 8-bit image with 1, 3 or 4 channels");

  const auto start = Clock::now();
  const int longer = std::max(image.cols, image.rows);
  const int max_side = impl_->options.max_side;
  cv::Mat shrunk;
  if (max_side > 0 && longer > max_side) {
    const double f = static_cast<double>(max_side) / longer;
    const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * f))),
                        std::max(1, static_cast<int>(std::lround(image.rows * f))));
    cv::resize(image, shrunk, size, 0, 0, cv::INTER_AREA);
  }
  const cv::Mat& searched = shrunk.empty() ? image : shrunk;
  // 8-bit BGR: the blob functions normalise as they resample (no float copy of the photo).
  const cv::Mat pixels = detail::to_bgr8(searched);
  impl_->times.pyramid_ms += ms_since(start);

  std::vector<Candidate> boxes = impl_->run_pnet(pixels);
  impl_->run_rnet(pixels, boxes);
  std::vector<Face> faces = impl_->run_onet(pixels, boxes);
  if (!shrunk.empty()) {
    // Back to the photo's pixels, per axis, as rounding made the two factors differ slightly.
    const float sx = static_cast<float>(image.cols) / static_cast<float>(shrunk.cols);
    const float sy = static_cast<float>(image.rows) / static_cast<float>(shrunk.rows);
    for (Face& face : faces) {
      face.box = {face.box.x * sx, face.box.y * sy, face.box.width * sx, face.box.height * sy};
      for (cv::Point2f& p : face.landmarks) p = {p.x * sx, p.y * sy};
    }
  }
  return faces;
}

const Options& Detector::options() const { return impl_->options; }

const StageTimes& Detector::last_times() const { return impl_->times; }

std::vector<std::string> Detector::model_files() {
  return {"det1.prototxt",   "det1.caffemodel", "det2.prototxt",
          "det2.caffemodel", "det3.prototxt",   "det3.caffemodel"};
}

}  // namespace mtcnn
