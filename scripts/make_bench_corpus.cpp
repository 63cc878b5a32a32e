// Builds scripts/bench.sh's fixed corpus from the sample photos, in two folders timed apart:
// OUT_DIR/640/ holds each photo shrunk to 640 px wide and three 4:3 crops of it at 640x480
// (everyday photo sizes, faces at several scales); OUT_DIR/4000x3000/ holds one mosaic of four
// photos (a large camera photo, where copies and buffers show).
//
//   make_bench_corpus SAMPLES_DIR OUT_DIR
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

void save(const fs::path& path, const cv::Mat& image) {
  if (!cv::imwrite(path.string(), image, {cv::IMWRITE_JPEG_QUALITY, 90}))
    throw std::runtime_error("cannot write " + path.string());
}

cv::Mat resized(const cv::Mat& image, cv::Size size) {
  cv::Mat out;
  cv::resize(image, out, size, 0, 0, cv::INTER_AREA);
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::cerr << "usage: make_bench_corpus SAMPLES_DIR OUT_DIR\n";
    return 2;
  }
  std::vector<fs::path> photos;
  for (const auto& entry : fs::directory_iterator(argv[1]))
    if (entry.path().extension() == ".jpg") photos.push_back(entry.path());
  std::sort(photos.begin(), photos.end());
  if (photos.size() < 4)
    throw std::runtime_error("need at least 4 .jpg photos in " + std::string(argv[1]));
  const fs::path out = fs::path(argv[2]) / "640";
  const fs::path large = fs::path(argv[2]) / "4000x3000";
  fs::create_directories(out);
  fs::create_directories(large);

  std::vector<cv::Mat> images;
  for (const fs::path& photo : photos) {
    const cv::Mat image = cv::imread(photo.string(), cv::IMREAD_COLOR);
    if (image.empty()) throw std::runtime_error("cannot decode " + photo.string());
    images.push_back(image);
    const std::string stem = photo.stem().string();
    const int height = image.rows * 640 / image.cols;
    save(out / (stem + "-640.jpg"), resized(image, {640, height}));
    // Left, middle and right 4:3 crops of the full height.
    const int crop_width = std::min(image.cols, image.rows * 4 / 3);
    for (int k = 0; k < 3; ++k) {
      const int x = (image.cols - crop_width) * k / 2;
      const cv::Rect crop(x, 0, crop_width, image.rows);
      save(out / (stem + "-crop" + std::to_string(k) + "-640x480.jpg"),
           resized(image(crop), {640, 480}));
    }
  }
  cv::Mat mosaic(3000, 4000, CV_8UC3);
  for (int k = 0; k < 4; ++k) {
    const cv::Rect tile((k % 2) * 2000, (k / 2) * 1500, 2000, 1500);
    cv::resize(images[k], mosaic(tile), tile.size(), 0, 0, cv::INTER_CUBIC);
  }
  save(large / "mosaic.jpg", mosaic);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "make_bench_corpus: " << e.what() << '\n';
  return 1;
}
