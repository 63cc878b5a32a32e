// One-to-one assignment of rows to columns maximising the total weight (the Hungarian method),
// as the FDDB protocol matches detections to annotated faces.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace mtcnn::cli {

// weights[r][c] >= 0, every row the same length (rows and columns may differ in number). Returns
// for each row its column, or nothing when the row is left out (more rows than columns). Pairs of
// weight 0 may appear in the assignment; callers treat them as unmatched.
std::vector<std::optional<std::size_t>> max_weight_assignment(
    const std::vector<std::vector<double>>& weights);

}  // namespace mtcnn::cli
