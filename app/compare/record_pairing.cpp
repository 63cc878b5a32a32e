#include "compare/record_pairing.hpp"

#include <algorithm>
#include <map>

namespace mtcnn::cli {

namespace {

// Paths that name the same image always share their last component, so only records within
// one such group need to be compared with each other.
std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

struct Group {
  std::vector<std::size_t> left;
  std::vector<std::size_t> right;
};

// Candidates of every record of one side among the records of the other side.
using Candidates = std::vector<std::vector<std::size_t>>;

}  // namespace

bool paths_name_same_image(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() == b.size()) return a == b;
  return a.ends_with(b) && a[a.size() - b.size() - 1] == '/';
}

RecordPairing pair_records(const std::vector<std::string>& left_paths,
                           const std::vector<std::string>& right_paths) {
  RecordPairing pairing;
  std::vector<bool> left_paired(left_paths.size(), false);
  std::vector<bool> right_paired(right_paths.size(), false);

  // Phase 1: a path that occurs exactly once in each file.
  std::map<std::string_view, std::vector<std::size_t>> left_by_path;
  std::map<std::string_view, std::vector<std::size_t>> right_by_path;
  for (std::size_t i = 0; i < left_paths.size(); ++i) left_by_path[left_paths[i]].push_back(i);
  for (std::size_t j = 0; j < right_paths.size(); ++j) right_by_path[right_paths[j]].push_back(j);
  for (const auto& [path, left] : left_by_path) {
    const auto right = right_by_path.find(path);
    if (left.size() != 1 || right == right_by_path.end() || right->second.size() != 1) continue;
    pairing.pairs.emplace_back(left.front(), right->second.front());
    left_paired[left.front()] = true;
    right_paired[right->second.front()] = true;
  }

  // Phase 2: suffix candidates among the records still unpaired, grouped by file name.
  std::map<std::string_view, Group> groups;
  for (std::size_t i = 0; i < left_paths.size(); ++i) {
    if (!left_paired[i]) groups[file_name(left_paths[i])].left.push_back(i);
  }
  for (std::size_t j = 0; j < right_paths.size(); ++j) {
    if (!right_paired[j]) groups[file_name(right_paths[j])].right.push_back(j);
  }
  Candidates left_candidates(left_paths.size());
  Candidates right_candidates(right_paths.size());
  for (const auto& [name, group] : groups) {
    for (std::size_t i : group.left) {
      for (std::size_t j : group.right) {
        if (!paths_name_same_image(left_paths[i], right_paths[j])) continue;
        left_candidates[i].push_back(j);
        right_candidates[j].push_back(i);
      }
    }
  }
  for (std::size_t i = 0; i < left_paths.size(); ++i) {
    if (left_paired[i] || left_candidates[i].size() != 1) continue;
    const std::size_t j = left_candidates[i].front();
    if (right_candidates[j].size() != 1) continue;
    pairing.pairs.emplace_back(i, j);
    left_paired[i] = true;
    right_paired[j] = true;
  }

  for (std::size_t i = 0; i < left_paths.size(); ++i) {
    if (!left_paired[i]) pairing.left_only.push_back({i, !left_candidates[i].empty()});
  }
  for (std::size_t j = 0; j < right_paths.size(); ++j) {
    if (!right_paired[j]) pairing.right_only.push_back({j, !right_candidates[j].empty()});
  }
  std::sort(pairing.pairs.begin(), pairing.pairs.end());
  return pairing;
}

}  // namespace mtcnn::cli
