#include "detect/detect_options.hpp"

namespace mtcnn::cli {

void add_detect_options(CLI::App& command, DetectOptions& options) {
  command.add_option("paths", options.paths, "Image files and directories (walked recursively)")
      ->type_name("PATH");
  command
      .add_option("--files-from", options.files_from,
                  "Read more paths from FILE, one per line ('-' for standard input)")
      ->type_name("FILE");

  command
      .add_option("-o,--output", options.output,
                  "Write the records to FILE instead of standard output (the file appears "
                  "only once complete)")
      ->type_name("FILE");
  command
      .add_option_function<std::string>(
          "--format",
          [&options](const std::string& name) {
            options.format = name == "json" ? OutputFormat::kJsonArray : OutputFormat::kJsonLines;
          },
          "jsonl: one record per line; json: one array")
      ->check(CLI::IsMember({"jsonl", "json"}))
      ->type_name("FORMAT")
      ->default_str("jsonl");
  command
      .add_option("--annotate", options.annotate_dir,
                  "Also write a copy of each image with its detections drawn into DIR, "
                  "mirroring the input tree")
      ->type_name("DIR");
  command.add_flag("--hidden", options.include_hidden,
                   "Walk into hidden files and directories (names starting with '.')");

  command
      .add_option("--timings", options.timings,
                  "Write each image's time per stage (decode, pyramid, P-Net, R-Net, O-Net, "
                  "write) to FILE, one JSON line per image in input order")
      ->type_name("FILE");

  add_crop_options(command, options.crops);
  command.add_flag("--largest", options.largest_only,
                   "Keep only the largest face of each photo, in the records and the crops (for "
                   "datasets with one person per photo)");

  add_detector_flags(command, options);
}

}  // namespace mtcnn::cli
