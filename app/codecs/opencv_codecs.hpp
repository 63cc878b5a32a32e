// OpenCV's image codecs (libopencv_imgcodecs), loaded the first time they are needed rather than
// when the tool starts. Debian's build of that library links about 120 more shared libraries
// (GDAL, HDF5, Poppler, database clients...), which cost about 0.1 s at every start, three
// quarters of a one-photo run; a batch of JPEGs never needs them (jpeg_decoding.hpp decodes
// JPEG; image_encoding.hpp writes JPEG and PNG).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace mtcnn::cli {

// The library could not be loaded (an incomplete installation): the message says which and why.
struct OpenCvCodecsUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// cv::imdecode(bytes, flags): an empty Mat when no codec could decode them; cv::Exception as
// OpenCV throws it. Throws OpenCvCodecsUnavailable.
cv::Mat opencv_decode(std::span<const std::uint8_t> bytes, int flags);

// cv::imencode(extension, image, bytes, parameters): false when OpenCV could not encode it.
// Throws OpenCvCodecsUnavailable.
bool opencv_encode(const std::string& extension, const cv::Mat& image,
                   std::vector<std::uint8_t>& bytes, const std::vector<int>& parameters = {});

// cv::haveImageWriter for a file name ending in `extension` (".png"). Throws
// OpenCvCodecsUnavailable.
bool opencv_can_encode(const std::string& extension);

// Whether this process has loaded the library (it stays loaded).
bool opencv_codecs_loaded();

}  // namespace mtcnn::cli
