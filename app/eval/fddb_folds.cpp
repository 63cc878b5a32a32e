#include "eval/fddb_folds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mtcnn::cli {

namespace {

std::filesystem::path ellipse_list_path(const std::filesystem::path& data_dir, int fold) {
  return data_dir / "FDDB-folds" / fmt::format("FDDB-fold-{:02d}-ellipseList.txt", fold);
}

// Reads the next line that is not blank, with a trailing '\r' removed.
bool next_line(std::istream& in, std::string& line, std::size_t& line_number) {
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<FddbImage> read_fddb_fold(const std::filesystem::path& data_dir, int fold) {
  const std::filesystem::path file = ellipse_list_path(data_dir, fold);
  std::ifstream in(file);
  if (!in) return {};
  return parse_fddb_fold(in, fold, file.string());
}

std::vector<FddbImage> parse_fddb_fold(std::istream& in, int fold, const std::string& source) {
  const auto fail = [&source](std::size_t line, const std::string& what) {
    return FddbFormatError(fmt::format("{}:{}: {}", source, line, what));
  };

  std::vector<FddbImage> images;
  std::string line;
  std::size_t line_number = 0;
  while (next_line(in, line, line_number)) {
    FddbImage image;
    image.fold = fold;
    image.name = line.substr(0, line.find_last_not_of(" \t") + 1);
    if (!next_line(in, line, line_number)) throw fail(line_number, "missing the face count");
    std::size_t count = 0;
    try {
      std::size_t used = 0;
      const long value = std::stol(line, &used);
      if (value < 0) throw std::invalid_argument("negative");
      count = static_cast<std::size_t>(value);
    } catch (const std::exception&) {
      throw fail(line_number, "expected the number of faces, got \"" + line + "\"");
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (!next_line(in, line, line_number)) throw fail(line_number, "missing an ellipse");
      std::istringstream fields(line);
      Ellipse e;
      if (!(fields >> e.major_radius >> e.minor_radius >> e.angle >> e.centre.x >> e.centre.y)) {
        throw fail(line_number,
                   "expected \"major_radius minor_radius angle centre_x centre_y 1\", got \"" +
                       line + "\"");
      }
      image.faces.push_back(e);
    }
    images.push_back(std::move(image));
  }
  return images;
}

std::filesystem::path fddb_image_path(const std::filesystem::path& data_dir,
                                      const FddbImage& image) {
  return data_dir / "originalPics" / (image.name + ".jpg");
}

std::vector<int> parse_fold_list(const std::string& text) {
  std::vector<int> folds;
  std::istringstream parts(text);
  for (std::string part; std::getline(parts, part, ',');) {
    const std::size_t dash = part.find('-');
    std::size_t used_first = 0, used_last = 0;
    int first = 0, last = 0;
    try {
      first = std::stoi(part.substr(0, dash), &used_first);
      last = dash == std::string::npos ? first : std::stoi(part.substr(dash + 1), &used_last);
    } catch (const std::exception&) {
      throw std::invalid_argument("folds must look like 1-10, 3 or 1,4,7; got " + text);
    }
    if (first < 1 || last > 10 || first > last) {
      throw std::invalid_argument("folds are numbered 1 to 10; got " + text);
    }
    for (int fold = first; fold <= last; ++fold) {
      if (std::find(folds.begin(), folds.end(), fold) == folds.end()) folds.push_back(fold);
    }
  }
  if (folds.empty()) throw std::invalid_argument("no folds given");
  std::sort(folds.begin(), folds.end());
  return folds;
}

std::string fddb_result_text(const std::vector<FddbImage>& images,
                             const std::vector<StoredRecord>& detections) {
  std::string text;
  for (std::size_t i = 0; i < images.size(); ++i) {
    // A failed image found nothing (its record has no faces anyway).
    const std::vector<StoredFace> none;
    const std::vector<StoredFace>& faces = detections[i].failed ? none : detections[i].faces;
    text += fmt::format("{}\n{}\n", images[i].name, faces.size());
    for (const StoredFace& f : faces) {
      text += fmt::format("{:.2f} {:.2f} {:.2f} {:.2f} {:.6f}\n", f.box.x, f.box.y, f.box.width,
                          f.box.height, f.score);
    }
  }
  return text;
}

}  // namespace mtcnn::cli
