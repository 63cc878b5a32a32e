// File extensions compared without regard to case (".JPG" is ".jpg"): ASCII only, as file
// formats name themselves, whatever the locale.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace mtcnn::cli {

inline std::string ascii_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c);
  });
  return text;
}

}  // namespace mtcnn::cli
