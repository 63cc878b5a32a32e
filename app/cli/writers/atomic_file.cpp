#include "cli/writers/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

std::string describe_errno(const std::string& what, const fs::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

void rename_or_throw(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    fs::remove(from, ec);
    throw std::runtime_error("cannot rename " + from.string() + " to " + to.string() + ": " +
                             ec.message());
  }
}

// So that a power cut right after the rename cannot leave an empty target behind.
void sync_to_disk(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the data was written, only its durability is unsure
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

fs::path temporary_path_for(const fs::path& target) {
  fs::path temporary = target;
  temporary += ".tmp-" + std::to_string(::getpid());
  return temporary;
}

void write_file_atomically(const fs::path& target, std::span<const std::uint8_t> bytes) {
  const fs::path temporary = temporary_path_for(target);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throw std::runtime_error(describe_errno("cannot create", temporary));

  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string message = describe_errno("cannot write", temporary);
      ::close(fd);
      ::unlink(temporary.c_str());
      throw std::runtime_error(message);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const std::string message = describe_errno("cannot write", temporary);
    ::unlink(temporary.c_str());
    throw std::runtime_error(message);
  }
  rename_or_throw(temporary, target);
}

AtomicTextFile::AtomicTextFile(fs::path target)
    : target_(std::move(target)), temporary_(temporary_path_for(target_)) {
  stream_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!stream_) throw std::runtime_error(describe_errno("cannot create", temporary_));
}

AtomicTextFile::~AtomicTextFile() {
  if (committed_) return;
  stream_.close();
  std::error_code ec;
  fs::remove(temporary_, ec);
}

void AtomicTextFile::commit() {
  stream_.flush();
  const bool write_failed = !stream_;
  stream_.close();
  if (write_failed || stream_.fail()) {
    throw std::runtime_error("cannot write " + temporary_.string() +
                             " (disk full or file system error)");
  }
  sync_to_disk(temporary_);
  rename_or_throw(temporary_, target_);
  committed_ = true;
}

}  // namespace mtcnn::cli
