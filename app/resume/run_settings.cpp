#include "resume/run_settings.hpp"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>

#include "common/atomic_file.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

fs::path settings_path_for(const fs::path& output_file) {
  fs::path settings = output_file;
  settings += ".partial.settings";
  return settings;
}

nlohmann::ordered_json inputs_fingerprint(const std::vector<InputFile>& inputs) {
  // FNV-1a over the exact path bytes, each ended by a NUL (no path holds one): a change of
  // any input, its order or its count changes it.
  std::uint64_t hash = 14695981039346656037ull;
  for (const InputFile& input : inputs) {
    for (const char c : input.path.native()) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    hash = (hash ^ 0u) * 1099511628211ull;
  }
  std::ostringstream hex;
  hex << std::hex << hash;
  return {{"count", inputs.size()}, {"digest", hex.str()}};
}

void write_run_settings(const fs::path& file, const nlohmann::ordered_json& settings) {
  write_file_atomically(file, settings.dump(2) + "\n", Durability::kSynced);
}

nlohmann::ordered_json read_run_settings(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return nlohmann::ordered_json::parse(text, nullptr, false);  // discarded (invalid) if broken
}

std::vector<std::string> settings_differences(const nlohmann::ordered_json& before,
                                              const nlohmann::ordered_json& now) {
  std::vector<std::string> lines;
  if (!before.is_object()) return {"the earlier run's settings cannot be read"};
  for (const auto& [name, value] : now.items()) {
    const auto old = before.find(name);
    if (old == before.end()) {
      lines.push_back(name + ": not set then, " + value.dump() + " now");
    } else if (*old != value) {
      if (name == "inputs") {
        lines.push_back("the inputs: " + std::to_string(old->value("count", 0)) + " then, " +
                        std::to_string(value.value("count", 0)) +
                        " now (or the same number of other paths)");
      } else {
        lines.push_back(name + ": " + old->dump() + " then, " + value.dump() + " now");
      }
    }
  }
  for (const auto& [name, value] : before.items()) {
    if (!now.contains(name)) lines.push_back(name + ": " + value.dump() + " then, not set now");
  }
  return lines;
}

}  // namespace mtcnn::cli
