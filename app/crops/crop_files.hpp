// --crops DIR: each face's crop as a file, mirroring the input tree under DIR
// (DIR/<input's mirror path without extension>_<k>.<png|jpg>, k = the face's index in its record).
#pragma once

#include <filesystem>

#include "crops/crop_options.hpp"
#include "outputs/image_output.hpp"
#include "outputs/output_tree.hpp"

namespace mtcnn::cli {

class CropFiles : public ImageOutput {
 public:
  CropFiles(OutputTree tree, CropOptions options)
      : tree_(std::move(tree)), options_(std::move(options)) {}

  // Warps and encodes the crops. Throws ImageFailure(crop_failed).
  std::vector<PreparedFile> prepare(const Record& record, const std::filesystem::path& mirror,
                                    const cv::Mat& image) const override;
  // Writes them and records each face's crop path. Throws ImageFailure(crop_failed).
  void commit(Record& record, std::vector<PreparedFile>& files) override;

  // What every crop name of an input starts with (its mirror path without extension): two
  // inputs with the same stem would write the same crops.
  static std::filesystem::path stem_of(const std::filesystem::path& mirror);
  static std::filesystem::path crop_name(const std::filesystem::path& mirror, std::size_t face,
                                         const std::string& extension);

 private:
  OutputTree tree_;
  CropOptions options_;
};

}  // namespace mtcnn::cli
