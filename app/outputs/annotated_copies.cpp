#include "outputs/annotated_copies.hpp"

#include <opencv2/imgcodecs.hpp>  // the IMWRITE_ constants
#include <stdexcept>
#include <string>
#include <vector>

#include "codecs/image_encoding.hpp"
#include "codecs/opencv_codecs.hpp"
#include "common/ascii_case.hpp"
#include "outputs/annotation.hpp"
#include "records/image_error.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

// Annotations are in colour: keep the input's format only if it stores colour.
bool can_write_in_colour(const std::string& extension) {
  const std::string ext = ascii_lower(extension);
  if (ext.empty() || ext == ".pgm" || ext == ".pbm") return false;
  return can_encode(ext);
}

std::vector<int> encoder_parameters(const std::string& extension) {
  const std::string ext = ascii_lower(extension);
  if (ext == ".jpg" || ext == ".jpeg") return {cv::IMWRITE_JPEG_QUALITY, 95};
  return {};
}

}  // namespace

fs::path AnnotatedCopies::output_name(const fs::path& mirror_path) {
  if (can_write_in_colour(mirror_path.extension().string())) return mirror_path;
  fs::path name = mirror_path;
  name += ".png";
  return name;
}

std::vector<PreparedFile> AnnotatedCopies::prepare(const Record& record, const fs::path& mirror,
                                                   const cv::Mat& image) const {
  PreparedFile copy{output_name(mirror), {}, std::nullopt};
  try {
    cv::Mat canvas = image.clone();
    draw_detections(canvas, record.faces);
    const std::string extension = copy.name.extension().string();
    if (!encode_image(extension, canvas, copy.bytes, encoder_parameters(extension))) {
      throw ImageFailure(ErrorCode::kAnnotateFailed,
                         "annotated copy: could not encode it as " + extension);
    }
  } catch (const cv::Exception& e) {
    throw ImageFailure(ErrorCode::kAnnotateFailed, "annotated copy: " + e.msg);
  } catch (const OpenCvCodecsUnavailable& e) {
    throw ImageFailure(ErrorCode::kAnnotateFailed, "annotated copy: " + std::string(e.what()));
  }
  std::vector<PreparedFile> files;
  files.push_back(std::move(copy));
  return files;
}

void AnnotatedCopies::commit(Record& /*record*/, std::vector<PreparedFile>& files) {
  for (const PreparedFile& file : files) {
    try {
      tree_.write(file.name, file.bytes);
    } catch (const std::exception& e) {
      throw ImageFailure(ErrorCode::kAnnotateFailed, std::string("annotated copy: ") + e.what());
    }
  }
}

}  // namespace mtcnn::cli
