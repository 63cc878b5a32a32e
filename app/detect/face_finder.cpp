#include "detect/face_finder.hpp"

#include <algorithm>

namespace mtcnn::cli {

MtcnnFaceFinder::MtcnnFaceFinder(const std::filesystem::path& model_dir,
                                 const mtcnn::Options& options, bool largest_only)
    : detector_(model_dir.string(), options), largest_only_(largest_only) {}

std::vector<mtcnn::Face> MtcnnFaceFinder::find(const cv::Mat& bgr) {
  std::vector<mtcnn::Face> faces = detector_.detect(bgr);
  if (largest_only_ && faces.size() > 1) {
    // The first of equal areas wins, which is the better score (faces come best first).
    const auto largest = std::max_element(
        faces.begin(), faces.end(),
        [](const mtcnn::Face& a, const mtcnn::Face& b) { return a.box.area() < b.box.area(); });
    faces = {*largest};
  }
  return faces;
}

mtcnn::StageTimes MtcnnFaceFinder::last_times() const { return detector_.last_times(); }

}  // namespace mtcnn::cli
