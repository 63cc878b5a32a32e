// Counts in messages: "1 image", "2 images".
#pragma once

#include <cstddef>
#include <string>

namespace mtcnn::cli {

// `noun` is the singular; the plural adds an "s" (enough for the nouns the tool counts).
inline std::string counted(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

}  // namespace mtcnn::cli
