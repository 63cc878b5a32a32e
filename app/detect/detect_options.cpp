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
                  "Write the records to FILE instead of standard output: streamed into "
                  "FILE.partial, renamed to FILE once complete")
      ->type_name("FILE");
  command.add_flag("--resume", options.resume,
                   "Continue an interrupted run of this command (its -o FILE.partial): keep its "
                   "records, do the remaining inputs, append");
  command
      .add_option_function<std::string>(
          "--format",
          [&options](const std::string& name) {
            options.format = name == "json"   ? OutputFormat::kJsonArray
                             : name == "coco" ? OutputFormat::kCoco
                                              : OutputFormat::kJsonLines;
          },
          "jsonl: one record per line; json: one array; coco: one COCO dataset (images, "
          "annotations with the five landmarks as keypoints)")
      ->check(CLI::IsMember({"jsonl", "json", "coco"}))
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

  command
      .add_option("--shard", options.shard,
                  "Process only share K of N of the inputs (0/4 ... 3/4; shares by a hash of the "
                  "path), or 'auto' to take K and N from a Slurm job array, a Kubernetes Indexed "
                  "Job or an AWS Batch array job; {shard} in -o, --annotate, --crops and "
                  "--timings becomes K (see docs/scale-out.md)")
      ->type_name("K/N|auto");
  command
      .add_option("--shards", options.shards,
                  "With --shard auto: how many shares (Kubernetes and AWS Batch give only the "
                  "task's index; also MTCNN_SHARDS)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->type_name("N");

  add_crop_options(command, options.crops);
  add_image_limit_options(command, options.limits);
  command.add_flag("--largest", options.largest_only,
                   "Keep only the largest face of each photo, in the records and the crops (for "
                   "datasets with one person per photo)");

  add_detector_flags(command, options);
}

}  // namespace mtcnn::cli
