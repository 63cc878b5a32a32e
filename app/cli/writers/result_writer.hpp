// The common interface of everything that turns results into output: JSON Lines, a JSON array,
// annotated images, and later aligned crops or COCO files.
#pragma once

#include "cli/image_result.hpp"

namespace mtcnn::cli {

class ResultWriter {
 public:
  virtual ~ResultWriter() = default;

  // Whether write() needs ImageResult::image; the pipeline drops the pixels otherwise.
  virtual bool needs_pixels() const { return false; }

  // Called once per input, in input order, always from the same thread. A failure that concerns
  // only this image is thrown as ImageFailure: the pipeline records it on the result and the
  // writers after this one see an error record. Any other exception aborts the batch.
  virtual void write(const ImageResult& result) = 0;

  // Called once after the last write() of a complete batch: makes the output visible (closes,
  // renames). Not called when the batch is aborted, so nothing half-written appears.
  virtual void finish() = 0;
};

}  // namespace mtcnn::cli
