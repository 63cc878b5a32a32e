#include "inputs/image_decoding.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <opencv2/imgcodecs.hpp>  // IMREAD_COLOR
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "codecs/jpeg_decoding.hpp"
#include "codecs/opencv_codecs.hpp"
#include "inputs/image_header.hpp"
#include "inputs/jpeg_structure.hpp"
#include "inputs/opencv_pixel_limit.hpp"
#include "inputs/standard_input.hpp"
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

// Reads until the end, or until one byte more than max_bytes proves the input too large (a
// 50 GB file, or an endless pipe, is never held).
std::vector<std::uint8_t> read_bounded(std::FILE* file, std::uint64_t max_bytes,
                                       std::uint64_t size_hint, const std::string& what) {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(static_cast<std::size_t>(std::min(size_hint, max_bytes)));
  std::uint8_t chunk[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
    if (bytes.size() + got > max_bytes) {
      throw ImageFailure(ErrorCode::kTooLarge,
                         fmt::format("{} holds more than {} bytes, the limit", what, max_bytes));
    }
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  if (std::ferror(file)) {
    throw ImageFailure(ErrorCode::kUnreadable, "read error: " + std::string(std::strerror(errno)));
  }
  return bytes;
}

std::vector<std::uint8_t> read_file(const fs::path& path, const ImageLimits& limits) {
  check_is_readable_file(path);
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > limits.max_bytes) {
    throw ImageFailure(ErrorCode::kTooLarge,
                       fmt::format("{} bytes, over the limit of {} bytes", size, limits.max_bytes));
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) throw ImageFailure(ErrorCode::kUnreadable, std::strerror(errno));
  // The size is a hint: the file may change while it is read, and reading decides.
  std::vector<std::uint8_t> bytes =
      read_bounded(file.get(), limits.max_bytes, ec ? 0 : size, "the file");
  if (bytes.empty()) throw ImageFailure(ErrorCode::kEmptyFile, "file is empty");
  return bytes;
}

std::vector<std::uint8_t> read_standard_input(const ImageLimits& limits) {
  std::vector<std::uint8_t> bytes = read_bounded(stdin, limits.max_bytes, 0, "standard input");
  if (bytes.empty()) throw ImageFailure(ErrorCode::kEmptyFile, "standard input is empty");
  return bytes;
}

// Before any pixel is decoded, from the size the header declares.
void check_declared_size(std::span<const std::uint8_t> bytes, const ImageLimits& limits) {
  if (limits.max_pixels == 0) return;
  const std::optional<cv::Size> size = read_image_size(bytes);
  if (!size) return;  // a format without a header check: checked after decoding
  const std::uint64_t pixels = std::uint64_t(size->width) * std::uint64_t(size->height);
  if (pixels > limits.max_pixels) {
    throw ImageFailure(ErrorCode::kTooLarge,
                       fmt::format("its header declares {} x {} = {} pixels, over --max-pixels {}",
                                   size->width, size->height, pixels, limits.max_pixels));
  }
}

// OpenCV's own size checks (OPENCV_IO_MAX_IMAGE_PIXELS, _WIDTH, _HEIGHT) fail an assertion that
// names the limit, such as "pixels <= CV_IO_MAX_IMAGE_PIXELS"; nullopt for any other failure.
std::optional<std::string> opencv_size_refusal(const cv::Exception& e) {
  if (e.err.find("CV_IO_MAX_IMAGE_PIXELS") != std::string::npos) {
    const char* set = std::getenv(kOpenCvPixelLimitVariable);
    return fmt::format("over OpenCV's own limit of {} pixels ({}), read from its header",
                       set ? set : std::to_string(kOpenCvDefaultPixelLimit),
                       kOpenCvPixelLimitVariable);
  }
  if (e.err.find("CV_IO_MAX_IMAGE_") != std::string::npos) {
    return "a side over OpenCV's own limit (" + e.err +
           "; OPENCV_IO_MAX_IMAGE_WIDTH and _HEIGHT set it), read from its header";
  }
  return std::nullopt;
}

}  // namespace

cv::Mat decode_image(const fs::path& path, const ImageLimits& limits) {
  return decode_image_bytes(
      is_standard_input(path) ? read_standard_input(limits) : read_file(path, limits), limits);
}

cv::Mat decode_image_bytes(const std::vector<std::uint8_t>& bytes, const ImageLimits& limits) {
  check_declared_size(bytes, limits);
  if (inspect_jpeg(bytes) == JpegStructure::kTruncated) {
    throw ImageFailure(ErrorCode::kDecodeFailed,
                       "truncated JPEG: the data ends before the end-of-image marker");
  }

  // From the bytes already read (the file is read once). JPEG (nearly every photo) by
  // libjpeg-turbo, everything else by OpenCV's codecs, loaded then (codecs/opencv_codecs.hpp):
  // the same pixels either way, with the EXIF orientation applied as imread does.
  cv::Mat image;
  try {
    std::optional<cv::Mat> jpeg;
    if (looks_like_jpeg(bytes)) jpeg = decode_jpeg(bytes);
    image = jpeg ? std::move(*jpeg) : opencv_decode(bytes, cv::IMREAD_COLOR);
  } catch (const JpegDecodeError& e) {
    throw ImageFailure(ErrorCode::kDecodeFailed, std::string("corrupt JPEG: ") + e.what());
  } catch (const OpenCvCodecsUnavailable& e) {
    throw ImageFailure(ErrorCode::kDecodeFailed, e.what());
  } catch (const cv::Exception& e) {
    if (const std::optional<std::string> refusal = opencv_size_refusal(e)) {
      throw ImageFailure(ErrorCode::kTooLarge, *refusal);
    }
    throw ImageFailure(ErrorCode::kDecodeFailed, "OpenCV could not decode it: " + e.msg);
  }
  if (image.empty()) {
    throw ImageFailure(ErrorCode::kDecodeFailed,
                       "not an image format OpenCV can decode, or corrupt data");
  }
  if (limits.max_pixels != 0 && image.total() > limits.max_pixels) {
    throw ImageFailure(ErrorCode::kTooLarge,
                       fmt::format("decoded to {} x {} = {} pixels, over --max-pixels {} (a "
                                   "format whose header is not checked before decoding)",
                                   image.cols, image.rows, image.total(), limits.max_pixels));
  }
  return image;
}

}  // namespace mtcnn::cli
