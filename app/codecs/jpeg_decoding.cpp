#include "codecs/jpeg_decoding.hpp"

#include "codecs/exif_orientation.hpp"
#include "codecs/libjpeg_errors.hpp"

namespace mtcnn::cli {

namespace {

enum class Outcome { kDecoded, kFourChannels, kFailed };

// A progressive JPEG's scans are each a pass over all of its coefficients, and nothing in the
// format bounds their number: a small hostile file of thousands of scans keeps a worker busy for
// minutes (libjpeg-turbo's advice is to bound them). Encoders write about 10; 500 leaves room.
constexpr int kMaxScans = 500;

// libjpeg calls this as it reads; past kMaxScans it fails the decoding as an error would.
void limit_scans(j_common_ptr common) {
  const auto* info = reinterpret_cast<j_decompress_ptr>(common);
  if (info->input_scan_number <= kMaxScans) return;
  auto* errors = reinterpret_cast<LibjpegErrors*>(common->err);
  std::snprintf(errors->message, sizeof errors->message,
                "more than %d scans (a file made to keep the decoder busy)", kMaxScans);
  std::longjmp(errors->escape, 1);
}

// The libjpeg calls, in a frame that holds only plain C structs and references to objects
// outside it, so that an error's longjmp skips no destructor. Fills `image` and `orientation`.
Outcome run_libjpeg(std::span<const std::uint8_t> bytes, cv::Mat& image, int& orientation,
                    LibjpegErrors& errors) {
  jpeg_decompress_struct info{};
  info.err = silent_libjpeg_errors(errors);
  jpeg_progress_mgr progress{};
  progress.progress_monitor = &limit_scans;
  if (setjmp(errors.escape) != 0) {
    jpeg_destroy_decompress(&info);  // safe on a half-created struct: it checks info.mem
    return Outcome::kFailed;
  }
  jpeg_create_decompress(&info);
  info.progress = &progress;  // after the create, which clears the struct
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_save_markers(&info, JPEG_APP0 + 1, 0xFFFF);  // APP1: EXIF (or XMP)
  jpeg_read_header(&info, TRUE);
  if (info.num_components == 4) {
    jpeg_destroy_decompress(&info);
    return Outcome::kFourChannels;
  }
  for (jpeg_saved_marker_ptr marker = info.marker_list; marker; marker = marker->next) {
    if (marker->marker == JPEG_APP0 + 1) {
      orientation = exif_orientation({marker->data, marker->data_length});
      break;
    }
  }
  // OpenCV asks for RGB and swaps each row; libjpeg-turbo's BGR output is the same conversion
  // with the channels stored the other way round, straight into the image's rows.
  info.out_color_space = JCS_EXT_BGR;
  jpeg_start_decompress(&info);
  image.create(static_cast<int>(info.output_height), static_cast<int>(info.output_width), CV_8UC3);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = image.ptr(static_cast<int>(info.output_scanline));
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return Outcome::kDecoded;
}

}  // namespace

bool looks_like_jpeg(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

std::optional<cv::Mat> decode_jpeg(std::span<const std::uint8_t> bytes) {
  cv::Mat image;
  int orientation = 1;
  LibjpegErrors errors{};
  switch (run_libjpeg(bytes, image, orientation, errors)) {
    case Outcome::kFourChannels:
      return std::nullopt;
    case Outcome::kFailed:
      throw JpegDecodeError(errors.message);
    case Outcome::kDecoded:
      break;
  }
  apply_exif_orientation(image, orientation);
  return image;
}

}  // namespace mtcnn::cli
