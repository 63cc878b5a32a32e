// Writes a copy of each successfully processed image with its detections drawn, mirroring the
// input tree under one output directory (see InputFile::mirror_path).
#pragma once

#include <filesystem>
#include <set>

#include "cli/writers/result_writer.hpp"

namespace mtcnn::cli {

class AnnotatedImageWriter : public ResultWriter {
 public:
  // Creates out_dir if needed; throws std::runtime_error if it cannot.
  explicit AnnotatedImageWriter(std::filesystem::path out_dir);

  bool needs_pixels() const override { return true; }
  // Skips error records (there is nothing to draw on). Throws ImageFailure(annotate_failed).
  void write(const ImageResult& result) override;
  void finish() override {}

  // The file written for a mirror path: same format as the input when OpenCV can encode it in
  // colour, otherwise ".png" is appended. Public for the tests.
  static std::filesystem::path output_name(const std::filesystem::path& mirror_path);

 private:
  // output_name(), plus "-2", "-3"... when two inputs map to the same file in this run (two
  // files with the same name given from different folders).
  std::filesystem::path unique_target(const std::filesystem::path& mirror_path);

  std::filesystem::path out_dir_;
  std::set<std::filesystem::path> taken_;
};

}  // namespace mtcnn::cli
