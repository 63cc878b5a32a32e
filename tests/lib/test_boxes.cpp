#include <catch2/catch.hpp>

#include "boxes.hpp"

using namespace mtcnn::detail;

namespace {

Candidate box(float x1, float y1, float x2, float y2, float score = 1.0f) {
  Candidate c;
  c.x1 = x1;
  c.y1 = y1;
  c.x2 = x2;
  c.y2 = y2;
  c.score = score;
  return c;
}

}  // namespace

TEST_CASE("NMS keeps the best of overlapping boxes, best first", "[nms]") {
  const std::vector<Candidate> boxes{box(0, 0, 10, 10, 0.8f), box(1, 1, 11, 11, 0.9f),
                                     box(50, 50, 60, 60, 0.7f)};
  CHECK(nms(boxes, 0.5f, Overlap::kUnion) == std::vector<int>{1, 2});
}

TEST_CASE("NMS union overlap is intersection over union of the areas", "[nms]") {
  // Areas 100 and 100, intersection 50: IoU = 50 / 150 = 1/3.
  const std::vector<Candidate> boxes{box(0, 0, 10, 10, 0.9f), box(5, 0, 15, 10, 0.8f)};
  CHECK(nms(boxes, 0.3f, Overlap::kUnion).size() == 1);
  CHECK(nms(boxes, 0.34f, Overlap::kUnion).size() == 2);
}

TEST_CASE("NMS min overlap drops a box nested in a better one", "[nms]") {
  // IoU is small (16 / 100) but the nested box is covered entirely.
  const std::vector<Candidate> boxes{box(0, 0, 9, 9, 0.9f), box(2, 2, 5, 5, 0.8f)};
  CHECK(nms(boxes, 0.7f, Overlap::kUnion).size() == 2);
  CHECK(nms(boxes, 0.7f, Overlap::kMin) == std::vector<int>{0});
}

TEST_CASE("NMS on nothing is nothing", "[nms]") { CHECK(nms({}, 0.5f, Overlap::kUnion).empty()); }

TEST_CASE("P-Net regression scales offsets by the corner distance", "[regression]") {
  std::vector<Candidate> boxes{box(10, 10, 20, 30)};
  boxes[0].reg = {0.1f, 0.2f, -0.1f, 0.5f};
  regress_pnet(boxes);
  CHECK(boxes[0].x1 == Approx(11));
  CHECK(boxes[0].y1 == Approx(14));
  CHECK(boxes[0].x2 == Approx(19));
  CHECK(boxes[0].y2 == Approx(40));
}

TEST_CASE("R-Net and O-Net regression scales offsets by the inclusive size", "[regression]") {
  std::vector<Candidate> boxes{box(10, 10, 19, 29)};  // 10 x 20 pixels
  boxes[0].reg = {0.1f, 0.2f, -0.1f, 0.5f};
  regress(boxes);
  CHECK(boxes[0].x1 == Approx(11));
  CHECK(boxes[0].y1 == Approx(14));
  CHECK(boxes[0].x2 == Approx(18));
  CHECK(boxes[0].y2 == Approx(39));
}

TEST_CASE("squaring grows the short side around the centre", "[square]") {
  std::vector<Candidate> boxes{box(10, 10, 20, 30), box(0, 0, 40, 10)};
  make_square(boxes);
  CHECK(boxes[0].x1 == Approx(5));
  CHECK(boxes[0].x2 == Approx(25));
  CHECK(boxes[0].y1 == Approx(10));
  CHECK(boxes[0].y2 == Approx(30));
  CHECK(boxes[1].y1 == Approx(-15));
  CHECK(boxes[1].y2 == Approx(25));
  CHECK(boxes[1].x2 - boxes[1].x1 == Approx(40));
}

TEST_CASE("select keeps the listed boxes in the listed order", "[nms]") {
  const std::vector<Candidate> boxes{box(0, 0, 1, 1, 0.1f), box(0, 0, 2, 2, 0.2f),
                                     box(0, 0, 3, 3, 0.3f)};
  const auto picked = select(boxes, {2, 0});
  REQUIRE(picked.size() == 2);
  CHECK(picked[0].score == Approx(0.3f));
  CHECK(picked[1].score == Approx(0.1f));
}
