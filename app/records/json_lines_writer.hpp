// One JSON record per line (JSON Lines): the default output, easy to stream, grep and jq.
#pragma once

#include <utility>

#include "records/record_writer.hpp"
#include "records/text_output.hpp"

namespace mtcnn::cli {

class JsonLinesWriter : public RecordWriter {
 public:
  explicit JsonLinesWriter(TextOutput out) : out_(std::move(out)) {}
  void write(const Record& record) override;
  void finish() override;

 private:
  TextOutput out_;
};

}  // namespace mtcnn::cli
