#include "crops/face_crops.hpp"

#include <mtcnn/alignment.hpp>
#include <opencv2/imgcodecs.hpp>  // the IMWRITE_ constants

#include "codecs/image_encoding.hpp"
#include "codecs/opencv_codecs.hpp"
#include "records/image_error.hpp"

namespace mtcnn::cli {

std::vector<FaceCrop> make_face_crops(const cv::Mat& image, const std::vector<mtcnn::Face>& faces,
                                      const CropOptions& options) {
  std::vector<FaceCrop> crops;
  for (std::size_t k = 0; k < faces.size(); ++k) {
    const mtcnn::Face& face = faces[k];
    const double eyes =
        cv::norm(face.landmarks[mtcnn::kLeftEye] - face.landmarks[mtcnn::kRightEye]);
    if (face.score < options.min_score || eyes < options.min_eye_distance) continue;
    FaceCrop crop;
    crop.face = k;
    if (options.crop_template == CropTemplate::kBox) {
      crop.matrix = mtcnn::box_transform(face.box, options.margin, options.size);
      crop.pixels = mtcnn::box_crop(image, face.box, options.margin, options.size);
    } else {
      crop.matrix = mtcnn::similarity_transform(mtcnn::landmarks_of(face),
                                                mtcnn::arcface_template(options.size));
      crop.pixels = mtcnn::warp_crop(image, crop.matrix, options.size);
    }
    crops.push_back(std::move(crop));
  }
  return crops;
}

std::string crop_extension(const CropOptions& options) { return "." + options.format; }

std::vector<std::uint8_t> encode_crop(const cv::Mat& pixels, const CropOptions& options) {
  std::vector<int> parameters;
  if (options.format == "jpg") parameters = {cv::IMWRITE_JPEG_QUALITY, options.quality};
  std::vector<std::uint8_t> bytes;
  try {
    if (encode_image(crop_extension(options), pixels, bytes, parameters)) return bytes;
  } catch (const cv::Exception& e) {
    throw ImageFailure(ErrorCode::kCropFailed, "crop: " + e.msg);
  } catch (const OpenCvCodecsUnavailable& e) {
    throw ImageFailure(ErrorCode::kCropFailed, "crop: " + std::string(e.what()));
  }
  throw ImageFailure(ErrorCode::kCropFailed, "crop: could not encode it as " + options.format);
}

}  // namespace mtcnn::cli
