#include "cli/writers/annotated_image_writer.hpp"

#include <algorithm>
#include <cctype>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/annotation.hpp"
#include "cli/image_error.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Annotations are in colour: keep the input's format only if it stores colour.
bool can_write_in_colour(const std::string& extension) {
  const std::string ext = lower_case(extension);
  if (ext.empty() || ext == ".pgm" || ext == ".pbm") return false;
  return cv::haveImageWriter("x" + ext);
}

std::vector<int> encoder_parameters(const std::string& extension) {
  const std::string ext = lower_case(extension);
  if (ext == ".jpg" || ext == ".jpeg") return {cv::IMWRITE_JPEG_QUALITY, 95};
  return {};
}

}  // namespace

fs::path AnnotatedImageWriter::output_name(const fs::path& mirror_path) {
  if (can_write_in_colour(mirror_path.extension().string())) return mirror_path;
  fs::path name = mirror_path;
  name += ".png";
  return name;
}

void AnnotatedImageWriter::write(const ImageResult& result) {
  if (!result.record.ok() || result.image.empty()) return;
  const fs::path name = output_name(result.mirror_path);
  try {
    cv::Mat canvas = result.image.clone();
    draw_detections(canvas, result.record.faces);

    const std::string extension = name.extension().string();
    std::vector<std::uint8_t> encoded;
    if (!cv::imencode(extension, canvas, encoded, encoder_parameters(extension))) {
      throw std::runtime_error("OpenCV could not encode " + extension);
    }
    tree_.write(name, encoded);
  } catch (const cv::Exception& e) {
    throw ImageFailure(ErrorCode::kAnnotateFailed, "annotated copy: " + e.msg);
  } catch (const std::exception& e) {
    throw ImageFailure(ErrorCode::kAnnotateFailed, std::string("annotated copy: ") + e.what());
  }
}

}  // namespace mtcnn::cli
