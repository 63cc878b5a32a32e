#include "records/text_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

using Clock = std::chrono::steady_clock;
// Records reach the OS at once; the disk at this pace (power cuts are rarer than kills).
constexpr auto kSyncInterval = std::chrono::seconds(5);
constexpr std::size_t kBufferLimit = 1 << 20;

std::string errno_text() { return std::strerror(errno); }

}  // namespace

fs::path partial_path_for(const fs::path& file) {
  fs::path partial = file;
  partial += ".partial";
  return partial;
}

// A streambuf over a file descriptor whose buffer is emptied by one write() per record.
class TextOutput::Sink : public std::streambuf {
 public:
  Sink(int fd, std::optional<fs::path> target, std::optional<fs::path> partial)
      : fd_(fd), target_(std::move(target)), partial_(std::move(partial)) {}
  ~Sink() override {
    if (fd_ > 2) ::close(fd_);  // an unfinished FILE.partial stays, for --resume
  }

  void write_out() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string reason = errno_text();
        buffer_.clear();
        throw std::runtime_error("cannot write " + name() + ": " + reason);
      }
      done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
  }

  void sync_now() {
    if (fd_ > 2 && partial_) ::fdatasync(fd_);
    last_sync_ = Clock::now();
  }

  void end_record() {
    write_out();
    if (Clock::now() - last_sync_ >= kSyncInterval) sync_now();
  }

  void close() {
    write_out();
    if (!partial_) return;
    if (::fsync(fd_) != 0) throw std::runtime_error("cannot write " + name() + ": " + errno_text());
    ::close(fd_);
    fd_ = -1;
    std::error_code ec;
    fs::rename(*partial_, *target_, ec);
    if (ec) {
      throw std::runtime_error("cannot rename " + partial_->string() + " to " + target_->string() +
                               ": " + ec.message());
    }
  }

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) buffer_ += static_cast<char>(c);
    if (buffer_.size() >= kBufferLimit) write_out();
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    buffer_.append(s, static_cast<std::size_t>(n));
    if (buffer_.size() >= kBufferLimit) write_out();
    return n;
  }

 private:
  std::string name() const {
    return partial_ ? partial_->string() : target_ ? target_->string() : "standard output";
  }

  int fd_;
  std::optional<fs::path> target_;   // FILE
  std::optional<fs::path> partial_;  // FILE.partial, when streamed there
  std::string buffer_;
  Clock::time_point last_sync_ = Clock::now();
};

TextOutput::TextOutput(const std::optional<fs::path>& file,
                       std::optional<std::uintmax_t> resume_at) {
  if (!file) {
    sink_ = std::make_unique<Sink>(STDOUT_FILENO, std::nullopt, std::nullopt);
  } else {
    std::error_code ec;
    const fs::file_status status = fs::status(*file, ec);
    if (fs::is_directory(status) || !file->has_filename()) {
      throw std::runtime_error(file->string() + " is a folder; a file name is needed here");
    }
    if (fs::exists(status) && !fs::is_regular_file(status)) {
      // A device or pipe: nothing to stream next to it or to rename.
      const int fd = ::open(file->c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) throw std::runtime_error("cannot open " + file->string() + ": " + errno_text());
      sink_ = std::make_unique<Sink>(fd, *file, std::nullopt);
    } else {
      // Like --annotate, -o out/faces.jsonl creates out/ when it is missing.
      if (file->has_parent_path()) fs::create_directories(file->parent_path(), ec);
      const fs::path partial = partial_path_for(*file);
      const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (resume_at ? 0 : O_TRUNC);
      const int fd = ::open(partial.c_str(), flags, 0666);
      if (fd < 0)
        throw std::runtime_error("cannot create " + partial.string() + ": " + errno_text());
      if (resume_at &&
          (::ftruncate(fd, static_cast<off_t>(*resume_at)) != 0 || ::lseek(fd, 0, SEEK_END) < 0)) {
        const std::string reason = errno_text();
        ::close(fd);
        throw std::runtime_error("cannot continue " + partial.string() + ": " + reason);
      }
      sink_ = std::make_unique<Sink>(fd, *file, partial);
    }
  }
  stream_ = std::make_unique<std::ostream>(sink_.get());
  stream_->exceptions(std::ios::badbit);  // a write error is the sink's exception, not a flag
}

TextOutput::~TextOutput() = default;
TextOutput::TextOutput(TextOutput&&) noexcept = default;
TextOutput& TextOutput::operator=(TextOutput&&) noexcept = default;

std::ostream& TextOutput::stream() { return *stream_; }

void TextOutput::end_record() { sink_->end_record(); }

void TextOutput::close() { sink_->close(); }

}  // namespace mtcnn::cli
