#include "compare/report_figures.hpp"

#include <fmt/format.h>

#include "records/record.hpp"

namespace mtcnn::cli {

std::string figure(std::optional<double> value) {
  return value ? fmt::format("{:.4f}", *value) : "n/a";
}

nlohmann::ordered_json summary_figure(std::optional<double> value) {
  if (!value) return nullptr;
  return round_to(*value, 5);
}

}  // namespace mtcnn::cli
