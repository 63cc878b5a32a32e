// The run-time CPU check against the extensions the vector kernels are compiled for.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "direct_conv.hpp"
#include "isa_targets.hpp"

using namespace mtcnn::detail;

namespace {

std::vector<std::string> split(std::string_view list) {
  std::vector<std::string> names;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    names.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return names;
}

}  // namespace

TEST_CASE("a feature list with a name the check does not know is not supported", "[isa]") {
  CHECK_FALSE(cpu_has_feature("no-such-extension").has_value());
  CHECK_FALSE(cpu_has_features("no-such-extension"));
  CHECK_FALSE(cpu_has_features("fma,no-such-extension"));
  CHECK(cpu_has_features(""));
}

TEST_CASE("each vector path runs only where the CPU has every extension it is compiled for",
          "[isa]") {
  if (!MTCNN_X86_PATHS) {
    CHECK_FALSE(conv_isa_supported(ConvIsa::kAvx2));
    return;
  }
  for (const ConvIsa isa : {ConvIsa::kAvx2, ConvIsa::kAvx512, ConvIsa::kAvx512Bf16}) {
    // The list the kernels' target attributes are built from.
    const std::vector<std::string> names = split(conv_isa_features(isa));
    REQUIRE_FALSE(names.empty());
    bool all = true;
    for (const std::string& name : names) {
      INFO("isa " << static_cast<int>(isa) << ": " << name);
      const std::optional<bool> present = cpu_has_feature(name);
      REQUIRE(present.has_value());  // an extension the run-time check does not look for
      all = all && *present;
    }
    CHECK(conv_isa_supported(isa) == all);
  }
  CHECK(conv_isa_features(ConvIsa::kScalar).empty());
  CHECK(conv_isa_supported(ConvIsa::kScalar));
}
