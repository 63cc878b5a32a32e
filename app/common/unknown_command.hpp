// "mtcnn detetc photos/": CLI11 only says "A subcommand is required". This names the word it did
// not know, the commands it knows there, and the likely one.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace mtcnn::cli {

// After a failed parse: the message for the first word that is not a command of the (sub)command
// that needs one, or nothing when that is not what went wrong.
std::optional<std::string> unknown_command_message(CLI::App& app, int argc, char** argv);

}  // namespace mtcnn::cli
