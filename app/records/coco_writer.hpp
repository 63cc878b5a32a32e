// All records as one COCO keypoints document (docs/output-format.md), for the tools people load
// datasets into (CVAT, FiftyOne, Label Studio). Memory stays flat however long the batch: the
// images are streamed to the output as they come, and the annotations and failed inputs wait in
// unnamed temporary files until finish() appends them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>

#include "records/record_writer.hpp"
#include "records/text_output.hpp"

namespace mtcnn::cli {

class CocoWriter : public RecordWriter {
 public:
  // The annotations and failed inputs are kept in spool_folder until finish(); the files are
  // unlinked as soon as they are made, so nothing is left behind whatever happens. Throws
  // std::runtime_error when the folder does not take a new file.
  CocoWriter(TextOutput out, const std::filesystem::path& spool_folder);
  ~CocoWriter() override;
  CocoWriter(const CocoWriter&) = delete;
  CocoWriter& operator=(const CocoWriter&) = delete;

  // Where to spool for an output file (none: standard output): the file's own folder, whose disk
  // must take the annotations anyway, else the temporary folder ($TMPDIR, else /tmp).
  static std::filesystem::path spool_folder_for(
      const std::optional<std::filesystem::path>& output_file);

  void write(const Record& record) override;
  void finish() override;

 private:
  class Spool;

  void begin();

  TextOutput out_;
  std::unique_ptr<Spool> annotations_;
  std::unique_ptr<Spool> failed_;
  bool begun_ = false;
  std::size_t images_ = 0;
  std::size_t faces_ = 0;
};

}  // namespace mtcnn::cli
