// Which directory the detector loads its weights from: --models, else $MTCNN_MODELS, else the
// directory compiled in (MTCNN_DEFAULT_MODELS_DIR, the checkout's weights/ by default).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace mtcnn::cli {

struct ModelDirChoice {
  std::filesystem::path dir;
  std::string origin;  // "--models", "MTCNN_MODELS" or "built-in default", for messages
};

// env_value is the value of MTCNN_MODELS (null or empty when unset).
ModelDirChoice resolve_model_dir(const std::optional<std::string>& flag, const char* env_value,
                                 const std::filesystem::path& built_in);

// Same, reading the environment and the compiled-in default.
ModelDirChoice resolve_model_dir(const std::optional<std::string>& flag);

// Throws SetupError naming the first missing file (mtcnn::Detector::model_files()) and the fix.
void check_model_dir(const ModelDirChoice& choice);

// The hint appended to every model problem.
inline constexpr const char* kModelFixHint = "run scripts/setup.sh or pass --models DIR";

}  // namespace mtcnn::cli
