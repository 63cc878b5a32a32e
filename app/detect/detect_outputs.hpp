// Everything `mtcnn detect` writes, checked and created before the models load: annotated
// copies, crops, the records (-o or stdout), timings. A refusal costs the user nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "detect/detect_options.hpp"
#include "detect/pipeline.hpp"
#include "detect/timings_log.hpp"
#include "inputs/input_list.hpp"

namespace mtcnn::cli {

class CropShards;

// Where an earlier, unfinished run stopped (--resume): its whole records and where they end.
struct ResumePoint {
  std::size_t done = 0;                 // inputs whose records are kept
  std::uintmax_t keep_bytes = 0;        // of FILE.partial
  std::vector<std::string> kept_crops;  // the crops those records name
};

struct DetectOutputs {
  std::unique_ptr<ImageOutput> annotated;
  std::unique_ptr<ImageOutput> crops;
  CropShards* shards = nullptr;  // crops, when they go into tar shards
  std::unique_ptr<RecordWriter> records;
  std::optional<TimingsLog> timings;

  BatchOutputs batch() const;
};

// Refuses (SetupError) outputs that would harm inputs or could not be written. `given` are the
// paths the user named.
void check_detect_outputs(const DetectOptions& options, const std::vector<std::string>& given,
                          const std::vector<InputFile>& inputs);

// Creates them; with a resume point, continuing the unfinished ones. `inputs` is the whole list
// (of every shard): none of them is ever written over. Throws SetupError.
DetectOutputs create_detect_outputs(const DetectOptions& options,
                                    const std::vector<InputFile>& inputs,
                                    const std::optional<ResumePoint>& resume);

}  // namespace mtcnn::cli
