// --annotate: a copy of each successfully processed image with its detections drawn, mirroring
// the input tree under one output folder (see output_tree.hpp).
#pragma once

#include <filesystem>

#include "outputs/image_output.hpp"
#include "outputs/output_tree.hpp"

namespace mtcnn::cli {

class AnnotatedCopies : public ImageOutput {
 public:
  explicit AnnotatedCopies(OutputTree tree) : tree_(std::move(tree)) {}

  // Draws and encodes. Throws ImageFailure(annotate_failed).
  std::vector<PreparedFile> prepare(const Record& record, const std::filesystem::path& mirror,
                                    const cv::Mat& image) const override;
  // Writes the copy. Throws ImageFailure(annotate_failed).
  void commit(Record& record, std::vector<PreparedFile>& files) override;

  // The file written for a mirror path: same format as the input when OpenCV can encode it in
  // colour, otherwise ".png" is appended.
  static std::filesystem::path output_name(const std::filesystem::path& mirror_path);

 private:
  OutputTree tree_;
};

}  // namespace mtcnn::cli
