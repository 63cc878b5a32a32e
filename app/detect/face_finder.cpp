#include "detect/face_finder.hpp"

namespace mtcnn::cli {

MtcnnFaceFinder::MtcnnFaceFinder(const std::filesystem::path& model_dir,
                                 const mtcnn::Options& options)
    : detector_(model_dir.string(), options) {}

std::vector<mtcnn::Face> MtcnnFaceFinder::find(const cv::Mat& bgr) { return detector_.detect(bgr); }

mtcnn::StageTimes MtcnnFaceFinder::last_times() const { return detector_.last_times(); }

}  // namespace mtcnn::cli
