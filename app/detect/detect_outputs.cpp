#include "detect/detect_outputs.hpp"

#include "common/exit_status.hpp"
#include "crops/crop_files.hpp"
#include "crops/crop_shards.hpp"
#include "outputs/annotated_copies.hpp"
#include "outputs/output_tree.hpp"
#include "records/coco_writer.hpp"
#include "records/json_array_writer.hpp"
#include "records/json_lines_writer.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

std::optional<fs::path> output_file(const DetectOptions& options) {
  if (options.output && *options.output != "-") return fs::path(*options.output);
  return std::nullopt;
}

std::unique_ptr<RecordWriter> create_record_writer(const DetectOptions& options,
                                                   const std::optional<ResumePoint>& resume) {
  const std::optional<fs::path> file = output_file(options);
  TextOutput out = [&] {
    try {
      return TextOutput(file, resume ? std::optional(resume->keep_bytes) : std::nullopt);
    } catch (const std::exception& e) {
      throw SetupError(std::string(e.what()) + " (for -o)");
    }
  }();
  switch (options.format) {
    case OutputFormat::kJsonArray:
      return std::make_unique<JsonArrayWriter>(std::move(out), resume && resume->done > 0);
    case OutputFormat::kCoco:
      return std::make_unique<CocoWriter>(std::move(out), CocoWriter::spool_folder_for(file));
    case OutputFormat::kJsonLines:
      break;
  }
  return std::make_unique<JsonLinesWriter>(std::move(out));
}

}  // namespace

BatchOutputs DetectOutputs::batch() const {
  BatchOutputs outputs{{}, {records.get()}};
  if (annotated) outputs.images.push_back(annotated.get());
  if (crops) outputs.images.push_back(crops.get());
  return outputs;
}

void check_detect_outputs(const DetectOptions& options, const std::vector<std::string>& given,
                          const std::vector<InputFile>& inputs) {
  if (options.annotate_dir) {
    check_output_folder_outside_inputs(*options.annotate_dir, given, "--annotate");
    check_distinct_output_names(inputs, &AnnotatedCopies::output_name, *options.annotate_dir,
                                "--annotate");
  }
  const CropOptions& crops = options.crops;
  if (crops.target && is_shard_pattern(*crops.target)) {
    check_distinct_output_names(
        inputs, [](const fs::path& mirror) { return fs::path(CropShards::sample_key(mirror, 0)); },
        *crops.target, "--crops");
  } else if (crops.target) {
    check_output_folder_outside_inputs(*crops.target, given, "--crops");
    check_distinct_output_names(inputs, &CropFiles::stem_of, *crops.target, "--crops");
  }
  if (const auto file = output_file(options)) check_not_an_input(*file, inputs, "-o");
  if (options.timings) check_not_an_input(*options.timings, inputs, "--timings");
}

DetectOutputs create_detect_outputs(const DetectOptions& options,
                                    const std::vector<InputFile>& inputs,
                                    const std::optional<ResumePoint>& resume) {
  DetectOutputs outputs;
  if (options.annotate_dir) {
    outputs.annotated =
        std::make_unique<AnnotatedCopies>(OutputTree(*options.annotate_dir, "--annotate", inputs));
  }
  const CropOptions& crops = options.crops;
  if (crops.target && is_shard_pattern(*crops.target)) {
    auto shards = std::make_unique<CropShards>(crops);
    if (resume) {
      try {
        shards->resume_after(resume->kept_crops);
      } catch (const std::exception& e) {
        throw SetupError(std::string("cannot resume the crop shards: ") + e.what());
      }
    }
    outputs.shards = shards.get();
    outputs.crops = std::move(shards);
  } else if (crops.target) {
    outputs.crops =
        std::make_unique<CropFiles>(OutputTree(*crops.target, "--crops", inputs), crops);
  }
  outputs.records = create_record_writer(options, resume);
  if (options.timings) {
    try {
      outputs.timings.emplace(*options.timings, resume.has_value());
    } catch (const std::exception& e) {
      throw SetupError(e.what());
    }
  }
  return outputs;
}

}  // namespace mtcnn::cli
