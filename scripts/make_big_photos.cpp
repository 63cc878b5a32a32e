// Writes the large photos scripts/peak-rss.sh measures, made from the sample photos so that
// they hold faces and real textures (never committed: they take 100+ MB):
//   5001x3333.jpg     a mosaic of six photos, 3 x 2
//   4000x3000.jpg     a mosaic of four photos, 2 x 2
//   30x1000000.png    30-pixel columns cut from the photos, stacked into one tall strip
//   1000000x30.png    the same turned sideways
//
//   make_big_photos SAMPLES_DIR OUT_DIR
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

// Photos in a grid of columns x rows cells covering size exactly, each stretched to its cell.
cv::Mat mosaic(const std::vector<cv::Mat>& photos, int columns, int rows, cv::Size size) {
  cv::Mat out(size, CV_8UC3);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      const cv::Rect cell(size.width * c / columns, size.height * r / rows,
                          size.width * (c + 1) / columns - size.width * c / columns,
                          size.height * (r + 1) / rows - size.height * r / rows);
      const cv::Mat& photo = photos[(r * columns + c) % photos.size()];
      cv::resize(photo, out(cell), cell.size(), 0, 0, cv::INTER_AREA);
    }
  return out;
}

// A width-pixel wide photo of the given height: the photos' columns, one under the other.
cv::Mat tall_strip(const std::vector<cv::Mat>& photos, int width, int height) {
  cv::Mat out(height, width, CV_8UC3);
  int y = 0;
  for (std::size_t k = 0; y < height; ++k) {
    const cv::Mat& photo = photos[k % photos.size()];
    for (int x = 0; x + width <= photo.cols && y < height; x += width) {
      const int rows = std::min(photo.rows, height - y);
      photo(cv::Rect(x, 0, width, rows)).copyTo(out.rowRange(y, y + rows));
      y += rows;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::cerr << "usage: make_big_photos SAMPLES_DIR OUT_DIR\n";
    return 2;
  }
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(argv[1]))
    if (entry.path().extension() == ".jpg") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  std::vector<cv::Mat> photos;
  for (const fs::path& path : paths) {
    photos.push_back(cv::imread(path.string(), cv::IMREAD_COLOR));
    if (photos.back().empty()) throw std::runtime_error("cannot decode " + path.string());
  }
  if (photos.size() < 6)
    throw std::runtime_error("need at least 6 .jpg photos in " + std::string(argv[1]));
  const fs::path out = argv[2];
  fs::create_directories(out);

  save(out / "5001x3333.jpg", mosaic(photos, 3, 2, {5001, 3333}));
  save(out / "4000x3000.jpg", mosaic(photos, 2, 2, {4000, 3000}));
  const cv::Mat tall = tall_strip(photos, 30, 1'000'000);
  save(out / "30x1000000.png", tall);
  cv::Mat wide;
  cv::rotate(tall, wide, cv::ROTATE_90_COUNTERCLOCKWISE);
  save(out / "1000000x30.png", wide);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "make_big_photos: " << e.what() << "\n";
  return 1;
}
