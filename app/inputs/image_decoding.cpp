#include "inputs/image_decoding.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "inputs/jpeg_structure.hpp"
#include "records/image_error.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

// Classifies the path before OpenCV sees it: imread only says "empty Mat", and opening a fifo
// named *.jpg would block the worker forever.
void check_is_readable_file(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    const bool dangling_link = fs::is_symlink(fs::symlink_status(path, ec));
    throw ImageFailure(ErrorCode::kNotFound,
                       dangling_link ? "broken symbolic link" : "no such file or directory");
  }
  if (ec) throw ImageFailure(ErrorCode::kUnreadable, ec.message());
  if (!fs::is_regular_file(status)) {
    throw ImageFailure(ErrorCode::kNotAFile, "not a regular file");
  }
}

std::vector<std::uint8_t> read_whole_file(const fs::path& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) throw ImageFailure(ErrorCode::kUnreadable, std::strerror(errno));
  std::vector<std::uint8_t> bytes;
  std::error_code ec;
  const std::uintmax_t expected_size = fs::file_size(path, ec);
  if (!ec) bytes.reserve(static_cast<std::size_t>(expected_size));  // a hint; reading decides
  std::uint8_t chunk[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) {
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  if (std::ferror(file.get())) {
    throw ImageFailure(ErrorCode::kUnreadable, "read error: " + std::string(std::strerror(errno)));
  }
  return bytes;
}

}  // namespace

cv::Mat decode_image(const fs::path& path) {
  check_is_readable_file(path);
  const std::vector<std::uint8_t> bytes = read_whole_file(path);
  if (bytes.empty()) throw ImageFailure(ErrorCode::kEmptyFile, "file is empty");
  if (inspect_jpeg(bytes) == JpegStructure::kTruncated) {
    throw ImageFailure(ErrorCode::kDecodeFailed,
                       "truncated JPEG: the data ends before the end-of-image marker");
  }

  // From the bytes already read (the file is read once); imdecode applies the EXIF orientation
  // as imread does.
  cv::Mat image;
  try {
    image = cv::imdecode(bytes, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    throw ImageFailure(ErrorCode::kDecodeFailed, "OpenCV could not decode it: " + e.msg);
  }
  if (image.empty()) {
    throw ImageFailure(ErrorCode::kDecodeFailed,
                       "not an image format OpenCV can decode, or corrupt data");
  }
  return image;
}

}  // namespace mtcnn::cli
