// Helpers shared by the tests of the command-line tool (tests/test_cli_*.cpp).
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mtcnn/detector.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli_test {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mtcnn-cli-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const fs::path& relative) const { return path_ / relative; }

 private:
  fs::path path_;
};

inline void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<std::uint8_t> read_bytes(const fs::path& path) {
  const std::string text = read_text(path);
  return {text.begin(), text.end()};
}

// A small synthetic picture (gradient and a few shapes), so JPEG has real scan data to cut.
inline cv::Mat synthetic_image(int width = 64, int height = 48) {
  cv::Mat image(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      image.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(x * 4), static_cast<uchar>(y * 5),
                                            static_cast<uchar>((x + y) * 2));
    }
  }
  cv::circle(image, {width / 2, height / 2}, std::min(width, height) / 4, {255, 255, 255}, -1);
  return image;
}

inline std::vector<std::uint8_t> encode(const cv::Mat& image, const std::string& extension,
                                        const std::vector<int>& parameters = {}) {
  std::vector<std::uint8_t> bytes;
  if (!cv::imencode(extension, image, bytes, parameters)) throw std::runtime_error("imencode");
  return bytes;
}

inline void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

// A face with its landmarks at fixed places inside a 200x100 image.
inline mtcnn::Face sample_face() {
  mtcnn::Face face;
  face.box = cv::Rect2f(50, 20, 60, 70);
  face.score = 0.98f;
  for (int i = 0; i < mtcnn::kLandmarkCount; ++i) {
    face.landmarks[i] = cv::Point2f(60.f + 10 * i, 40.f + 5 * i);
  }
  return face;
}

// Whether a "<name>.tmp-<pid>" file of an atomic write is left anywhere under dir.
inline bool temporaries_left(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) return true;
  }
  return false;
}

// For building shell command lines.
inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command line with stdout and stderr captured through files in scratch.
inline CommandResult run_shell(const std::string& command, const fs::path& scratch) {
  const fs::path out = scratch / "command.stdout";
  const fs::path err = scratch / "command.stderr";
  const std::string line =
      "( " + command + " ) >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  const int status = std::system(line.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  fs::remove(out);
  fs::remove(err);
  return result;
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace cli_test
