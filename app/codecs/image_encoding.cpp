#include "codecs/image_encoding.hpp"

#include <opencv2/imgcodecs.hpp>  // the IMWRITE_ constants

#include "codecs/jpeg_encoding.hpp"
#include "codecs/opencv_codecs.hpp"
#include "codecs/png_encoding.hpp"
#include "common/ascii_case.hpp"

namespace mtcnn::cli {

namespace {

// The extensions OpenCV writes as JPEG and as PNG.
bool is_jpeg(const std::string& ext) { return ext == ".jpg" || ext == ".jpeg" || ext == ".jpe"; }
bool is_png(const std::string& ext) { return ext == ".png"; }

}  // namespace

bool encode_image(const std::string& extension, const cv::Mat& image,
                  std::vector<std::uint8_t>& bytes, const std::vector<int>& parameters) {
  const std::string ext = ascii_lower(extension);
  if (image.type() == CV_8UC3 && !image.empty()) {
    if (is_jpeg(ext) && (parameters.empty() ||
                         (parameters.size() == 2 && parameters[0] == cv::IMWRITE_JPEG_QUALITY))) {
      return encode_jpeg(image, parameters.empty() ? 95 : parameters[1], bytes);
    }
    if (is_png(ext) && parameters.empty()) return encode_png(image, bytes);
  }
  return opencv_encode(extension, image, bytes, parameters);
}

bool can_encode(const std::string& extension) {
  const std::string ext = ascii_lower(extension);
  return is_jpeg(ext) || is_png(ext) || opencv_can_encode(ext);
}

}  // namespace mtcnn::cli
