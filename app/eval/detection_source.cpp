#include "eval/detection_source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <opencv2/core/utility.hpp>

#include "common/exit_status.hpp"
#include "common/progress_bar.hpp"
#include "compare/record_pairing.hpp"
#include "detect/batch_report.hpp"
#include "detect/pipeline.hpp"
#include "inputs/input_list.hpp"

namespace mtcnn::cli {

namespace {

StoredRecord stored(const Record& record) {
  StoredRecord result;
  result.path = record.path;
  result.size = record.size;
  result.failed = !record.ok();
  for (const mtcnn::Face& face : record.faces) {
    StoredFace stored_face;
    stored_face.box = cv::Rect2d(face.box.x, face.box.y, face.box.width, face.box.height);
    stored_face.score = face.score;
    std::array<cv::Point2d, kStoredLandmarkCount> points;
    for (std::size_t i = 0; i < kStoredLandmarkCount; ++i) {
      points[i] = cv::Point2d(face.landmarks[i].x, face.landmarks[i].y);
    }
    stored_face.landmarks = points;
    result.faces.push_back(stored_face);
  }
  return result;
}

// Keeps each image's record as it comes out of the pipeline, in input order.
class CollectingWriter : public RecordWriter {
 public:
  explicit CollectingWriter(std::vector<StoredRecord>& records) : records_(records) {}
  void write(const Record& record) override { records_.push_back(stored(record)); }
  void finish() override {}

 private:
  std::vector<StoredRecord>& records_;
};

std::vector<StoredRecord> run_detector(const std::vector<std::string>& images,
                                       const DetectorFlags& flags) {
  cv::setNumThreads(1);  // parallel over images, as in `mtcnn detect`
  std::vector<InputFile> inputs;
  for (const std::string& path : images) inputs.push_back({path, path, std::nullopt, {}});
  const std::size_t threads =
      std::clamp<std::size_t>(inputs.size(), 1, std::max(1u, flags.threads));
  std::vector<std::unique_ptr<FaceFinder>> finders = create_face_finders(flags, threads);

  std::vector<StoredRecord> records;
  CollectingWriter collector(records);
  ProgressBar progress(inputs.size(), !flags.quiet && stderr_is_terminal());
  const auto observe = [&progress](const ImageResult& result) {
    if (!result.record.ok()) {
      progress.clear();
      spdlog::warn("{}: {}", result.record.path, result.record.error->message);
    }
    progress.advance(!result.record.ok());
  };
  const BatchSummary summary =
      run_batch(inputs, finders, {{}, {&collector}}, default_window(threads), observe);
  progress.clear();
  log_batch_timings(summary, threads);
  return records;
}

std::vector<StoredRecord> read_and_pair(const std::vector<std::string>& images,
                                        const std::string& file) {
  std::vector<StoredRecord> stored_records;
  try {
    stored_records = read_detection_file(file);
  } catch (const DetectionFileError& e) {
    throw SetupError(e.what());
  }
  std::vector<std::string> stored_paths;
  for (const StoredRecord& r : stored_records) stored_paths.push_back(r.path);
  const RecordPairing pairing = pair_records(images, stored_paths);

  std::vector<StoredRecord> records(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) {
    records[i].path = images[i];
    records[i].failed = true;  // until a record pairs with it
  }
  for (const auto& [image, stored_index] : pairing.pairs) {
    records[image] = stored_records[stored_index];
    records[image].path = images[image];
  }
  if (!pairing.left_only.empty()) {
    spdlog::warn("{}: no record for {} of {} images (counted as finding nothing), e.g. {}", file,
                 pairing.left_only.size(), images.size(), images[pairing.left_only[0].index]);
  }
  return records;
}

}  // namespace

void add_detection_source_flags(CLI::App& command, DetectionSourceFlags& flags) {
  add_detector_flags(command, flags);
  CLI::Option* detections =
      command
          .add_option("--detections", flags.detections_file,
                      "Score this detection file (our record format, JSON Lines or array) "
                      "instead of running the detector; paths pair as in `mtcnn compare`")
          ->type_name("FILE");
  // Detector settings would be silently ignored with a file: refuse them instead.
  for (const char* name :
       {"--min-face", "--thresholds", "--scale-factor", "--clip-crops", "--max-side", "--models"}) {
    if (CLI::Option* detector_option = command.get_option_no_throw(name)) {
      detections->excludes(detector_option);
    }
  }
}

std::vector<StoredRecord> detections_for(const std::vector<std::string>& images,
                                         const DetectionSourceFlags& flags) {
  if (flags.detections_file) return read_and_pair(images, *flags.detections_file);
  return run_detector(images, flags);
}

}  // namespace mtcnn::cli
