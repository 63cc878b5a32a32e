#include "detect/detect_command.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <opencv2/core/utility.hpp>
#include <string>
#include <vector>

#include "common/exit_status.hpp"
#include "common/logging.hpp"
#include "common/progress_bar.hpp"
#include "common/wording.hpp"
#include "crops/crop_files.hpp"
#include "crops/crop_shards.hpp"
#include "detect/batch_report.hpp"
#include "detect/face_finder.hpp"
#include "detect/pipeline.hpp"
#include "detect/timings_log.hpp"
#include "inputs/input_list.hpp"
#include "outputs/annotated_copies.hpp"
#include "outputs/output_tree.hpp"
#include "records/json_array_writer.hpp"
#include "records/json_lines_writer.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

std::vector<std::string> gather_paths(const DetectOptions& options) {
  std::vector<std::string> paths = options.paths;
  if (options.files_from) {
    std::vector<std::string> listed;
    if (*options.files_from == "-") {
      listed = read_path_list(std::cin);
    } else {
      std::ifstream list(*options.files_from);
      if (!list) throw SetupError("cannot read --files-from " + *options.files_from);
      listed = read_path_list(list);
    }
    paths.insert(paths.end(), listed.begin(), listed.end());
  }
  return paths;
}

std::unique_ptr<RecordWriter> create_record_writer(const DetectOptions& options) {
  std::optional<std::filesystem::path> file;
  if (options.output && *options.output != "-") file = *options.output;
  TextOutput out = [&] {
    try {
      return TextOutput(file);
    } catch (const std::exception& e) {
      throw SetupError(std::string(e.what()) + " (for -o)");
    }
  }();
  if (options.format == OutputFormat::kJsonArray) {
    return std::make_unique<JsonArrayWriter>(std::move(out));
  }
  return std::make_unique<JsonLinesWriter>(std::move(out));
}

// The closing line on stderr (unless -q): how much was done, and where the results went, so a
// user running on a folder does not have to guess.
void report_outputs(const DetectOptions& options, const BatchSummary& summary, std::size_t faces) {
  std::string note =
      "mtcnn: " + counted(summary.processed, "image") + ", " + counted(faces, "face");
  if (summary.failed > 0) note += fmt::format(", {} failed", summary.failed);
  if (options.output && *options.output != "-") {
    note += fmt::format("; records in {}", *options.output);
  }
  if (options.annotate_dir) note += fmt::format("; annotated copies in {}", *options.annotate_dir);
  if (options.crops.target) note += fmt::format("; crops in {}", *options.crops.target);
  std::cerr << note << '\n';
}

}  // namespace

int run_detect(const DetectOptions& options) {
  configure_logging(log_level_for(options.quiet, options.verbosity));
  // Parallelism comes from whole images on separate workers; OpenCV's own thread pool inside
  // each of them would only oversubscribe the cores.
  cv::setNumThreads(1);

  const std::vector<std::string> paths = gather_paths(options);
  // An empty --files-from list is a valid empty batch (as from `find` matching nothing).
  if (paths.empty() && !options.files_from) {
    throw SetupError(
        "no inputs: give image files or directories, or --files-from FILE "
        "(see mtcnn detect --help)");
  }
  const std::vector<InputFile> inputs = expand_inputs(paths, {options.include_hidden});

  // Every output is checked before the models load, and before anything is created: a
  // refusal should cost the user nothing.
  if (options.annotate_dir) {
    check_output_folder_outside_inputs(*options.annotate_dir, paths, "--annotate");
    check_distinct_output_names(inputs, &AnnotatedCopies::output_name, *options.annotate_dir,
                                "--annotate");
  }
  const CropOptions& crops = options.crops;
  if (crops.target && is_shard_pattern(*crops.target)) {
    check_distinct_output_names(
        inputs, [](const fs::path& mirror) { return fs::path(CropShards::sample_key(mirror, 0)); },
        *crops.target, "--crops");
  } else if (crops.target) {
    check_output_folder_outside_inputs(*crops.target, paths, "--crops");
    check_distinct_output_names(inputs, &CropFiles::stem_of, *crops.target, "--crops");
  }
  if (options.output && *options.output != "-") check_not_an_input(*options.output, inputs, "-o");
  if (options.timings) check_not_an_input(*options.timings, inputs, "--timings");

  std::unique_ptr<ImageOutput> annotated;
  if (options.annotate_dir) {
    annotated =
        std::make_unique<AnnotatedCopies>(OutputTree(*options.annotate_dir, "--annotate", inputs));
  }
  std::unique_ptr<ImageOutput> cropped;
  if (crops.target && is_shard_pattern(*crops.target)) {
    cropped = std::make_unique<CropShards>(crops);
  } else if (crops.target) {
    cropped = std::make_unique<CropFiles>(OutputTree(*crops.target, "--crops", inputs), crops);
  }
  const std::unique_ptr<RecordWriter> records = create_record_writer(options);
  std::optional<TimingsLog> timings;
  if (options.timings) {
    try {
      timings.emplace(*options.timings);
    } catch (const std::exception& e) {
      throw SetupError(e.what());
    }
  }
  BatchOutputs outputs{{}, {records.get()}};
  if (annotated) outputs.images.push_back(annotated.get());
  if (cropped) outputs.images.push_back(cropped.get());

  const std::size_t threads =
      std::clamp<std::size_t>(inputs.size(), 1, std::max(1u, options.threads));
  std::vector<std::unique_ptr<FaceFinder>> finders = create_face_finders(options, threads);

  if (inputs.empty()) spdlog::warn("no images found in the given paths");

  ProgressBar progress(inputs.size(), !options.quiet && stderr_is_terminal());
  std::size_t faces_found = 0;
  const auto observe = [&progress, &faces_found, &timings](const ImageResult& result) {
    faces_found += result.record.faces.size();
    if (timings) timings->add(result);
    if (!result.record.ok()) {
      progress.clear();
      spdlog::warn("{}: {} ({})", result.record.path, result.record.error->message,
                   to_string(result.record.error->code));
    }
    progress.advance(!result.record.ok());
  };
  const BatchSummary summary =
      run_batch(inputs, finders, outputs, default_window(threads), observe);
  progress.clear();

  log_batch_timings(summary, threads);
  if (!options.quiet) report_outputs(options, summary, faces_found);
  if (summary.failed > 0) {
    spdlog::warn("{} of {} failed", summary.failed, counted(summary.processed, "input"));
    return kExitSomeFailed;
  }
  return kExitOk;
}

}  // namespace mtcnn::cli
