// Writing an image into the bytes of a file format, as cv::imencode does: JPEG and PNG with the
// parameters the tool uses (JPEG quality; PNG's defaults) by libjpeg-turbo and libpng, to the
// same bytes, and anything else by OpenCV's codecs, which are loaded then (opencv_codecs.hpp).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace mtcnn::cli {

// cv::imencode(extension, image, bytes, parameters) for 8-bit BGR `image`: false when it cannot
// be encoded. Throws OpenCvCodecsUnavailable when a format needs OpenCV's codecs and they cannot
// be loaded, cv::Exception as imencode does.
bool encode_image(const std::string& extension, const cv::Mat& image,
                  std::vector<std::uint8_t>& bytes, const std::vector<int>& parameters = {});

// Whether a file named "*<extension>" can be written (cv::haveImageWriter). Throws
// OpenCvCodecsUnavailable for a format other than JPEG and PNG when the codecs cannot be loaded.
bool can_encode(const std::string& extension);

}  // namespace mtcnn::cli
