#include "boxes.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mtcnn::detail {

namespace {

// The union overlap uses continuous areas, (x2 - x1) * (y2 - y1), as the reference implementation
// does; the "Min" overlap keeps the original's inclusive pixel areas, +1 on each side, as the
// reference does too. On the FDDB images this choice alone moves agreement with the reference
// by more than a point.
float overlap_of(const Candidate& a, const Candidate& b, Overlap kind) {
  const float pad = kind == Overlap::kMin ? 1.0f : 0.0f;
  const float w = std::max(0.0f, std::min(a.x2, b.x2) - std::max(a.x1, b.x1) + pad);
  const float h = std::max(0.0f, std::min(a.y2, b.y2) - std::max(a.y1, b.y1) + pad);
  const float inter = w * h;
  const float area_a = (a.x2 - a.x1 + pad) * (a.y2 - a.y1 + pad);
  const float area_b = (b.x2 - b.x1 + pad) * (b.y2 - b.y1 + pad);
  const float denom = kind == Overlap::kMin ? std::min(area_a, area_b) : area_a + area_b - inter;
  return denom > 0 ? inter / denom : 0.0f;
}

}  // namespace

std::vector<int> nms(const std::vector<Candidate>& boxes, float threshold, Overlap overlap) {
  std::vector<int> order(boxes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return boxes[a].score > boxes[b].score; });

  std::vector<int> keep;
  std::vector<bool> dropped(boxes.size(), false);
  for (size_t i = 0; i < order.size(); ++i) {
    if (dropped[order[i]]) continue;
    const Candidate& best = boxes[order[i]];
    keep.push_back(order[i]);
    for (size_t j = i + 1; j < order.size(); ++j) {
      if (!dropped[order[j]] && overlap_of(best, boxes[order[j]], overlap) > threshold)
        dropped[order[j]] = true;
    }
  }
  return keep;
}

std::vector<Candidate> select(const std::vector<Candidate>& boxes, const std::vector<int>& keep) {
  std::vector<Candidate> out;
  out.reserve(keep.size());
  for (int i : keep) out.push_back(boxes[i]);
  return out;
}

namespace {

void shift_corners(Candidate& b, float w, float h) {
  b.x1 += b.reg[0] * w;
  b.y1 += b.reg[1] * h;
  b.x2 += b.reg[2] * w;
  b.y2 += b.reg[3] * h;
}

}  // namespace

void regress_pnet(std::vector<Candidate>& boxes) {
  for (Candidate& b : boxes) shift_corners(b, b.x2 - b.x1, b.y2 - b.y1);
}

void regress(std::vector<Candidate>& boxes) {
  for (Candidate& b : boxes) shift_corners(b, b.x2 - b.x1 + 1, b.y2 - b.y1 + 1);
}

void make_square(std::vector<Candidate>& boxes) {
  for (Candidate& b : boxes) {
    const float w = b.x2 - b.x1;
    const float h = b.y2 - b.y1;
    const float side = std::max(w, h);
    b.x1 += w * 0.5f - side * 0.5f;
    b.y1 += h * 0.5f - side * 0.5f;
    b.x2 = b.x1 + side;
    b.y2 = b.y1 + side;
  }
}

}  // namespace mtcnn::detail
