// All records as one JSON array, for tools that want a single document. Still written record by
// record (one per line), so memory does not grow with the batch.
#pragma once

#include <utility>

#include "records/record_writer.hpp"
#include "records/text_output.hpp"

namespace mtcnn::cli {

class JsonArrayWriter : public RecordWriter {
 public:
  // continuing: the output already holds records (a resumed run appends to them).
  explicit JsonArrayWriter(TextOutput out, bool continuing = false)
      : out_(std::move(out)), empty_(!continuing) {}
  void write(const Record& record) override;
  void finish() override;

 private:
  TextOutput out_;
  bool empty_;
};

}  // namespace mtcnn::cli
