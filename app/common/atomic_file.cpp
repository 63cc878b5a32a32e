#include "common/atomic_file.hpp"

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

AtomicFile::AtomicFile(fs::path target, Durability durability)
    : target_(std::move(target)), temporary_(temporary_path_for(target_)), durability_(durability) {
  std::error_code ec;
  if (fs::is_directory(target_, ec) || !target_.has_filename()) {
    throw std::runtime_error(target_.string() + " is a folder; a file name is needed here");
  }
  const fs::file_status status = fs::status(target_, ec);
  direct_ = fs::exists(status) && !fs::is_regular_file(status);
  const fs::path& opened = direct_ ? target_ : temporary_;
  stream_.open(opened, std::ios::binary | std::ios::trunc);
  if (!stream_) {
    throw std::runtime_error("cannot create " + opened.string() + ": " + std::strerror(errno));
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  stream_.close();
  if (direct_) return;
  std::error_code ec;
  fs::remove(temporary_, ec);
}

void AtomicFile::commit() {
  stream_.flush();
  const bool write_failed = !stream_;
  stream_.close();
  if (write_failed || stream_.fail()) {
    throw std::runtime_error("cannot write " + (direct_ ? target_ : temporary_).string() +
                             " (disk full or file system error)");
  }
  if (direct_) {
    committed_ = true;
    return;
  }
  if (durability_ == Durability::kSynced) sync_to_disk(temporary_);
  std::error_code ec;
  fs::rename(temporary_, target_, ec);
  if (ec) {
    throw std::runtime_error("cannot rename " + temporary_.string() + " to " + target_.string() +
                             ": " + ec.message());
  }
  committed_ = true;
}

void write_file_atomically(const fs::path& target, std::span<const std::uint8_t> bytes,
                           Durability durability) {
  write_file_atomically(target,
                        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                        durability);
}

void write_file_atomically(const fs::path& target, std::string_view text, Durability durability) {
  AtomicFile file(target, durability);
  file.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
  file.commit();
}

}  // namespace mtcnn::cli
