// `mtcnn compare RESULT REFERENCE`: how well two detection files agree (docs/compare.md), as a
// table for people and a last JSON line for scripts, with optional bounds for regression checks.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "compare/agreement.hpp"
#include "compare/agreement_bounds.hpp"

namespace mtcnn::cli {

struct CompareOptions {
  std::string result_file;     // "-" is standard input
  std::string reference_file;  // "-" is standard input
  AgreementSettings settings;
  AgreementBounds bounds;
};

// Registers the arguments, flags and help footer on the `compare` subcommand.
void add_compare_options(CLI::App& command, CompareOptions& options);

// Exit status: 0 agreement within the bounds, 1 some bound violated (same value as
// kExitSomeFailed). Throws SetupError when a file cannot be read or holds no records of ours.
int run_compare(const CompareOptions& options);

}  // namespace mtcnn::cli
