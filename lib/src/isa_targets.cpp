#include "isa_targets.hpp"

#include <array>
#include <utility>

namespace mtcnn::detail {

std::optional<bool> cpu_has_feature(std::string_view name) {
#if MTCNN_X86_PATHS
  // __builtin_cpu_supports takes only a literal, hence one entry per extension the lists use.
  static const auto known = [] {
    __builtin_cpu_init();  // in case this runs before the constructor that fills the CPU model
    return std::array<std::pair<std::string_view, bool>, 9>{{
        {"avx2", __builtin_cpu_supports("avx2") != 0},
        {"fma", __builtin_cpu_supports("fma") != 0},
        {"bmi", __builtin_cpu_supports("bmi") != 0},
        {"bmi2", __builtin_cpu_supports("bmi2") != 0},
        {"avx512f", __builtin_cpu_supports("avx512f") != 0},
        {"avx512vl", __builtin_cpu_supports("avx512vl") != 0},
        {"avx512bw", __builtin_cpu_supports("avx512bw") != 0},
        {"avx512dq", __builtin_cpu_supports("avx512dq") != 0},
        {"avx512bf16", __builtin_cpu_supports("avx512bf16") != 0},
    }};
  }();
  for (const auto& [known_name, present] : known) {
    if (known_name == name) return present;
  }
#else
  (void)name;
#endif
  return std::nullopt;
}

bool cpu_has_features(std::string_view list) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::optional<bool> present = cpu_has_feature(list.substr(0, comma));
    if (!present.value_or(false)) return false;
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return true;
}

}  // namespace mtcnn::detail
