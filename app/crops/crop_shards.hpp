// --crops shards/faces-%06d.tar: crops as WebDataset samples in tar shards, for training
// pipelines that stream datasets. Each sample is "<key>.png|jpg" and "<key>.json" (source path,
// face index, box, score, the landmarks in the photo and in the crop, the matrix); a shard holds
// --crops-per-shard samples, the number in the pattern counts shards from 0. Samples go in in
// input order, so the shards are the same whatever the thread count. A shard is written as
// NAME.partial, each sample reaching the file as it goes in, and renamed to NAME when it is full
// or the batch ends; an interrupted run leaves its NAME.partial for --resume.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "crops/crop_options.hpp"
#include "outputs/image_output.hpp"

struct archive;

namespace mtcnn::cli {

class CropShards : public ImageOutput {
 public:
  // Creates the pattern's folder; throws SetupError when the pattern is not usable.
  explicit CropShards(CropOptions options);
  ~CropShards() override;

  std::vector<PreparedFile> prepare(const Record& record, const std::filesystem::path& mirror,
                                    const cv::Mat& image) const override;
  void commit(Record& record, std::vector<PreparedFile>& files) override;
  void finish() override;

  // For --resume: continue after the samples the kept records name ("SHARD:MEMBER", in order).
  // The shard they end in is rebuilt from its NAME.partial with exactly those samples (a torn
  // last sample, or samples whose records were never written, are left out), so the finished
  // shards are byte for byte those of an uninterrupted run. Throws std::runtime_error.
  void resume_after(const std::vector<std::string>& kept_crops);

  // The sample key of a face: the mirror path without extension, dots made underscores (a
  // WebDataset key ends at the first dot of the file name), then "_<k>".
  static std::string sample_key(const std::filesystem::path& mirror, std::size_t face);
  std::filesystem::path shard_path(std::size_t index) const;

 private:
  void open_shard(std::size_t index);
  void close_shard();
  std::size_t shard_index_of(const std::string& path) const;

  CropOptions options_;
  std::size_t shard_index_ = 0;  // the next shard to open
  std::size_t samples_in_shard_ = 0;
  archive* archive_ = nullptr;  // the open shard, or none
  std::filesystem::path open_path_;
};

}  // namespace mtcnn::cli
