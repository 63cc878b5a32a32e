// How the reports of `mtcnn compare` and `mtcnn eval` give a figure that can be missing (a mean
// over no faces): 4 decimals or "n/a" in the table on stderr, 5 decimals or null in the JSON
// summary line.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mtcnn::cli {

std::string figure(std::optional<double> value);

nlohmann::ordered_json summary_figure(std::optional<double> value);

}  // namespace mtcnn::cli
