#include "codecs/jpeg_decoding.hpp"

#include "codecs/exif_orientation.hpp"
#include "codecs/libjpeg_errors.hpp"

namespace mtcnn::cli {

namespace {

enum class Outcome { kDecoded, kFourChannels, kFailed };

// The libjpeg calls, in a frame that holds only plain C structs and references to objects
// outside it, so that an error's longjmp skips no destructor. Fills `image` and `orientation`.
Outcome run_libjpeg(std::span<const std::uint8_t> bytes, cv::Mat& image, int& orientation,
                    LibjpegErrors& errors) {
  jpeg_decompress_struct info{};
  info.err = silent_libjpeg_errors(errors);
  if (setjmp(errors.escape) != 0) {
    jpeg_destroy_decompress(&info);  // safe on a half-created struct: it checks info.mem
    return Outcome::kFailed;
  }
  jpeg_create_decompress(&info);
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
