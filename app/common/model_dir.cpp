#include "common/model_dir.hpp"

#include <cstdlib>
#include <mtcnn/detector.hpp>
#include <system_error>

#include "common/exit_status.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

ModelDirChoice resolve_model_dir(const std::optional<std::string>& flag, const char* env_value,
                                 const fs::path& built_in) {
  if (flag) return {*flag, "--models"};
  if (env_value != nullptr && *env_value != '\0') return {env_value, "MTCNN_MODELS"};
  return {built_in, "built-in default"};
}

ModelDirChoice resolve_model_dir(const std::optional<std::string>& flag) {
  return resolve_model_dir(flag, std::getenv("MTCNN_MODELS"), MTCNN_DEFAULT_MODELS_DIR);
}

void check_model_dir(const ModelDirChoice& choice) {
  std::error_code ec;
  const bool dir_exists = fs::is_directory(choice.dir, ec);
  for (const std::string& name : mtcnn::Detector::model_files()) {
    const fs::path file = choice.dir / name;
    if (fs::is_regular_file(file, ec)) continue;
    const std::string why = dir_exists ? "" : ", the directory does not exist";
    throw SetupError("missing model file " + file.string() + " (models from " + choice.origin +
                     why + "); " + kModelFixHint);
  }
}

}  // namespace mtcnn::cli
