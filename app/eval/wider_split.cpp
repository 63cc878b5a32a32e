#include "eval/wider_split.hpp"

#include <cmath>

namespace mtcnn::cli {

namespace {

const MatValue& variable(const std::map<std::string, MatValue>& variables, const std::string& name,
                         const std::string& source) {
  const auto found = variables.find(name);
  if (found == variables.end()) throw MatFormatError(source + ": no variable " + name);
  return found->second;
}

void expect_cell(const MatValue& value, std::size_t count, const std::string& what,
                 const std::string& source) {
  if (value.kind != MatValue::Kind::cell)
    throw MatFormatError(source + ": " + what + " is not a cell");
  if (value.cells.size() != count) {
    throw MatFormatError(source + ": " + what + " has " + std::to_string(value.cells.size()) +
                         " entries, expected " + std::to_string(count));
  }
}

std::string image_key(const std::string& name) {
  const std::filesystem::path path(name);
  return (path.parent_path() / path.stem()).generic_string();
}

}  // namespace

std::filesystem::path wider_split_file(const std::filesystem::path& dir, std::string_view setting) {
  return dir / ("wider_" + std::string(setting) + "_val.mat");
}

WiderSplit wider_split_from_mat(const std::map<std::string, MatValue>& variables,
                                const std::string& source) {
  const MatValue& events = variable(variables, "event_list", source);
  if (events.kind != MatValue::Kind::cell)
    throw MatFormatError(source + ": event_list is not a cell");
  const std::size_t event_count = events.cells.size();
  const MatValue& files = variable(variables, "file_list", source);
  const MatValue& faces = variable(variables, "gt_list", source);
  expect_cell(files, event_count, "file_list", source);
  expect_cell(faces, event_count, "gt_list", source);

  WiderSplit split;
  for (std::size_t e = 0; e < event_count; ++e) {
    const MatValue& event = events.cells[e];
    if (event.kind != MatValue::Kind::text) {
      throw MatFormatError(source + ": event_list entry " + std::to_string(e + 1) + " is not text");
    }
    const std::string where = "event " + event.text;
    expect_cell(files.cells[e], files.cells[e].cells.size(), "file_list of " + where, source);
    const std::size_t image_count = files.cells[e].cells.size();
    expect_cell(faces.cells[e], image_count, "gt_list of " + where, source);
    for (std::size_t i = 0; i < image_count; ++i) {
      const MatValue& file = files.cells[e].cells[i];
      const MatValue& indices = faces.cells[e].cells[i];
      if (file.kind != MatValue::Kind::text || indices.kind != MatValue::Kind::numeric) {
        throw MatFormatError(source + ": " + where + ", image " + std::to_string(i + 1) +
                             ": expected a name and a numeric list");
      }
      std::vector<std::size_t>& listed = split[event.text + "/" + file.text];
      for (const double index : indices.numbers) {
        if (!(index >= 1) || index != std::floor(index) || index > 1e9) {
          throw MatFormatError(source + ": " + where + "/" + file.text +
                               ": face index is not a positive integer");
        }
        listed.push_back(static_cast<std::size_t>(index));
      }
    }
  }
  return split;
}

WiderSplit read_wider_split(const std::filesystem::path& file) {
  return wider_split_from_mat(read_mat_file(file), file.string());
}

SplitImages apply_wider_split(const std::vector<WiderImage>& images, const WiderSplit& split) {
  SplitImages result;
  result.images = images;
  for (WiderImage& image : result.images) {
    std::vector<bool> counts(image.faces.size(), false);
    const auto listed = split.find(image_key(image.name));
    if (listed == split.end()) {
      ++result.images_not_listed;
    } else {
      for (const std::size_t index : listed->second) {
        if (index > image.faces.size()) {
          throw WiderFormatError("split lists face " + std::to_string(index) + " of " + image.name +
                                 ", which has " + std::to_string(image.faces.size()) + " faces");
        }
        counts[index - 1] = true;
      }
    }
    for (std::size_t f = 0; f < image.faces.size(); ++f) {
      if (!counts[f]) image.faces[f].invalid = true;
    }
  }
  return result;
}

}  // namespace mtcnn::cli
