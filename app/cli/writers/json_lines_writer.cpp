#include "cli/writers/json_lines_writer.hpp"

namespace mtcnn::cli {

void JsonLinesWriter::write(const ImageResult& result) {
  out_.stream() << to_json_line(result.record) << '\n';
  out_.end_record();
}

void JsonLinesWriter::finish() { out_.close(); }

}  // namespace mtcnn::cli
