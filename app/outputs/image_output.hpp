// An output made of files per image: annotated copies now, aligned crops next. Its work is cut in
// two so that the heavy part runs in parallel and the file system sees inputs in order:
// prepare() runs on the worker that detected the faces (drawing, warping, encoding), commit()
// on the writer thread in input order (writing the bytes, appending to an archive). A failure of
// either is that image's error and never stops the batch; the record keeps its detections.
#pragma once

#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "records/record.hpp"

namespace mtcnn::cli {

// One file ready to be written: its name under the output folder and its encoded bytes.
struct PreparedFile {
  std::filesystem::path name;
  std::vector<std::uint8_t> bytes;
  std::optional<std::size_t> face;  // the record's face it shows, for per-face files (crops)
};

class ImageOutput {
 public:
  virtual ~ImageOutput() = default;

  // On a worker, for an image whose detection succeeded; called from several threads at once.
  // `mirror` is the input's name under an output tree (InputFile::mirror_path).
  // Throws ImageFailure.
  virtual std::vector<PreparedFile> prepare(const Record& record,
                                            const std::filesystem::path& mirror,
                                            const cv::Mat& image) const = 0;

  // On the writer thread, in input order, with what prepare() returned for this image; may add
  // to the record (the written names). Throws ImageFailure for this image's trouble; anything
  // else (an archive that cannot be written any more) stops the batch.
  virtual void commit(Record& record, std::vector<PreparedFile>& files) = 0;

  // After the last commit of a complete batch (close an archive). Not called when it aborts.
  virtual void finish() {}
};

}  // namespace mtcnn::cli
