#include "eval/eval_wider.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "common/exit_status.hpp"
#include "common/logging.hpp"
#include "compare/report_figures.hpp"
#include "eval/eval_report.hpp"
#include "eval/wider_annotations.hpp"
#include "eval/wider_ap.hpp"
#include "eval/wider_split.hpp"

namespace mtcnn::cli {

namespace {

constexpr const char* kBandNames[kHeightBands] = {"<20", "20-50", "50-100", ">100"};

// One official setting: the ground truth seen through its list when the file is in --split-dir,
// else nothing (a missing file is reported, not an error, so a partial download still gives the
// other settings). Built before detecting, so a bad list fails before a long run.
struct Setting {
  std::string_view name;
  std::filesystem::path file;
  std::optional<SplitImages> seen;
};

std::vector<Setting> load_settings(const std::optional<std::string>& split_dir,
                                   const std::vector<WiderImage>& images) {
  std::vector<Setting> settings;
  if (!split_dir) return settings;
  for (const std::string_view name : kWiderSettings) {
    Setting setting{name, wider_split_file(*split_dir, name), std::nullopt};
    if (std::filesystem::exists(setting.file)) {
      try {
        setting.seen = apply_wider_split(images, read_wider_split(setting.file));
      } catch (const MatFormatError& e) {
        throw SetupError(e.what());
      } catch (const WiderFormatError& e) {
        throw SetupError(setting.file.string() + ": " + e.what());
      }
    }
    settings.push_back(std::move(setting));
  }
  return settings;
}

}  // namespace

void add_wider_eval_options(CLI::App& command, WiderEvalOptions& options) {
  command
      .add_option("--gt", options.ground_truth,
                  "Ground truth list, e.g. wider_face_split/wider_face_val_bbx_gt.txt")
      ->required()
      ->type_name("FILE");
  command
      .add_option("--images", options.images_dir,
                  "Directory the list's image names are under (WIDER_val/images)")
      ->required()
      ->type_name("DIR");
  command
      .add_option("--split-dir", options.split_dir,
                  "The benchmark's eval_tools/ground_truth (wider_{easy,medium,hard}_val.mat): "
                  "AP per setting")
      ->type_name("DIR");
  add_detection_source_flags(command, options.source);
}

int run_wider_eval(const WiderEvalOptions& options) {
  configure_logging(log_level_for(options.source.quiet, options.source.verbosity));
  std::vector<WiderImage> images;
  try {
    images = read_wider_ground_truth(options.ground_truth);
  } catch (const WiderFormatError& e) {
    throw SetupError(e.what());
  }
  if (images.empty()) throw SetupError("no images in " + options.ground_truth);
  if (options.split_dir && !std::filesystem::is_directory(*options.split_dir)) {
    throw SetupError("--split-dir " + *options.split_dir + " is not a directory");
  }
  const std::vector<Setting> settings = load_settings(options.split_dir, images);

  std::vector<std::string> paths;
  for (const WiderImage& image : images) {
    paths.push_back((std::filesystem::path(options.images_dir) / image.name).string());
  }
  if (!options.source.quiet)
    std::cerr << fmt::format("mtcnn: WIDER FACE: {} images\n", paths.size());
  const std::vector<StoredRecord> records = detections_for(paths, options.source);
  std::vector<std::vector<StoredFace>> detections;
  std::size_t failed = 0;
  for (const StoredRecord& record : records) {
    failed += record.failed ? 1 : 0;
    detections.push_back(record.failed ? std::vector<StoredFace>{} : record.faces);
  }
  const WiderScores scores = score_wider(images, detections);

  const auto row = [](const std::string& label, const std::string& text) {
    std::cout << fmt::format("{:<16}{}\n", label, text);
  };
  row("images", fmt::format("{}, {} could not be scored", images.size(), failed));
  row("faces",
      fmt::format("{} valid, {} flagged invalid (ignored)", scores.faces, scores.invalid_faces));
  row("detections",
      fmt::format("{}, {} on invalid faces ignored", scores.detections, scores.ignored_detections));
  row("AP", fmt::format("{}  (IoU >= {:g}, all-point interpolation)",
                        figure(scores.average_precision), kWiderMatchIou));
  row("recall", fmt::format("{}  ({} of {} valid faces, all detections kept)",
                            figure(scores.recall()), scores.true_positives, scores.faces));
  nlohmann::ordered_json bands;
  for (std::size_t b = 0; b < kHeightBands; ++b) {
    row(fmt::format("  height {}", kBandNames[b]),
        fmt::format("{}  ({} of {})", figure(scores.band_recall(b)), scores.band_found[b],
                    scores.band_faces[b]));
    bands[kBandNames[b]] = {{"faces", scores.band_faces[b]},
                            {"recall", summary_figure(scores.band_recall(b))}};
  }
  nlohmann::ordered_json split = nullptr;
  if (settings.empty()) {
    row("split",
        "Easy/Medium/Hard not computed: give --split-dir with the benchmark's "
        "wider_{easy,medium,hard}_val.mat");
  } else {
    split = nlohmann::ordered_json::object();
    for (const Setting& setting : settings) {
      const std::string label = fmt::format("AP {}", setting.name);
      if (!setting.seen) {
        row(label, fmt::format("n/a  ({} not found)", setting.file.string()));
        split[std::string(setting.name)] = nullptr;
        continue;
      }
      const SplitImages& seen = *setting.seen;
      const WiderScores setting_scores = score_wider(seen.images, detections);
      row(label, fmt::format("{}  ({} faces)", figure(setting_scores.average_precision),
                             setting_scores.faces));
      if (seen.images_not_listed > 0) {
        spdlog::warn("{}: {} of {} images are not listed; their faces are ignored",
                     setting.file.string(), seen.images_not_listed, images.size());
      }
      split[std::string(setting.name)] = {{"ap", summary_figure(setting_scores.average_precision)},
                                          {"faces", setting_scores.faces},
                                          {"unlisted_images", seen.images_not_listed}};
    }
  }

  const nlohmann::ordered_json summary{
      {"benchmark", "wider"},
      {"images", images.size()},
      {"unscored_images", failed},
      {"faces", scores.faces},
      {"invalid_faces", scores.invalid_faces},
      {"detections", scores.detections},
      {"ignored_detections", scores.ignored_detections},
      {"ap", summary_figure(scores.average_precision)},
      {"recall", summary_figure(scores.recall())},
      {"recall_by_height", bands},
      {"split", split},
      {"source", source_json(options.source)},
  };
  std::cout << summary.dump() << std::endl;
  if (failed > 0) {
    spdlog::warn("{} of {} images could not be scored and count as finding nothing", failed,
                 images.size());
    return kExitSomeFailed;
  }
  return kExitOk;
}

}  // namespace mtcnn::cli
