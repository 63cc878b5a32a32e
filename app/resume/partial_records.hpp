// Reading back an unfinished output (FILE.partial) for --resume: which records are whole, where
// the file must be cut (a record torn by a kill), and which inputs they belong to. Records are
// written in input order, so the whole ones are those of the first inputs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mtcnn::cli {

struct PartialRecords {
  std::uintmax_t keep_bytes = 0;   // the file up to the end of its last whole record
  std::vector<std::string> paths;  // each whole record's exact path bytes, in order
  std::vector<std::string> crops;  // every "crop" they name (files or SHARD:MEMBER), in order
};

enum class RecordLayout { kJsonLines, kJsonArray };

// Throws std::runtime_error when the file holds something that is not a record of ours.
PartialRecords read_partial_records(const std::filesystem::path& partial, RecordLayout layout);

}  // namespace mtcnn::cli
