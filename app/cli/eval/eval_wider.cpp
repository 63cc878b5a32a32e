#include "cli/eval/eval_wider.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/eval/eval_report.hpp"
#include "cli/eval/wider_annotations.hpp"
#include "cli/eval/wider_ap.hpp"
#include "cli/exit_status.hpp"
#include "cli/logging.hpp"

namespace mtcnn::cli {

namespace {

constexpr const char* kBandNames[kHeightBands] = {"<20", "20-50", "50-100", ">100"};

std::string figure(std::optional<double> value) {
  return value ? fmt::format("{:.4f}", *value) : "n/a";
}

// Why there is no Easy/Medium/Hard: the split lists are MATLAB v5 files, not read here.
std::string split_note(const std::optional<std::string>& split_dir) {
  if (!split_dir) {
    return "Easy/Medium/Hard split unavailable: needs the benchmark's wider_{easy,medium,hard}"
           "_val.mat (--split-dir); AP is over all valid faces";
  }
  return "Easy/Medium/Hard split unavailable: reading the .mat lists in " + *split_dir +
         " is not implemented; AP is over all valid faces";
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
                  "The benchmark's eval_tools/ground_truth (wider_{easy,medium,hard}_val.mat); "
                  "accepted, but the split is not computed yet")
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
                            {"recall", summary_fraction(scores.band_recall(b))}};
  }
  row("split", split_note(options.split_dir));

  const nlohmann::ordered_json summary{
      {"benchmark", "wider"},
      {"images", images.size()},
      {"unscored_images", failed},
      {"faces", scores.faces},
      {"invalid_faces", scores.invalid_faces},
      {"detections", scores.detections},
      {"ignored_detections", scores.ignored_detections},
      {"ap", summary_fraction(scores.average_precision)},
      {"recall", summary_fraction(scores.recall())},
      {"recall_by_height", bands},
      {"split", nullptr},
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
