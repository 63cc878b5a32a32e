// The common interface of the outputs that receive every record in input order: JSON Lines, a
// JSON array, and later COCO files. Files made per image (annotated copies, crops) are
// ImageOutputs instead (image_output.hpp); they run first, so a record always tells their fate.
#pragma once

#include "records/record.hpp"

namespace mtcnn::cli {

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;

  // Called once per input, in input order, always from the same thread. Any exception is a
  // failure of the output itself (a full disk) and aborts the batch.
  virtual void write(const Record& record) = 0;

  // Called once after the last write() of a complete batch: makes the output visible (closes,
  // renames). Not called when the batch is aborted, so nothing half-written appears.
  virtual void finish() = 0;
};

}  // namespace mtcnn::cli
