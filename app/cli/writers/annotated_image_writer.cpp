#include "cli/writers/annotated_image_writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "cli/annotation.hpp"
#include "cli/image_error.hpp"
#include "cli/writers/atomic_file.hpp"

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

AnnotatedImageWriter::AnnotatedImageWriter(fs::path out_dir) : out_dir_(std::move(out_dir)) {
  std::error_code ec;
  fs::create_directories(out_dir_, ec);
  if (ec || !fs::is_directory(out_dir_)) {
    throw std::runtime_error("cannot create the --annotate directory " + out_dir_.string() +
                             (ec ? ": " + ec.message() : ": a file is in the way"));
  }
}

fs::path AnnotatedImageWriter::output_name(const fs::path& mirror_path) {
  if (can_write_in_colour(mirror_path.extension().string())) return mirror_path;
  fs::path name = mirror_path;
  name += ".png";
  return name;
}

fs::path AnnotatedImageWriter::unique_target(const fs::path& mirror_path) {
  const fs::path wanted = output_name(mirror_path);
  fs::path target = wanted;
  for (int n = 2; taken_.count(target) != 0; ++n) {
    target = wanted.parent_path() /
             (wanted.stem().string() + "-" + std::to_string(n) + wanted.extension().string());
  }
  if (target != wanted) {
    spdlog::warn("{}: annotated copy written as {} ({} is taken by another input)",
                 mirror_path.string(), target.string(), wanted.string());
  }
  taken_.insert(target);
  return out_dir_ / target;
}

void AnnotatedImageWriter::write(const ImageResult& result) {
  if (!result.record.ok() || result.image.empty()) return;
  const fs::path target = unique_target(result.mirror_path);
  try {
    cv::Mat canvas = result.image.clone();
    draw_detections(canvas, result.record.faces);

    const std::string extension = target.extension().string();
    std::vector<std::uint8_t> encoded;
    if (!cv::imencode(extension, canvas, encoded, encoder_parameters(extension))) {
      throw std::runtime_error("OpenCV could not encode " + extension);
    }
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      throw std::runtime_error("cannot create " + target.parent_path().string() + ": " +
                               ec.message());
    write_file_atomically(target, encoded);
  } catch (const cv::Exception& e) {
    throw ImageFailure(ErrorCode::kAnnotateFailed, "annotated copy: " + e.msg);
  } catch (const std::exception& e) {
    throw ImageFailure(ErrorCode::kAnnotateFailed, std::string("annotated copy: ") + e.what());
  }
}

}  // namespace mtcnn::cli
