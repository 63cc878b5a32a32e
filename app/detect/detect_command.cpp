#include "detect/detect_command.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>
#include <stop_token>
#include <string>
#include <vector>

#include "common/exit_status.hpp"
#include "common/interrupts.hpp"
#include "common/logging.hpp"
#include "common/model_dir.hpp"
#include "common/progress_bar.hpp"
#include "common/wording.hpp"
#include "detect/batch_report.hpp"
#include "detect/detect_outputs.hpp"
#include "detect/face_finder.hpp"
#include "detect/pipeline.hpp"
#include "inputs/input_list.hpp"
#include "inputs/opencv_pixel_limit.hpp"
#include "inputs/standard_input.hpp"
#include "records/text_output.hpp"
#include "resume/partial_records.hpp"
#include "resume/run_settings.hpp"
#include "shards/shard_plan.hpp"

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

// What a run's records depend on, so that --resume can refuse to mix settings in one file.
nlohmann::ordered_json run_settings(const DetectOptions& options,
                                    const std::vector<InputFile>& inputs) {
  const CropOptions& crops = options.crops;
  nlohmann::ordered_json settings = {
      {"--format", options.format == OutputFormat::kJsonArray ? "json" : "jsonl"},
      {"--min-face", options.min_face},
      {"--thresholds", options.thresholds},
      {"--scale-factor", options.scale_factor},
      {"--clip-crops", options.clip_crops},
      {"--max-side", options.max_side},
      {"--precision", precision_name(options.precision)},
      {"--largest", options.largest_only},
      {"--models", resolve_model_dir(options.models).dir.string()},
      {"--annotate",
       options.annotate_dir ? nlohmann::ordered_json(*options.annotate_dir) : nullptr},
      {"--crops", crops.target ? nlohmann::ordered_json(*crops.target) : nullptr},
      {"--max-pixels", options.limits.max_pixels},
      {"inputs", inputs_fingerprint(inputs)}};
  if (options.shard) settings["--shard"] = *options.shard;
  if (crops.target) {
    settings["--crop-template"] = crops.crop_template == CropTemplate::kBox ? "box" : "arcface";
    settings["--crop-size"] = crops.size;
    settings["--crop-margin"] = crops.margin;
    settings["--crop-min-score"] = crops.min_score;
    settings["--crop-min-size"] = crops.min_eye_distance;
    settings["--crop-format"] = crops.format;
    settings["--crop-quality"] = crops.quality;
    settings["--crops-per-shard"] = crops.per_shard;
  }
  return settings;
}

// Where the earlier run of this command stopped, or nothing when there is nothing to continue
// (no earlier output: the run simply starts). Throws SetupError when it cannot be continued.
std::optional<ResumePoint> find_resume_point(const DetectOptions& options, const fs::path& file,
                                             const nlohmann::ordered_json& settings,
                                             const std::vector<InputFile>& inputs) {
  const fs::path partial = partial_path_for(file);
  if (!fs::exists(partial)) return std::nullopt;
  const std::vector<std::string> differences =
      settings_differences(read_run_settings(settings_path_for(file)), settings);
  if (!differences.empty()) {
    std::string message = "cannot resume " + partial.string() + " with other settings:";
    for (const std::string& line : differences) message += "\n  " + line;
    throw SetupError(message +
                     "\nRerun with the earlier settings, or without --resume to start over.");
  }
  PartialRecords kept;
  try {
    kept = read_partial_records(partial, options.format == OutputFormat::kJsonArray
                                             ? RecordLayout::kJsonArray
                                             : RecordLayout::kJsonLines);
  } catch (const std::exception& e) {
    throw SetupError(std::string("cannot resume: ") + e.what());
  }
  for (std::size_t i = 0; i < kept.paths.size(); ++i) {
    if (i >= inputs.size() || kept.paths[i] != inputs[i].path.native()) {
      throw SetupError("cannot resume: record " + std::to_string(i + 1) + " of " +
                       partial.string() + " is not for input " + std::to_string(i + 1) +
                       "; the file is not this command's output. Rerun without --resume.");
    }
  }
  return ResumePoint{kept.paths.size(), kept.keep_bytes, std::move(kept.crops)};
}

// The command to type to continue: the one given, with --resume.
std::string resume_command(const DetectOptions& options) {
  const std::string& line = options.command_line;
  return line.find(" --resume") == std::string::npos ? line + " --resume" : line;
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

// With --shard: this task's share, and {shard} in its output names made K.
std::optional<ShardPlan> apply_shard(DetectOptions& options) {
  if (!options.shard) return std::nullopt;
  const ShardPlan plan = parse_shard(*options.shard, options.shards, &std::getenv);
  for (std::optional<std::string>* name :
       {&options.output, &options.annotate_dir, &options.crops.target, &options.timings}) {
    if (*name) **name = expand_shard_name(**name, plan);
  }
  return plan;
}

}  // namespace

int run_detect(DetectOptions options) {
  configure_logging(log_level_for(options.quiet, options.verbosity));
  // Before OpenCV's image codecs are loaded, which read it then (opencv_pixel_limit.hpp).
  apply_opencv_pixel_limit(options.limits);
  const std::optional<ShardPlan> shard = apply_shard(options);
  // Parallelism comes from whole images on separate workers; OpenCV's own thread pool inside
  // each of them would only oversubscribe the cores.
  cv::setNumThreads(1);

  const std::vector<std::string> paths = gather_paths(options);
  check_stdin_use(paths, options.files_from);
  // An empty --files-from list is a valid empty batch (as from `find` matching nothing).
  if (paths.empty() && !options.files_from) {
    throw SetupError(
        "no inputs: give image files or directories, or --files-from FILE "
        "(see mtcnn detect --help)");
  }
  // Every task of a sharded run sees the whole list: output names are checked over all of it.
  const std::vector<InputFile> all_inputs = expand_inputs(paths, {options.include_hidden});
  check_detect_outputs(options, paths, all_inputs);
  const std::vector<InputFile> inputs = shard ? select_shard(all_inputs, *shard) : all_inputs;
  if (shard) {
    spdlog::info("shard {} of {}: {} of {}", shard->index, shard->count,
                 counted(inputs.size(), "input"), all_inputs.size());
  }

  // An -o file keeps its settings beside it while unfinished, for --resume.
  std::optional<fs::path> file;
  if (options.output && *options.output != "-") file = *options.output;
  const nlohmann::ordered_json settings = run_settings(options, inputs);
  std::optional<ResumePoint> resume;
  if (options.resume) {
    if (!file)
      throw SetupError("--resume needs -o FILE: records on standard output cannot be continued");
    if (options.format == OutputFormat::kCoco) {
      throw SetupError("--resume works with --format jsonl and json, not coco (one document)");
    }
    resume = find_resume_point(options, *file, settings, inputs);
    if (!resume && fs::exists(*file) && !fs::exists(partial_path_for(*file))) {
      if (!options.quiet)
        std::cerr << "mtcnn: " << file->string() << " is complete; nothing to resume\n";
      return kExitOk;
    }
  } else if (file && fs::exists(partial_path_for(*file))) {
    spdlog::warn(
        "starting over: {} of an unfinished earlier run is replaced (--resume continues it)",
        partial_path_for(*file).string());
  }
  const std::size_t done = resume ? resume->done : 0;
  const std::vector<InputFile> todo(inputs.begin() + static_cast<std::ptrdiff_t>(done),
                                    inputs.end());

  DetectOutputs outputs = create_detect_outputs(options, all_inputs, resume);
  if (file && !fs::is_character_file(*file) && !fs::is_fifo(*file)) {
    try {
      write_run_settings(settings_path_for(*file), settings);
    } catch (const std::exception& e) {
      throw SetupError(e.what());
    }
  }

  const std::size_t threads =
      std::clamp<std::size_t>(todo.size(), 1, std::max(1u, options.threads));
  std::vector<std::unique_ptr<FaceFinder>> finders = create_face_finders(options, threads);

  if (inputs.empty()) spdlog::warn("no images found in the given paths");
  if (done > 0)
    spdlog::info("resuming: {} of {} already done", done, counted(inputs.size(), "input"));

  ProgressBar progress(todo.size(), !options.quiet && stderr_is_terminal());
  std::size_t faces_found = 0;
  const auto observe = [&](const ImageResult& result) {
    faces_found += result.record.faces.size();
    if (outputs.timings) outputs.timings->add(result);
    if (!result.record.ok()) {
      progress.clear();
      spdlog::warn("{}: {} ({})", result.record.path, result.record.error->message,
                   to_string(result.record.error->code));
    }
    progress.advance(!result.record.ok());
  };
  std::stop_source stop;
  BatchSummary summary;
  int signal = 0;
  {
    const InterruptWatcher interrupts(stop);
    summary = run_batch(todo, finders, outputs.batch(), default_window(threads), observe,
                        stop.get_token(), options.limits);
    signal = interrupts.signal();
  }
  progress.clear();
  log_batch_timings(summary, threads);

  if (summary.interrupted) {
    std::string note = fmt::format("mtcnn: interrupted ({}) with {} of {} done",
                                   signal == SIGTERM ? "SIGTERM" : "SIGINT",
                                   done + summary.processed, counted(inputs.size(), "input"));
    if (file) {
      note += fmt::format("; the records so far are in {}. To continue:\n  {}",
                          partial_path_for(*file).string(), resume_command(options));
    }
    std::cerr << note << '\n';
    return 128 + (signal == 0 ? SIGINT : signal);
  }
  if (file) {
    std::error_code ec;
    fs::remove(settings_path_for(*file), ec);  // complete: nothing to resume any more
  }
  if (!options.quiet) report_outputs(options, summary, faces_found);
  if (summary.failed > 0) {
    spdlog::warn("{} of {} failed", summary.failed, counted(summary.processed, "input"));
    return kExitSomeFailed;
  }
  return kExitOk;
}

}  // namespace mtcnn::cli
