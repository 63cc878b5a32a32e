// All records as one JSON array, for tools that want a single document. Still written record by
// record (one per line), so memory does not grow with the batch.
#pragma once

#include <utility>

#include "records/record_writer.hpp"
#include "records/text_output.hpp"

namespace mtcnn::cli {

class JsonArrayWriter : public RecordWriter {
 public:
  explicit JsonArrayWriter(TextOutput out) : out_(std::move(out)) {}
  void write(const Record& record) override;
  void finish() override;

 private:
  TextOutput out_;
  bool empty_ = true;
};

}  // namespace mtcnn::cli
