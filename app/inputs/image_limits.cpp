#include "inputs/image_limits.hpp"

#include <string>

namespace mtcnn::cli {

void add_image_limit_options(CLI::App& command, ImageLimits& limits) {
  command
      .add_option("--max-pixels", limits.max_pixels,
                  "Refuse images of more than N pixels (width x height, read from the file's "
                  "header before decoding) with the error too_large; 0: no limit")
      ->type_name("N")
      // An unsigned option would take -1 as 2^64 - 1.
      ->check(CLI::Validator(
          [](const std::string& value) {
            return value.starts_with('-') ? std::string("must be 0 or more") : std::string();
          },
          ""))
      ->capture_default_str();
}

}  // namespace mtcnn::cli
