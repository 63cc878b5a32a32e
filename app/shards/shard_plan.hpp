// Splitting one dataset over many tasks (--shard K/N): which inputs this task handles, and the
// per-task names of its outputs ({shard} in -o, --annotate, --crops, --timings).
//
// An input belongs to shard FNV-1a-64(its exact path bytes) mod N. A hash rather than ranges of
// the sorted list, because a file then stays in its shard when the dataset grows (a rerun over
// more photos leaves the other tasks' shares alone), and because photos of one folder, often
// alike in size, spread over all tasks instead of loading one. The shares are disjoint and cover
// every input; each keeps input order, so `mtcnn merge` restores the one order of a single run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "inputs/input_list.hpp"

namespace mtcnn::cli {

struct ShardPlan {
  std::size_t index = 0;  // K, from 0
  std::size_t count = 1;  // N
};

// The engine variables --shard auto reads, in the order they are tried.
std::vector<std::string> shard_environment_names();

// "K/N", or "auto": K (and N) from the environment of a Slurm job array, a Kubernetes Indexed
// Job or an AWS Batch array job; `shards` is --shards N (Kubernetes and AWS Batch do not pass
// the count). `getenv` is injectable for the tests. Throws SetupError with what is wrong.
ShardPlan parse_shard(const std::string& text, std::optional<std::size_t> shards,
                      const std::function<const char*(const char*)>& getenv);

std::size_t shard_of(const std::string& path_bytes, std::size_t count);

// The inputs of this shard, in their order.
std::vector<InputFile> select_shard(const std::vector<InputFile>& inputs, const ShardPlan& plan);

// Replaces every "{shard}" with K, zero-padded to the width of N ("03" of 12 shards).
std::string expand_shard_name(const std::string& pattern, const ShardPlan& plan);

}  // namespace mtcnn::cli
