#include "compare/compare_command.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "common/exit_status.hpp"
#include "compare/report_figures.hpp"
#include "records/detection_file.hpp"
#include "records/record.hpp"

namespace mtcnn::cli {

namespace {

// Exit status 1 means "the run finished but the outcome is bad", as for detect.
constexpr int kExitBoundsViolated = kExitSomeFailed;

// Unpaired images listed by name in the table; the rest are only counted.
constexpr std::size_t kMissingListed = 5;

constexpr const char* kFooter = R"(
Faces count when they score at least --min-score, on both sides. Each reference face is matched
one-to-one, greedily by highest IoU, to a result face of any score, so a face scored just under
--min-score on one side is neither missing nor extra. Images are paired by equal paths, else when
one path ends with "/" plus the other (samples/a.jpg pairs with a.jpg).

Output: a table, then last a one-line JSON summary. Exit status: 0 within the bounds given,
1 a bound violated (or not measurable), 2 usage error or unreadable/malformed file.

Example:
  mtcnn detect samples/ > ours.jsonl
  mtcnn compare ours.jsonl reference.jsonl --min-recall 0.95 --max-extra 0.02
Figures and their definitions: docs/compare.md.
)";

// CLI::Range prints "0.000000 to 1.000000"; these messages read better.
CLI::Validator number_in(double low, double high, bool low_included, const std::string& name) {
  const std::string range =
      std::isinf(high) ? fmt::format("{} {:g}", low_included ? ">=" : ">", low)
                       : fmt::format("in {}{:g}, {:g}]", low_included ? "[" : "(", low, high);
  return CLI::Validator(
      [=](std::string& value) -> std::string {
        try {
          const double number = std::stod(value);
          if ((low_included ? number >= low : number > low) && number <= high) return {};
        } catch (const std::exception&) {
        }
        return fmt::format("must be a number {}, got {}", range, value);
      },
      name);
}

std::vector<StoredRecord> read_records(const std::string& file) {
  try {
    if (file == "-") {
      const std::string text{std::istreambuf_iterator<char>(std::cin),
                             std::istreambuf_iterator<char>()};
      return parse_detection_text(text, "standard input");
    }
    return read_detection_file(file);
  } catch (const DetectionFileError& e) {
    throw SetupError(e.what());
  }
}

std::string list_missing(const std::vector<MissingImage>& missing) {
  std::string text;
  for (std::size_t i = 0; i < std::min(missing.size(), kMissingListed); ++i) {
    if (i > 0) text += ", ";
    text += missing[i].path;
    if (missing[i].ambiguous) text += " (ambiguous)";
  }
  if (missing.size() > kMissingListed) {
    text += fmt::format(", and {} more", missing.size() - kMissingListed);
  }
  return text;
}

// Says why there is no landmark figure when faces were found: a file without landmarks (another
// implementation's boxes only) is a different thing from a figure of zero faces.
std::string landmark_row(const Agreement& agreement) {
  const std::string figure_text = figure(agreement.mean_landmark_error());
  if (agreement.landmark_faces > 0 || agreement.found_faces == 0) {
    std::string text =
        fmt::format("{}  (of the box width, mean over {} found {})", figure_text,
                    agreement.landmark_faces, agreement.landmark_faces == 1 ? "face" : "faces");
    return text;
  }
  const bool reference = agreement.found_without_reference_landmarks > 0;
  const bool result = agreement.found_without_result_landmarks > 0;
  return figure_text + "  (" +
         (reference && result ? "neither file has"
          : reference         ? "the reference has"
                              : "the result has") +
         " no landmarks for the " + std::to_string(agreement.found_faces) + " found faces)";
}

void print_table(std::ostream& out, const Agreement& agreement, const AgreementSettings& settings,
                 const std::vector<BoundCheck>& checks) {
  const auto row = [&out](const char* label, const std::string& text) {
    out << fmt::format("{:<16}{}\n", label, text);
  };
  row("images",
      fmt::format("{} paired; {} missing in result, {} missing in reference", agreement.images,
                  agreement.missing_in_result.size(), agreement.missing_in_reference.size()));
  if (!agreement.missing_in_result.empty()) {
    row("", "missing in result: " + list_missing(agreement.missing_in_result));
  }
  if (!agreement.missing_in_reference.empty()) {
    row("", "missing in reference: " + list_missing(agreement.missing_in_reference));
  }
  row("errors", fmt::format("{} in result, {} in reference", agreement.errors_in_result,
                            agreement.errors_in_reference));
  row("faces", fmt::format("{} in reference, {} in result (score >= {:g})",
                           agreement.reference_faces, agreement.result_faces, settings.min_score));
  row("recall",
      fmt::format("{}  ({} of {} reference faces found at IoU >= {:g})", figure(agreement.recall()),
                  agreement.found_faces, agreement.reference_faces, settings.iou_threshold));
  row("", fmt::format("{} near the image border ({} faces), {} elsewhere ({} faces)",
                      figure(agreement.recall_near_border()), agreement.border_faces,
                      figure(agreement.recall_elsewhere()),
                      agreement.reference_faces - agreement.border_faces));
  row("IoU", fmt::format("median {}, 5th percentile {}  (unmatched reference faces count as 0)",
                         figure(agreement.iou_median()), figure(agreement.iou_p5())));
  row("landmark error", landmark_row(agreement));
  row("extra", fmt::format("{}  ({} of {} result faces match no reference face at IoU >= {:g})",
                           figure(agreement.extra_fraction()), agreement.extra_faces,
                           agreement.result_faces, kExtraFaceIou));
  for (std::size_t i = 0; i < checks.size(); ++i) {
    row(i == 0 ? "bounds" : "",
        fmt::format("{}  {}", checks[i].passed ? "ok    " : "FAILED", describe(checks[i])));
  }
}

nlohmann::ordered_json summary_json(const Agreement& agreement, const AgreementSettings& settings,
                                    const std::vector<BoundCheck>& checks) {
  nlohmann::ordered_json failed_bounds = nlohmann::ordered_json::array();
  for (const BoundCheck& check : checks) {
    if (!check.passed) failed_bounds.push_back(check.flag);
  }
  const bool passed = failed_bounds.empty();
  return {
      {"images", agreement.images},
      {"reference_faces", agreement.reference_faces},
      {"result_faces", agreement.result_faces},
      {"found_faces", agreement.found_faces},
      {"recall", summary_figure(agreement.recall())},
      {"recall_near_border", summary_figure(agreement.recall_near_border())},
      {"recall_elsewhere", summary_figure(agreement.recall_elsewhere())},
      {"iou_median", summary_figure(agreement.iou_median())},
      {"iou_p5", summary_figure(agreement.iou_p5())},
      {"landmark_error", summary_figure(agreement.mean_landmark_error())},
      {"extra", summary_figure(agreement.extra_fraction())},
      {"extra_faces", agreement.extra_faces},
      {"missing_in_result", agreement.missing_in_result.size()},
      {"missing_in_reference", agreement.missing_in_reference.size()},
      {"errors_in_result", agreement.errors_in_result},
      {"errors_in_reference", agreement.errors_in_reference},
      {"min_score", settings.min_score},
      {"iou", settings.iou_threshold},
      {"failed_bounds", std::move(failed_bounds)},
      {"passed", passed},
  };
}

}  // namespace

void add_compare_options(CLI::App& command, CompareOptions& options) {
  command.add_option("result", options.result_file, "Detections to check ('-': standard input)")
      ->required()
      ->type_name("RESULT");
  command
      .add_option("reference", options.reference_file,
                  "Detections taken as correct ('-': standard input)")
      ->required()
      ->type_name("REFERENCE");

  command
      .add_option("--min-score", options.settings.min_score,
                  "Score a face needs to count, on both sides")
      ->check(number_in(0, 1, true, "0..1"))
      ->capture_default_str();
  command
      .add_option("--iou", options.settings.iou_threshold,
                  "A reference face counts as found when matched at this IoU or more")
      ->check(number_in(0, 1, false, "(0,1]"))
      ->capture_default_str();

  command
      .add_option("--min-recall", options.bounds.min_recall,
                  "Exit 1 unless at least this fraction of reference faces is found")
      ->check(number_in(0, 1, true, "0..1"))
      ->type_name("FRACTION");
  command
      .add_option("--min-median-iou", options.bounds.min_median_iou,
                  "Exit 1 unless the median IoU of the reference faces reaches this")
      ->check(number_in(0, 1, true, "0..1"))
      ->type_name("IOU");
  command
      .add_option("--max-landmark-error", options.bounds.max_landmark_error,
                  "Exit 1 if the mean landmark distance exceeds this fraction of the box width")
      ->check(number_in(0, INFINITY, true, ">=0"))
      ->type_name("FRACTION");
  command
      .add_option("--max-extra", options.bounds.max_extra,
                  "Exit 1 if more than this fraction of result faces are not in the reference")
      ->check(number_in(0, 1, true, "0..1"))
      ->type_name("FRACTION");
  command.footer(kFooter);
}

int run_compare(const CompareOptions& options) {
  if (options.result_file == "-" && options.reference_file == "-") {
    throw SetupError("only one of RESULT and REFERENCE can be standard input ('-')");
  }
  const std::vector<StoredRecord> result = read_records(options.result_file);
  const std::vector<StoredRecord> reference = read_records(options.reference_file);

  const Agreement agreement = measure_agreement(result, reference, options.settings);
  const std::vector<BoundCheck> checks = check_bounds(agreement, options.bounds);

  print_table(std::cout, agreement, options.settings, checks);
  const nlohmann::ordered_json summary = summary_json(agreement, options.settings, checks);
  std::cout << summary.dump() << std::endl;

  bool passed = true;
  for (const BoundCheck& check : checks) {
    if (check.passed) continue;
    spdlog::error("{}", describe(check));
    passed = false;
  }
  return passed ? kExitOk : kExitBoundsViolated;
}

}  // namespace mtcnn::cli
