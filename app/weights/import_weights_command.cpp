#include "weights/import_weights_command.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "common/exit_status.hpp"
#include "common/logging.hpp"
#include "weights/import.hpp"

namespace mtcnn::cli {

void add_import_weights_options(CLI::App& command, ImportWeightsOptions& options) {
  command
      .add_option("--from", options.from, "Directory with pnet.tflite, rnet.tflite, onet.tflite")
      ->required()
      ->type_name("DIR");
  command.add_option("--to", options.to, "Directory to write det1..det3.caffemodel into")
      ->required()
      ->type_name("DIR");
}

int run_import_weights(const ImportWeightsOptions& options) {
  configure_logging(spdlog::level::info);
  try {
    mtcnn::weights::import_tflite_weights(options.from, options.to);
  } catch (const std::exception& e) {
    throw SetupError(std::string("import failed: ") + e.what());
  }
  spdlog::info("wrote det1..det3.caffemodel to {}", options.to);
  return kExitOk;
}

}  // namespace mtcnn::cli
