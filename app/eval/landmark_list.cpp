#include "eval/landmark_list.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace mtcnn::cli {

std::vector<LabelledFace> parse_landmark_list(std::istream& in, const std::string& source) {
  std::vector<LabelledFace> faces;
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream fields(line);
    LabelledFace face;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    bool ok = static_cast<bool>(fields >> face.image >> x1 >> x2 >> y1 >> y2);
    for (cv::Point2d& point : face.points)
      ok = ok && static_cast<bool>(fields >> point.x >> point.y);
    if (!ok || x2 <= x1 || y2 <= y1) {
      throw LandmarkListError(fmt::format(
          "{}:{}: expected \"name x1 x2 y1 y2\" and 5 landmark points (x y), got \"{}\"", source,
          line_number, line));
    }
    face.box = cv::Rect2d(x1, y1, x2 - x1, y2 - y1);
    faces.push_back(face);
  }
  return faces;
}

std::vector<LabelledFace> read_landmark_list(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw LandmarkListError("cannot read " + file.string());
  return parse_landmark_list(in, file.string());
}

}  // namespace mtcnn::cli
