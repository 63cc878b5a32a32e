#include "records/json_lines_writer.hpp"

namespace mtcnn::cli {

void JsonLinesWriter::write(const Record& record) {
  out_.stream() << to_json_line(record) << '\n';
  out_.end_record();
}

void JsonLinesWriter::finish() { out_.close(); }

}  // namespace mtcnn::cli
