#include "records/json_array_writer.hpp"

namespace mtcnn::cli {

void JsonArrayWriter::write(const Record& record) {
  out_.stream() << (empty_ ? "[\n" : ",\n") << to_json_line(record);
  empty_ = false;
  out_.end_record();
}

void JsonArrayWriter::finish() {
  out_.stream() << (empty_ ? "[]\n" : "\n]\n");
  out_.close();
}

}  // namespace mtcnn::cli
