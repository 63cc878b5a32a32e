#include "common/unknown_command.hpp"

#include <string_view>
#include <vector>

#include "common/spelling.hpp"

namespace mtcnn::cli {

std::optional<std::string> unknown_command_message(CLI::App& app, int argc, char** argv) {
  CLI::App* current = &app;
  std::string path = app.get_name();
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.empty() || word.front() == '-') continue;  // options (and their values) come later
    std::vector<std::string> names;
    for (const CLI::App* sub : current->get_subcommands({})) names.push_back(sub->get_name());
    if (names.empty()) return std::nullopt;
    CLI::App* next = nullptr;
    for (CLI::App* sub : current->get_subcommands({})) {
      if (sub->get_name() == word) next = sub;
    }
    if (next != nullptr) {
      current = next;
      path += " " + next->get_name();
      continue;
    }
    std::string message = "'" + std::string(word) + "' is not a command of " + path + ".";
    if (const auto guess = closest_name(word, names)) message += " Did you mean '" + *guess + "'?";
    message += " Commands:";
    for (std::size_t k = 0; k < names.size(); ++k) message += (k ? ", " : " ") + names[k];
    return message + " (" + path + " --help for more).";
  }
  return std::nullopt;
}

}  // namespace mtcnn::cli
