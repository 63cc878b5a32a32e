// Writes a copy of each successfully processed image with its detections drawn, mirroring the
// input tree under one output folder (see output_tree.hpp).
#pragma once

#include <filesystem>

#include "cli/writers/output_tree.hpp"
#include "cli/writers/result_writer.hpp"

namespace mtcnn::cli {

class AnnotatedImageWriter : public ResultWriter {
 public:
  explicit AnnotatedImageWriter(OutputTree tree) : tree_(std::move(tree)) {}

  bool needs_pixels() const override { return true; }
  // Skips error records (there is nothing to draw on). Throws ImageFailure(annotate_failed).
  void write(const ImageResult& result) override;
  void finish() override {}

  // The file written for a mirror path: same format as the input when OpenCV can encode it in
  // colour, otherwise ".png" is appended.
  static std::filesystem::path output_name(const std::filesystem::path& mirror_path);

 private:
  OutputTree tree_;
};

}  // namespace mtcnn::cli
