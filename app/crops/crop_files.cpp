#include "crops/crop_files.hpp"

#include "crops/face_crops.hpp"
#include "records/image_error.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

fs::path CropFiles::stem_of(const fs::path& mirror) {
  fs::path stem = mirror;
  return stem.replace_extension();
}

fs::path CropFiles::crop_name(const fs::path& mirror, std::size_t face,
                              const std::string& extension) {
  fs::path name = stem_of(mirror);
  name += "_" + std::to_string(face) + extension;
  return name;
}

std::vector<PreparedFile> CropFiles::prepare(const Record& record, const fs::path& mirror,
                                             const cv::Mat& image) const {
  std::vector<PreparedFile> files;
  for (FaceCrop& crop : make_face_crops(image, record.faces, options_)) {
    files.push_back({crop_name(mirror, crop.face, crop_extension(options_)),
                     encode_crop(crop.pixels, options_), crop.face});
  }
  return files;
}

void CropFiles::commit(Record& record, std::vector<PreparedFile>& files) {
  record.crops.assign(record.faces.size(), std::nullopt);
  for (const PreparedFile& file : files) {
    try {
      tree_.write(file.name, file.bytes);
    } catch (const std::exception& e) {
      throw ImageFailure(ErrorCode::kCropFailed, std::string("crop: ") + e.what());
    }
    record.crops.at(*file.face) = (tree_.folder() / file.name).string();
  }
}

}  // namespace mtcnn::cli
