#include "eval/eval_landmarks.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/exit_status.hpp"
#include "common/logging.hpp"
#include "compare/report_figures.hpp"
#include "eval/eval_report.hpp"
#include "eval/landmark_error.hpp"
#include "eval/landmark_list.hpp"
#include "records/landmark_names.hpp"

namespace mtcnn::cli {

namespace {}  // namespace

void add_landmark_eval_options(CLI::App& command, LandmarkEvalOptions& options) {
  command
      .add_option("--list", options.list_file,
                  "Labelled faces: 'name x1 x2 y1 y2' then x y of left eye, right eye, nose, "
                  "left and right mouth corner; '#' starts a comment")
      ->required()
      ->type_name("FILE");
  command.add_option("--images", options.images_dir, "Directory the list's names are under")
      ->required()
      ->type_name("DIR");
  add_detection_source_flags(command, options.source);
}

int run_landmark_eval(const LandmarkEvalOptions& options) {
  configure_logging(log_level_for(options.source.quiet, options.source.verbosity));
  std::vector<LabelledFace> labelled;
  try {
    labelled = read_landmark_list(options.list_file);
  } catch (const LandmarkListError& e) {
    throw SetupError(e.what());
  }
  if (labelled.empty()) throw SetupError("no labelled faces in " + options.list_file);

  // Each image once, in the order of its first face.
  std::vector<std::string> paths;
  std::map<std::string, std::size_t> image_index;
  for (const LabelledFace& face : labelled) {
    if (image_index.emplace(face.image, paths.size()).second) {
      paths.push_back((std::filesystem::path(options.images_dir) / face.image).string());
    }
  }
  if (!options.source.quiet) {
    std::cerr << fmt::format("mtcnn: {} labelled faces in {} images\n", labelled.size(),
                             paths.size());
  }
  const std::vector<StoredRecord> detections = detections_for(paths, options.source);

  LandmarkScores scores;
  std::size_t failed_images = 0;
  for (const StoredRecord& record : detections) failed_images += record.failed ? 1 : 0;
  for (const LabelledFace& face : labelled) {
    const StoredRecord& record = detections[image_index.at(face.image)];
    add_face(scores, face, record.failed ? std::vector<StoredFace>{} : record.faces);
  }

  const auto row = [](const std::string& label, const std::string& text) {
    std::cout << fmt::format("{:<16}{}\n", label, text);
  };
  row("images", fmt::format("{}, {} could not be scored", paths.size(), failed_images));
  row("faces", fmt::format("{} labelled, {} missed (no detection at IoU >= {:g}), {} measured",
                           scores.faces, scores.missed, kLandmarkMatchIou, scores.measured));
  if (scores.unmeasured > 0) {
    row("", fmt::format("{} matched without landmarks or with coinciding labelled eyes",
                        scores.unmeasured));
  }
  row("error", fmt::format("{}  (mean over 5 points, of the inter-ocular distance)",
                           figure(scores.mean_error())));
  nlohmann::ordered_json per_landmark;
  for (std::size_t i = 0; i < kStoredLandmarkCount; ++i) {
    row(fmt::format("  {}", kLandmarkNames[i]), figure(scores.landmark_error(i)));
    per_landmark[kLandmarkNames[i]] = summary_figure(scores.landmark_error(i));
  }
  row("failure rate",
      fmt::format("{}  ({} measured faces with error > {:g})", figure(scores.failure_rate()),
                  scores.failures, kLandmarkFailureError));
  row("miss rate", figure(scores.miss_rate()));

  const nlohmann::ordered_json summary{
      {"benchmark", "landmarks"},
      {"images", paths.size()},
      {"unscored_images", failed_images},
      {"faces", scores.faces},
      {"missed", scores.missed},
      {"measured", scores.measured},
      {"nme", summary_figure(scores.mean_error())},
      {"nme_per_landmark", per_landmark},
      {"failure_rate", summary_figure(scores.failure_rate())},
      {"failures", scores.failures},
      {"miss_rate", summary_figure(scores.miss_rate())},
      {"source", source_json(options.source)},
  };
  std::cout << summary.dump() << std::endl;
  if (failed_images > 0) {
    spdlog::warn("{} of {} images could not be scored; their faces count as missed", failed_images,
                 paths.size());
    return kExitSomeFailed;
  }
  return kExitOk;
}

}  // namespace mtcnn::cli
