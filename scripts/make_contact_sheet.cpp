// Draws docs/alignment.md's picture: the aligned crops of a folder in a grid, beside ArcFace's
// template drawn at 4x (its five points on a 448 x 448 square), so a reader sees at a glance
// that every crop puts the eyes, nose and mouth corners where the template has them.
//
//   make_contact_sheet CROPS_DIR OUT.png
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <mtcnn/alignment.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_contact_sheet CROPS_DIR OUT.png\n";
    return 2;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(argv[1])) {
    if (entry.path().extension() == ".png" || entry.path().extension() == ".jpg") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "make_contact_sheet: no crops in " << argv[1] << "\n";
    return 1;
  }

  constexpr int kTile = 112, kGap = 4, kColumns = 6, kTemplate = 448;
  const int rows = static_cast<int>((files.size() + kColumns - 1) / kColumns);
  const int grid_height = rows * (kTile + kGap) + kGap;
  cv::Mat sheet(std::max(grid_height, kTemplate + 2 * kGap),
                kColumns * (kTile + kGap) + kTemplate + 3 * kGap, CV_8UC3,
                cv::Scalar(255, 255, 255));
  for (std::size_t i = 0; i < files.size(); ++i) {
    cv::Mat crop = cv::imread(files[i].string());
    if (crop.empty()) continue;
    if (crop.size() != cv::Size(kTile, kTile)) cv::resize(crop, crop, {kTile, kTile});
    const int x = kGap + static_cast<int>(i % kColumns) * (kTile + kGap);
    const int y = kGap + static_cast<int>(i / kColumns) * (kTile + kGap);
    crop.copyTo(sheet(cv::Rect(x, y, kTile, kTile)));
    // The template's points on every crop, small, to compare at a glance.
    for (const cv::Point2d& p : mtcnn::arcface_template(kTile)) {
      cv::circle(sheet, cv::Point2d(x, y) + p, 2, cv::Scalar(0, 255, 0), -1, cv::LINE_AA);
    }
  }

  // The template at 4x: a grey square with its five points and their names.
  const cv::Point origin(kColumns * (kTile + kGap) + 2 * kGap, kGap);
  cv::Mat square = sheet(cv::Rect(origin, cv::Size(kTemplate, kTemplate)));
  square.setTo(cv::Scalar(60, 60, 60));
  const char* names[] = {"left eye", "right eye", "nose", "mouth left", "mouth right"};
  const auto points = mtcnn::arcface_template(kTemplate);
  for (int i = 0; i < mtcnn::kLandmarkCount; ++i) {
    cv::circle(square, points[i], 8, cv::Scalar(0, 255, 0), -1, cv::LINE_AA);
    cv::putText(square, names[i], points[i] + cv::Point2d(-40, i < 2 ? -16 : 30),
                cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  }
  cv::putText(square, "ArcFace template, 4x", {12, kTemplate - 14}, cv::FONT_HERSHEY_SIMPLEX, 0.6,
              cv::Scalar(200, 200, 200), 1, cv::LINE_AA);
  if (!cv::imwrite(argv[2], sheet)) {
    std::cerr << "make_contact_sheet: cannot write " << argv[2] << "\n";
    return 1;
  }
  std::cout << argv[2] << ": " << files.size() << " crops\n";
  return 0;
}
