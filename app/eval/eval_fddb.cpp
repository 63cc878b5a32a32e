#include "eval/eval_fddb.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "codecs/image_encoding.hpp"
#include "codecs/opencv_codecs.hpp"
#include "common/atomic_file.hpp"
#include "common/exit_status.hpp"
#include "common/logging.hpp"
#include "eval/eval_report.hpp"
#include "eval/fddb_folds.hpp"
#include "eval/fddb_roc.hpp"
#include "eval/roc_plot.hpp"

namespace mtcnn::cli {

namespace {

namespace fs = std::filesystem;

// The points at which FDDB results are usually quoted (the paper quotes 1000).
constexpr std::size_t kReportedFalsePositives[] = {50, 100, 500, 1000, 2000};

template <typename Data>
void write_file(const fs::path& path, const Data& data) {
  try {
    write_file_atomically(path, data);
  } catch (const std::exception& e) {
    throw SetupError(e.what());
  }
}

// Creates the output folder and proves it takes files, so that a typo costs nothing.
void prepare_output_folder(const fs::path& out_dir) {
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir)) {
    throw SetupError("cannot create the output folder " + out_dir.string() + ": " +
                     (ec ? ec.message() : "a file is in the way"));
  }
  try {
    write_file_atomically(out_dir / ".mtcnn-write-test", std::string_view());
    fs::remove(out_dir / ".mtcnn-write-test", ec);
  } catch (const std::exception& e) {
    throw SetupError("cannot write into the output folder " + out_dir.string() + ": " + e.what());
  }
}

std::string fold_range(const std::vector<int>& folds) {
  std::string text;
  for (std::size_t i = 0; i < folds.size(); ++i) {
    std::size_t j = i;
    while (j + 1 < folds.size() && folds[j + 1] == folds[j] + 1) ++j;
    if (!text.empty()) text += ",";
    text += j > i ? fmt::format("{}-{}", folds[i], folds[j]) : std::to_string(folds[i]);
    i = j;
  }
  return text;
}

// What the plot's title names: the detection file, or the detector with the flags that differ
// from the defaults.
std::string source_label(const DetectionSourceFlags& source) {
  if (source.detections_file) return fs::path(*source.detections_file).filename().string();
  std::string label = "mtcnn";
  const DetectorFlags defaults;
  if (source.min_face != defaults.min_face)
    label += fmt::format(" --min-face {:g}", source.min_face);
  if (source.thresholds != defaults.thresholds) {
    label += fmt::format(" --thresholds {:g},{:g},{:g}", source.thresholds.at(0),
                         source.thresholds.at(1), source.thresholds.at(2));
  }
  if (source.scale_factor != defaults.scale_factor) {
    label += fmt::format(" --scale-factor {:g}", source.scale_factor);
  }
  if (source.clip_crops) label += " --clip-crops";
  if (source.max_side > 0) label += fmt::format(" --max-side {}", source.max_side);
  return label;
}

}  // namespace

void add_fddb_eval_options(CLI::App& command, FddbEvalOptions& options) {
  command
      .add_option("--data", options.data_dir,
                  "FDDB directory: originalPics/<name>.jpg and FDDB-folds/FDDB-fold-NN*.txt")
      ->required()
      ->type_name("DIR");
  command.add_option("--folds", options.folds, "Folds to evaluate, e.g. 1-10, 3 or 1-3,8")
      ->capture_default_str();
  command
      .add_option("-o,--output-dir", options.output_dir,
                  "Where fold-NN-out.txt, roc-discrete.csv, roc-continuous.csv and roc.png go")
      ->capture_default_str()
      ->type_name("DIR");
  add_detection_source_flags(command, options.source);
}

int run_fddb_eval(const FddbEvalOptions& options) {
  configure_logging(log_level_for(options.source.quiet, options.source.verbosity));
  std::vector<int> requested;
  try {
    requested = parse_fold_list(options.folds);
  } catch (const std::invalid_argument& e) {
    throw SetupError(std::string("--folds: ") + e.what());
  }

  std::vector<FddbImage> images;
  std::vector<int> folds;
  try {
    for (int fold : requested) {
      std::vector<FddbImage> fold_images = read_fddb_fold(options.data_dir, fold);
      if (fold_images.empty()) {
        spdlog::info("fold {} is absent from {}; skipped", fold, options.data_dir);
        continue;
      }
      folds.push_back(fold);
      images.insert(images.end(), fold_images.begin(), fold_images.end());
    }
  } catch (const FddbFormatError& e) {
    throw SetupError(e.what());
  }
  if (folds.empty()) {
    throw SetupError(
        fmt::format("no FDDB folds {} in {} (expected FDDB-folds/FDDB-fold-NN-"
                    "ellipseList.txt)",
                    options.folds, options.data_dir));
  }

  std::vector<std::string> paths;
  for (const FddbImage& image : images) paths.push_back(fddb_image_path(options.data_dir, image));
  if (!options.source.quiet) {
    std::cerr << fmt::format("mtcnn: FDDB folds {}: {} images\n", fold_range(folds), images.size());
  }
  const fs::path out_dir = options.output_dir;
  prepare_output_folder(out_dir);  // before the detector runs over the whole benchmark
  const std::vector<StoredRecord> detections = detections_for(paths, options.source);

  // Matching per image; failed images take part with no detections.
  std::vector<ImageMatchCounts> counts;
  std::size_t faces = 0, detection_count = 0, failed = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    faces += images[i].faces.size();
    const std::vector<StoredFace> none;
    if (detections[i].failed) ++failed;
    const std::vector<StoredFace>& found = detections[i].failed ? none : detections[i].faces;
    detection_count += found.size();
    counts.push_back(match_image(images[i].faces, found));
  }
  const std::vector<RocPoint> roc = fddb_roc(counts, faces);

  // Output files.
  for (int fold : folds) {
    std::vector<FddbImage> fold_images;
    std::vector<StoredRecord> fold_detections;
    for (std::size_t i = 0; i < images.size(); ++i) {
      if (images[i].fold != fold) continue;
      fold_images.push_back(images[i]);
      fold_detections.push_back(detections[i]);
    }
    write_file(out_dir / fmt::format("fold-{:02d}-out.txt", fold),
               fddb_result_text(fold_images, fold_detections));
  }
  write_file(out_dir / "roc-discrete.csv", roc_csv(roc, &RocPoint::discrete_tpr));
  write_file(out_dir / "roc-continuous.csv", roc_csv(roc, &RocPoint::continuous_tpr));
  const std::string source_name = source_label(options.source);
  const std::string title = fmt::format("FDDB folds {} ({} images, {} faces): {}",
                                        fold_range(folds), images.size(), faces, source_name);
  std::vector<std::uint8_t> plot;
  try {
    if (!encode_image(".png", draw_roc(roc, title, roc_plot_extent(roc)), plot)) {
      throw SetupError("cannot encode " + (out_dir / "roc.png").string());
    }
  } catch (const OpenCvCodecsUnavailable& e) {
    throw SetupError(e.what());
  }
  write_file(out_dir / "roc.png", std::span<const std::uint8_t>(plot));

  // The table, then the JSON line.
  std::cout << fmt::format("{:<16}{} in folds {}, {} could not be scored\n", "images",
                           images.size(), fold_range(folds), failed);
  std::cout << fmt::format("{:<16}{} annotated, {} detections, {} false positives in all\n",
                           "faces", faces, detection_count, roc.back().false_positives);
  std::string header = fmt::format("{:<16}", "TPR at FP");
  std::string discrete_row = fmt::format("{:<16}", "  discrete");
  std::string continuous_row = fmt::format("{:<16}", "  continuous");
  nlohmann::ordered_json discrete_json, continuous_json;
  for (std::size_t fp : kReportedFalsePositives) {
    header += fmt::format("{:>8}", fp);
    discrete_row += fmt::format("{:>8.4f}", discrete_tpr_at(roc, fp));
    continuous_row += fmt::format("{:>8.4f}", continuous_tpr_at(roc, fp));
    discrete_json[std::to_string(fp)] = summary_figure(discrete_tpr_at(roc, fp));
    continuous_json[std::to_string(fp)] = summary_figure(continuous_tpr_at(roc, fp));
  }
  std::cout << header << '\n' << discrete_row << '\n' << continuous_row << '\n';
  const std::size_t curve_end = roc.back().false_positives;
  if (curve_end < kReportedFalsePositives[std::size(kReportedFalsePositives) - 1]) {
    // The detector's thresholds end the curve; lower --thresholds extend it.
    std::cout << fmt::format(
        "{:<16}the curve ends at {} FP (lowest score {:.4f}); beyond, its last rate is shown\n", "",
        curve_end, roc.size() > 1 ? roc.back().threshold : 0.0);
  }
  std::cout << fmt::format(
      "{:<16}{}/fold-NN-out.txt, roc-discrete.csv, roc-continuous.csv, "
      "roc.png\n",
      "files", out_dir.string());

  nlohmann::ordered_json summary{
      {"benchmark", "fddb"},
      {"folds", folds},
      {"images", images.size()},
      {"unscored_images", failed},
      {"faces", faces},
      {"detections", detection_count},
      {"false_positives", roc.back().false_positives},
      {"discrete_tpr", discrete_json},
      {"continuous_tpr", continuous_json},
      {"source", source_json(options.source)},
      {"output_dir", out_dir.string()},
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
