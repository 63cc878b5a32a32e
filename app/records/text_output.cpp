#include "records/text_output.hpp"

#include <iostream>
#include <stdexcept>

namespace mtcnn::cli {

TextOutput::TextOutput(const std::optional<std::filesystem::path>& file) {
  if (!file) return;
  // Like --annotate, -o out/faces.jsonl creates out/ when it is missing.
  std::error_code ec;
  if (file->has_parent_path()) std::filesystem::create_directories(file->parent_path(), ec);
  file_ = std::make_unique<AtomicFile>(*file);
}

std::ostream& TextOutput::stream() { return file_ ? file_->stream() : std::cout; }

void TextOutput::end_record() {
  if (!file_) std::cout.flush();
  if (!stream()) {
    throw std::runtime_error(file_ ? "cannot write " + file_->target().string()
                                   : std::string("cannot write to standard output"));
  }
}

void TextOutput::close() {
  if (file_) {
    file_->commit();
  } else {
    end_record();
  }
}

}  // namespace mtcnn::cli
