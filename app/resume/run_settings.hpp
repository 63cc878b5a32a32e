// What a run was started with, kept beside its unfinished output (FILE.partial.settings) so that
// --resume can refuse to continue it with other settings or other inputs: the records of one
// file must all come from one set of settings.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inputs/input_list.hpp"

namespace mtcnn::cli {

std::filesystem::path settings_path_for(const std::filesystem::path& output_file);

// The inputs as a fingerprint: their count and a digest of their exact paths, in order.
nlohmann::ordered_json inputs_fingerprint(const std::vector<InputFile>& inputs);

// Writes the settings (an object of named values) atomically. Throws std::runtime_error.
void write_run_settings(const std::filesystem::path& file, const nlohmann::ordered_json& settings);

// The settings an earlier run wrote, or null when there is no such file.
nlohmann::ordered_json read_run_settings(const std::filesystem::path& file);

// One line per setting that differs, as "--min-face: 20 then, 40 now"; empty when they agree.
std::vector<std::string> settings_differences(const nlohmann::ordered_json& before,
                                              const nlohmann::ordered_json& now);

}  // namespace mtcnn::cli
