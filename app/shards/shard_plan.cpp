#include "shards/shard_plan.hpp"

#include <charconv>

#include "common/exit_status.hpp"

namespace mtcnn::cli {

namespace {

std::optional<std::size_t> number(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  std::size_t value = 0;
  const std::string_view view(text);
  const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (error != std::errc() || end != view.data() + view.size()) return std::nullopt;
  return value;
}

ShardPlan checked(std::size_t index, std::size_t count, const std::string& where) {
  if (count == 0 || index >= count) {
    throw SetupError("--shard: shard " + std::to_string(index) + " of " + std::to_string(count) +
                     " (" + where + ") is not one of 0.." +
                     (count == 0 ? std::string("?") : std::to_string(count - 1)));
  }
  return {index, count};
}

std::string names_list() {
  std::string text;
  for (const std::string& name : shard_environment_names())
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

std::vector<std::string> shard_environment_names() {
  return {"SLURM_ARRAY_TASK_ID",   "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN",
          "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX",   "AWS_BATCH_JOB_ARRAY_INDEX",
          "MTCNN_SHARDS"};
}

ShardPlan parse_shard(const std::string& text, std::optional<std::size_t> shards,
                      const std::function<const char*(const char*)>& getenv) {
  if (text != "auto") {
    const std::size_t slash = text.find('/');
    const auto index =
        slash == std::string::npos ? std::nullopt : number(text.substr(0, slash).c_str());
    const auto count =
        slash == std::string::npos ? std::nullopt : number(text.substr(slash + 1).c_str());
    if (!index || !count) {
      throw SetupError(
          "--shard takes K/N (this task's share K of N, from 0: 0/4 ... 3/4) or "
          "auto, got '" +
          text + "'");
    }
    return checked(*index, *count, "given");
  }
  if (!shards) shards = number(getenv("MTCNN_SHARDS"));
  // Slurm: an array 1-4 is four shares; with a step (0-30:10) the IDs are MIN + K * STEP.
  if (const auto id = number(getenv("SLURM_ARRAY_TASK_ID"))) {
    const auto count = number(getenv("SLURM_ARRAY_TASK_COUNT"));
    const std::size_t min = number(getenv("SLURM_ARRAY_TASK_MIN")).value_or(0);
    const std::size_t step =
        std::max<std::size_t>(1, number(getenv("SLURM_ARRAY_TASK_STEP")).value_or(1));
    if (!count)
      throw SetupError("--shard auto: SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT");
    if (*id < min || (*id - min) % step != 0) {
      throw SetupError("--shard auto: SLURM_ARRAY_TASK_ID " + std::to_string(*id) +
                       " is not MIN + k * STEP of the array");
    }
    return checked((*id - min) / step, *count, "from Slurm");
  }
  for (const char* name : {"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"}) {
    if (const auto index = number(getenv(name))) {
      if (!shards) {
        throw SetupError(std::string("--shard auto: ") + name +
                         " gives this task's index but not how many tasks there are: add "
                         "--shards N (or set MTCNN_SHARDS)");
      }
      return checked(*index, *shards, std::string("from ") + name);
    }
  }
  throw SetupError("--shard auto: no job array found in the environment (looked for " +
                   names_list() + "); give --shard K/N");
}

std::size_t shard_of(const std::string& path_bytes, std::size_t count) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a 64: fixed forever, like the shares
  for (const char c : path_bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return static_cast<std::size_t>(hash % count);
}

std::vector<InputFile> select_shard(const std::vector<InputFile>& inputs, const ShardPlan& plan) {
  if (plan.count == 1) return inputs;
  std::vector<InputFile> share;
  for (const InputFile& input : inputs) {
    if (shard_of(input.path.native(), plan.count) == plan.index) share.push_back(input);
  }
  return share;
}

std::string expand_shard_name(const std::string& pattern, const ShardPlan& plan) {
  const std::size_t width = std::to_string(plan.count).size();
  std::string number = std::to_string(plan.index);
  number.insert(0, width - std::min(width, number.size()), '0');
  std::string name = pattern;
  for (std::size_t at = name.find("{shard}"); at != std::string::npos;
       at = name.find("{shard}", at)) {
    name.replace(at, 7, number);
    at += number.size();
  }
  return name;
}

}  // namespace mtcnn::cli
