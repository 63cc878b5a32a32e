// What a pipeline worker needs from a detector. The interface lets the pipeline be tested with
// a scripted fake, without model files.
#pragma once

#include <filesystem>
#include <memory>
#include <mtcnn/detector.hpp>
#include <opencv2/core.hpp>
#include <vector>

namespace mtcnn::cli {

class FaceFinder {
 public:
  virtual ~FaceFinder() = default;
  // Called by one thread at a time; may throw on a bad image.
  virtual std::vector<mtcnn::Face> find(const cv::Mat& bgr) = 0;
  // Stage times of the last find(); zeros when the finder does not measure them.
  virtual mtcnn::StageTimes last_times() const { return {}; }
};

// The real thing: one mtcnn::Detector, owned by one worker.
class MtcnnFaceFinder : public FaceFinder {
 public:
  // Throws mtcnn::ModelError or mtcnn::OptionsError. largest_only keeps the face with the
  // largest box (by area) of each image.
  MtcnnFaceFinder(const std::filesystem::path& model_dir, const mtcnn::Options& options,
                  bool largest_only = false);
  std::vector<mtcnn::Face> find(const cv::Mat& bgr) override;
  mtcnn::StageTimes last_times() const override;

 private:
  mtcnn::Detector detector_;
  bool largest_only_;
};

}  // namespace mtcnn::cli
