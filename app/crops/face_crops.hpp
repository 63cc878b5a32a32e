// Which faces of an image get a crop, and the crops themselves: the transform from the photo to
// the crop, the pixels, and their encoded file.
#pragma once

#include <cstdint>
#include <mtcnn/detector.hpp>
#include <opencv2/core.hpp>
#include <vector>

#include "crops/crop_options.hpp"

namespace mtcnn::cli {

struct FaceCrop {
  std::size_t face = 0;  // index in the record's faces
  cv::Matx23d matrix;    // crop pixel = matrix * photo pixel
  cv::Mat pixels;        // 8-bit BGR, size x size
};

// The crops of the faces that pass --crop-min-score and --crop-min-size, in face order.
std::vector<FaceCrop> make_face_crops(const cv::Mat& image, const std::vector<mtcnn::Face>& faces,
                                      const CropOptions& options);

// The crop in the chosen format. Throws ImageFailure(crop_failed) when OpenCV cannot encode it.
std::vector<std::uint8_t> encode_crop(const cv::Mat& pixels, const CropOptions& options);

// "." + the file format.
std::string crop_extension(const CropOptions& options);

}  // namespace mtcnn::cli
