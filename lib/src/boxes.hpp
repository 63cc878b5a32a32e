// Candidate boxes and the geometry the cascade applies to them.
//
// Boxes follow the original MATLAB code: 1-based pixel indices, corners inclusive, so a box
// from x1 to x2 is x2 - x1 + 1 pixels wide. Keeping that convention inside makes every step
// comparable with the reference; conversion to 0-based [x, y, w, h] happens once, at the end.
// Corners keep their fractions between stages, as in the reference implementation (the
// original truncates them after each stage); only the crops are cut at truncated corners.
#pragma once

#include <array>
#include <vector>

namespace mtcnn::detail {

struct Candidate {
  float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  float score = 0;
  std::array<float, 4> reg{};  // offsets of x1, y1, x2, y2 in units of the box size
};

enum class Overlap { kUnion, kMin };

// Greedy non-maximum suppression: indices of the kept boxes, best score first. A box is
// dropped when its overlap with a kept one exceeds threshold.
std::vector<int> nms(const std::vector<Candidate>& boxes, float threshold, Overlap overlap);

// Keeps the boxes at the given indices, in that order.
std::vector<Candidate> select(const std::vector<Candidate>& boxes, const std::vector<int>& keep);

// Applies P-Net's regression: offsets scaled by x2 - x1 (the original's first stage omits the +1).
void regress_pnet(std::vector<Candidate>& boxes);

// Applies R-Net's or O-Net's regression: offsets scaled by the inclusive width x2 - x1 + 1.
void regress(std::vector<Candidate>& boxes);

// Grows each box into a square around its centre, side = the longer side.
void make_square(std::vector<Candidate>& boxes);

}  // namespace mtcnn::detail
