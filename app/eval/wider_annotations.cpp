#include "eval/wider_annotations.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "inputs/input_list.hpp"

namespace mtcnn::cli {

namespace {

class LineReader {
 public:
  LineReader(std::istream& in, const std::string& source) : in_(in), source_(source) {}

  // The next line that is not blank; false at the end.
  bool next(std::string& line) {
    if (pushed_back_) {
      pushed_back_ = false;
      line = last_;
      return true;
    }
    while (std::getline(in_, line)) {
      ++number_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos) {
        last_ = line;
        return true;
      }
    }
    return false;
  }
  void push_back() { pushed_back_ = true; }

  WiderFormatError error(const std::string& what) const {
    return WiderFormatError(fmt::format("{}:{}: {}", source_, number_, what));
  }

 private:
  std::istream& in_;
  std::string source_;
  std::size_t number_ = 0;
  std::string last_;
  bool pushed_back_ = false;
};

bool is_image_name(const std::string& line) {
  return has_image_extension(
      std::filesystem::path(line.substr(0, line.find_last_not_of(" \t") + 1)));
}

}  // namespace

std::vector<WiderImage> parse_wider_ground_truth(std::istream& in, const std::string& source) {
  LineReader reader(in, source);
  std::vector<WiderImage> images;
  std::string line;
  while (reader.next(line)) {
    WiderImage image;
    image.name = line.substr(line.find_first_not_of(" \t"));
    image.name = image.name.substr(0, image.name.find_last_not_of(" \t") + 1);
    if (!reader.next(line)) throw reader.error("missing the face count of " + image.name);
    long count = -1;
    try {
      count = std::stol(line);
    } catch (const std::exception&) {
    }
    if (count < 0) throw reader.error("expected the number of faces, got \"" + line + "\"");
    for (long i = 0; i < count; ++i) {
      if (!reader.next(line)) throw reader.error("missing a face of " + image.name);
      std::istringstream fields(line);
      WiderFace face;
      int blur = 0, expression = 0, illumination = 0, invalid = 0;
      if (!(fields >> face.box.x >> face.box.y >> face.box.width >> face.box.height)) {
        throw reader.error(
            "expected \"x y w h blur expression illumination invalid occlusion "
            "pose\", got \"" +
            line + "\"");
      }
      if (fields >> blur >> expression >> illumination >> invalid) face.invalid = invalid != 0;
      image.faces.push_back(face);
    }
    // The official file follows "0" with a line of zeros; keep it from being read as a name.
    if (count == 0 && reader.next(line) && is_image_name(line)) reader.push_back();
    images.push_back(std::move(image));
  }
  return images;
}

std::vector<WiderImage> read_wider_ground_truth(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw WiderFormatError("cannot read " + file.string());
  return parse_wider_ground_truth(in, file.string());
}

}  // namespace mtcnn::cli
