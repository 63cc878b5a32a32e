// --shard: the shares cover the inputs once, stay put when the dataset grows, and the engines'
// variables give the right share.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "common/exit_status.hpp"
#include "shards/shard_plan.hpp"

using namespace mtcnn::cli;

namespace {

std::vector<InputFile> inputs_named(std::size_t count, const std::string& prefix = "photos/") {
  std::vector<InputFile> inputs;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string path = prefix + "img" + std::to_string(i) + ".jpg";
    inputs.push_back({path, path, std::nullopt, {}});
  }
  // In input order, as expand_inputs gives them.
  std::sort(inputs.begin(), inputs.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  return inputs;
}

ShardPlan from_environment(std::map<std::string, std::string> env,
                           std::optional<std::size_t> shards = {}) {
  return parse_shard("auto", shards, [env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

}  // namespace

TEST_CASE("shards: the shares are disjoint, cover every input and keep its order", "[shards]") {
  const auto inputs = inputs_named(1000);
  std::multiset<std::string> seen;
  for (std::size_t k = 0; k < 7; ++k) {
    const auto share = select_shard(inputs, {k, 7});
    CHECK(share.size() > 100);  // a hash spreads 1000 inputs over 7 shares
    CHECK(share.size() < 190);
    for (std::size_t i = 1; i < share.size(); ++i) CHECK(share[i - 1].path < share[i].path);
    for (const InputFile& input : share) seen.insert(input.path.string());
  }
  CHECK(seen.size() == inputs.size());
  for (const InputFile& input : inputs) CHECK(seen.count(input.path.string()) == 1);
}

TEST_CASE("shards: a file stays in its share when the dataset grows", "[shards]") {
  const auto before = select_shard(inputs_named(300), {2, 5});
  const auto after = select_shard(inputs_named(900), {2, 5});
  std::set<std::string> grown;
  for (const InputFile& input : after) grown.insert(input.path.string());
  for (const InputFile& input : before) CHECK(grown.count(input.path.string()) == 1);
  // And the hash is fixed forever (FNV-1a 64 of the bytes, here computed apart in Python): a
  // change would move files between the shares of runs already under way.
  CHECK(shard_of("photos/img0.jpg", 1000) == 15279409793934599673ull % 1000);
  CHECK(shard_of("", 7) == 14695981039346656037ull % 7);
}

TEST_CASE("shards: K/N is checked", "[shards]") {
  const auto none = [](const char*) -> const char* { return nullptr; };
  CHECK(parse_shard("3/4", std::nullopt, none).index == 3);
  CHECK(parse_shard("3/4", std::nullopt, none).count == 4);
  for (const char* bad : {"4/4", "1/0", "x/4", "1-4", "1/4x", "-1/4", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_shard(bad, std::nullopt, none), SetupError);
  }
}

TEST_CASE("shards: --shard auto reads Slurm, Kubernetes and AWS Batch", "[shards]") {
  // A Slurm array 1-4 is four shares, whatever its first ID.
  const ShardPlan slurm = from_environment({{"SLURM_ARRAY_TASK_ID", "3"},
                                            {"SLURM_ARRAY_TASK_COUNT", "4"},
                                            {"SLURM_ARRAY_TASK_MIN", "1"}});
  CHECK((slurm.index == 2 && slurm.count == 4));
  // With a step: 0-30:10 gives IDs 0, 10, 20, 30.
  const ShardPlan stepped = from_environment({{"SLURM_ARRAY_TASK_ID", "20"},
                                              {"SLURM_ARRAY_TASK_COUNT", "4"},
                                              {"SLURM_ARRAY_TASK_MIN", "0"},
                                              {"SLURM_ARRAY_TASK_STEP", "10"}});
  CHECK((stepped.index == 2 && stepped.count == 4));
  const ShardPlan k8s = from_environment({{"JOB_COMPLETION_INDEX", "5"}}, 8);
  CHECK((k8s.index == 5 && k8s.count == 8));
  const ShardPlan k8s_env =
      from_environment({{"JOB_COMPLETION_INDEX", "1"}, {"MTCNN_SHARDS", "2"}});
  CHECK((k8s_env.index == 1 && k8s_env.count == 2));
  const ShardPlan aws = from_environment({{"AWS_BATCH_JOB_ARRAY_INDEX", "0"}}, 3);
  CHECK((aws.index == 0 && aws.count == 3));

  CHECK_THROWS_WITH(from_environment({}), Catch::Contains("SLURM_ARRAY_TASK_ID") &&
                                              Catch::Contains("JOB_COMPLETION_INDEX") &&
                                              Catch::Contains("AWS_BATCH_JOB_ARRAY_INDEX"));
  CHECK_THROWS_WITH(from_environment({{"JOB_COMPLETION_INDEX", "1"}}),
                    Catch::Contains("--shards N"));
  CHECK_THROWS_AS(from_environment({{"JOB_COMPLETION_INDEX", "4"}}, 4), SetupError);
}

TEST_CASE("shards: {shard} becomes K, padded to N's width", "[shards]") {
  CHECK(expand_shard_name("out/faces-{shard}.jsonl", {3, 12}) == "out/faces-03.jsonl");
  CHECK(expand_shard_name("{shard}/{shard}", {7, 1000}) == "0007/0007");
  CHECK(expand_shard_name("plain.jsonl", {1, 4}) == "plain.jsonl");
  CHECK(expand_shard_name("f-{shard}", {2, 4}) == "f-2");
}
