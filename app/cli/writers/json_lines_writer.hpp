// One JSON record per line (JSON Lines): the default output, easy to stream, grep and jq.
#pragma once

#include <utility>

#include "cli/writers/record_writer.hpp"
#include "cli/writers/text_output.hpp"

namespace mtcnn::cli {

class JsonLinesWriter : public RecordWriter {
 public:
  explicit JsonLinesWriter(TextOutput out) : out_(std::move(out)) {}
  void write(const ImageResult& result) override;
  void finish() override;

 private:
  TextOutput out_;
};

}  // namespace mtcnn::cli
