#include "merge/merge_command.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <queue>

#include "common/exit_status.hpp"
#include "common/logging.hpp"
#include "common/wording.hpp"
#include "inputs/input_list.hpp"
#include "merge/record_stream.hpp"
#include "records/text_output.hpp"

namespace fs = std::filesystem;

namespace mtcnn::cli {

namespace {

// The inputs the merged file must hold, walked and sorted exactly as detect does.
std::optional<std::vector<InputFile>> expected_inputs(const MergeOptions& options) {
  std::vector<std::string> paths = options.expect_paths;
  if (options.expect) {
    std::ifstream list(*options.expect);
    if (!list) throw SetupError("cannot read --expect-list " + *options.expect);
    const std::vector<std::string> listed = read_path_list(list);
    paths.insert(paths.end(), listed.begin(), listed.end());
  }
  if (paths.empty() && !options.expect) return std::nullopt;
  return expand_inputs(paths, {options.include_hidden});
}

// Writes records as detect's formats do: one per line, or one per line inside "[" and "]".
class MergedOutput {
 public:
  MergedOutput(TextOutput out, bool array) : out_(std::move(out)), array_(array) {}
  void add(const std::string& line) {
    if (array_)
      out_.stream() << (empty_ ? "[\n" : ",\n") << line;
    else
      out_.stream() << line << '\n';
    empty_ = false;
    out_.end_record();
  }
  void finish() {
    if (array_) out_.stream() << (empty_ ? "[]\n" : "\n]\n");
    out_.close();
  }

 private:
  TextOutput out_;
  bool array_;
  bool empty_ = true;
};

struct Head {
  fs::path path;
  std::size_t stream;
};

// The k-way merge itself; throws SetupError when the files overlap or are out of order.
int merge_records(std::vector<std::unique_ptr<RecordStream>>& streams,
                  const std::optional<std::vector<InputFile>>& expected, MergedOutput& out,
                  const MergeOptions& options) {
  // A k-way merge by input order (the order detect sorts paths in), one record held per file.
  const auto later = [](const Head& a, const Head& b) { return b.path < a.path; };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  std::vector<StreamedRecord> current(streams.size());
  const auto advance = [&](std::size_t i) {
    std::optional<StreamedRecord> record;
    try {
      record = streams[i]->next();
    } catch (const std::exception& e) {
      throw SetupError(e.what());
    }
    if (!record) return;
    const fs::path path = record->path;
    if (record->number > 1 && !(fs::path(current[i].path) < path)) {
      throw SetupError(streams[i]->file().string() + ": record " + std::to_string(record->number) +
                       " (" + record->path + ") is not after " + current[i].path +
                       " in input order: not one task's output of mtcnn detect");
    }
    current[i] = std::move(*record);
    heads.push({path, i});
  };
  for (std::size_t i = 0; i < streams.size(); ++i) advance(i);

  std::size_t merged = 0, missing = 0, next_expected = 0;
  std::optional<fs::path> previous;
  std::size_t previous_stream = 0;
  while (!heads.empty()) {
    const Head head = heads.top();
    heads.pop();
    if (previous && *previous == head.path) {
      throw SetupError("the record of " + head.path.string() + " is in both " +
                       streams[previous_stream]->file().string() + " and " +
                       streams[head.stream]->file().string() +
                       ": the outputs overlap (the same shard twice?)");
    }
    if (expected) {
      for (; next_expected < expected->size() && (*expected)[next_expected].path < head.path;
           ++next_expected) {
        std::cerr << "missing: " << (*expected)[next_expected].path.string() << '\n';
        ++missing;
      }
      if (next_expected < expected->size() && (*expected)[next_expected].path == head.path) {
        ++next_expected;
      } else {
        spdlog::warn("{}: not among the expected inputs", head.path.string());
      }
    }
    out.add(current[head.stream].line);
    ++merged;
    previous = head.path;
    previous_stream = head.stream;
    advance(head.stream);
  }
  if (expected) {
    for (; next_expected < expected->size(); ++next_expected) {
      std::cerr << "missing: " << (*expected)[next_expected].path.string() << '\n';
      ++missing;
    }
  }
  out.finish();
  if (!options.quiet) {
    std::cerr << "mtcnn: merged " << counted(merged, "record") << " from "
              << counted(streams.size(), "file");
    if (expected)
      std::cerr << "; " << missing << " of " << counted(expected->size(), "expected input")
                << " missing";
    std::cerr << '\n';
  }
  return missing > 0 ? kExitSomeFailed : kExitOk;
}

}  // namespace

void add_merge_options(CLI::App& command, MergeOptions& options) {
  command.add_option("files", options.files, "The tasks' outputs (JSON Lines or JSON arrays)")
      ->required()
      ->type_name("FILE");
  command
      .add_option("-o,--output", options.output,
                  "Write the merged records to FILE (streamed as FILE.partial, renamed when "
                  "complete) instead of standard output")
      ->type_name("FILE");
  command
      .add_option("--expect-list", options.expect,
                  "Report inputs of this list (one path per line, as detect --files-from) that no "
                  "task wrote a record for: exit 1, the paths on stderr")
      ->type_name("LIST");
  command
      .add_option("--expect", options.expect_paths,
                  "The same: a path given to detect (a folder is walked as detect walks it); "
                  "repeat for several")
      ->type_name("PATH")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command.add_flag("--hidden", options.include_hidden,
                   "Walk into hidden files and folders for --expect, as detect --hidden does");
  command.add_flag("-q,--quiet", options.quiet, "Only report errors");
}

int run_merge(const MergeOptions& options) {
  configure_logging(options.quiet ? spdlog::level::err : spdlog::level::warn);
  const std::optional<std::vector<InputFile>> expected = expected_inputs(options);

  std::vector<std::unique_ptr<RecordStream>> streams;
  try {
    for (const std::string& file : options.files) {
      streams.push_back(std::make_unique<RecordStream>(file));
    }
  } catch (const std::exception& e) {
    throw SetupError(e.what());
  }
  const bool array = streams.front()->is_array();
  for (const auto& stream : streams) {
    if (stream->is_array() != array) {
      throw SetupError("cannot merge " + streams.front()->file().string() + " and " +
                       stream->file().string() + ": one is a JSON array, the other JSON Lines");
    }
  }

  std::optional<fs::path> file;
  if (options.output && *options.output != "-") file = *options.output;
  MergedOutput out = [&] {
    try {
      return MergedOutput(TextOutput(file), array);
    } catch (const std::exception& e) {
      throw SetupError(std::string(e.what()) + " (for -o)");
    }
  }();

  // merge has no --resume: a refused merge (overlapping or unordered files) leaves no
  // FILE.partial behind to be mistaken for output.
  try {
    return merge_records(streams, expected, out, options);
  } catch (...) {
    if (file) {
      std::error_code ec;
      fs::remove(partial_path_for(*file), ec);
    }
    throw;
  }
}

}  // namespace mtcnn::cli
