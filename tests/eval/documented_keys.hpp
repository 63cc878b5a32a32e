// The keys docs/evaluation.md lists for an eval's JSON summary ("JSON keys: `a`, `b` (note)..."
// in the section of that benchmark), so a test can hold the docs to the output.
#pragma once

#include <regex>
#include <set>
#include <string>

#include "support/cli_support.hpp"

namespace cli_test {

inline std::set<std::string> documented_summary_keys(const std::string& benchmark) {
  const std::string docs = read_text(fs::path(MTCNN_SOURCE_DIR) / "docs" / "evaluation.md");
  const std::size_t section = docs.find("## `eval " + benchmark + "`");
  const std::size_t start = docs.find("JSON keys:", section);
  const std::size_t end = docs.find("\n\n", start);
  if (section == std::string::npos || start == std::string::npos) return {};
  // Keys are the backticked words outside parentheses (those hold notes and values).
  const std::string paragraph =
      std::regex_replace(docs.substr(start, end - start), std::regex(R"(\([^)]*\))"), "");
  std::set<std::string> keys;
  const std::regex key(R"(`([a-z_]+)`)");
  for (auto it = std::sregex_iterator(paragraph.begin(), paragraph.end(), key);
       it != std::sregex_iterator(); ++it) {
    keys.insert((*it)[1]);
  }
  return keys;
}

template <typename Json>
std::set<std::string> keys_of(const Json& object) {
  std::set<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) keys.insert(it.key());
  return keys;
}

}  // namespace cli_test
