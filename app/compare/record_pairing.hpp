// Which record of one detection file describes the same image as a record of the other, when
// the two tools were run from different directories (`samples/a.jpg` against `a.jpg`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mtcnn::cli {

// True when the paths are equal, or one ends with "/" followed by the other.
bool paths_name_same_image(std::string_view a, std::string_view b);

struct UnpairedRecord {
  std::size_t index = 0;   // into the side's record list
  bool ambiguous = false;  // several records of the other side could be its partner
};

struct RecordPairing {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (left index, right index)
  std::vector<UnpairedRecord> left_only;
  std::vector<UnpairedRecord> right_only;
};

// Equal paths pair first (when each occurs once on its side); the remaining records pair by
// suffix only when each is the other's single candidate. Everything else stays unpaired, so a
// guess never decides which faces are compared.
RecordPairing pair_records(const std::vector<std::string>& left_paths,
                           const std::vector<std::string>& right_paths);

}  // namespace mtcnn::cli
