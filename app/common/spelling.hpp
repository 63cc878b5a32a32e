// Suggestions for mistyped names ("detetc" -> "detect"), for messages that should say more than
// "unknown".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mtcnn::cli {

// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and
// swaps of neighbours), if it is close enough to be a likely typo: at most 2 edits, and fewer
// than half the word.
std::optional<std::string> closest_name(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace mtcnn::cli
