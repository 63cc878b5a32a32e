// The size read from an image's header, without decoding: real files of every format, hostile
// headers, and what is left to OpenCV.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <climits>

#include "inputs/hostile_images.hpp"
#include "inputs/image_header.hpp"
#include "support/cli_support.hpp"

using cli_test::encode;
using mtcnn::cli::read_image_size;
namespace fs = std::filesystem;
using cli_test::synthetic_image;

namespace {

std::vector<std::uint8_t> text(const std::string& s) { return {s.begin(), s.end()}; }

// What the calls inside `run` write to file descriptors 1 and 2 (the libraries' own printing
// would go there, bypassing std::cout and std::cerr).
template <typename Run>
std::string printed_during(Run run) {
  cli_test::TempDir tmp;
  const fs::path capture = tmp / "printed";
  std::fflush(nullptr);
  const int saved_out = ::dup(1);
  const int saved_err = ::dup(2);
  const int file = ::open(capture.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(file, 1);
  ::dup2(file, 2);
  run();
  std::fflush(nullptr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  ::close(file);
  ::close(saved_out);
  ::close(saved_err);
  return cli_test::read_text(capture);
}

}  // namespace

TEST_CASE("header: real files of every format give their size", "[inputs][limits][header]") {
  const cv::Mat colour = synthetic_image(64, 48);
  cv::Mat grey;
  cv::cvtColor(colour, grey, cv::COLOR_BGR2GRAY);
  cv::Mat floats;
  colour.convertTo(floats, CV_32FC3, 1.0 / 255);
  const std::vector<std::pair<std::string, std::vector<std::uint8_t>>> files{
      {"jpeg", encode(colour, ".jpg")},
      {"progressive jpeg", encode(colour, ".jpg", {cv::IMWRITE_JPEG_PROGRESSIVE, 1})},
      {"png", encode(colour, ".png")},
      {"grey 16-bit png", encode(cv::Mat(48, 64, CV_16UC1, cv::Scalar(300)), ".png")},
      {"lossy webp", encode(colour, ".webp", {cv::IMWRITE_WEBP_QUALITY, 80})},
      {"lossless webp", encode(colour, ".webp", {cv::IMWRITE_WEBP_QUALITY, 101})},
      {"tiff", encode(colour, ".tiff")},
      {"bmp", encode(colour, ".bmp")},
      {"pgm", encode(grey, ".pgm")},
      {"ascii ppm", encode(colour, ".ppm", {cv::IMWRITE_PXM_BINARY, 0})},
      {"pbm", encode(grey, ".pbm")},
      {"sun raster", encode(colour, ".ras")},
      {"pam", encode(colour, ".pam")},
      {"pfm", encode(floats, ".pfm")},
      {"radiance hdr", encode(floats, ".hdr")},
      {"openexr", encode(floats, ".exr")},
      {"jpeg 2000", encode(colour, ".jp2")},
  };
  for (const auto& [name, bytes] : files) {
    INFO(name);
    CHECK(read_image_size(bytes) == std::optional<cv::Size>(cv::Size(64, 48)));
  }
}

TEST_CASE("header: hostile files give the size they declare", "[inputs][limits][header]") {
  CHECK(read_image_size(hostile::png(30000, 30000)) == cv::Size(30000, 30000));
  CHECK(read_image_size(hostile::jpeg(65000, 65000)) == cv::Size(65000, 65000));
  CHECK(read_image_size(hostile::webp(16383, 16383)) == cv::Size(16383, 16383));
  CHECK(read_image_size(hostile::tiff(30000, 30000)) == cv::Size(30000, 30000));
  CHECK(read_image_size(hostile::bmp(30000, 30000)) == cv::Size(30000, 30000));
  CHECK(read_image_size(hostile::bmp(30000, -30000)) == cv::Size(30000, 30000));  // top-down
  CHECK(read_image_size(hostile::ppm(30000, 20000)) == cv::Size(30000, 20000));
  CHECK(read_image_size(hostile::sun_raster(30000, 20000, 1)) == cv::Size(30000, 20000));
  CHECK(read_image_size(hostile::pam(30000, 20000)) == cv::Size(30000, 20000));
  CHECK(read_image_size(hostile::pfm(30000, 20000)) == cv::Size(30000, 20000));
  CHECK(read_image_size(hostile::hdr(30000, 20000)) == cv::Size(30000, 20000));
  CHECK(read_image_size(hostile::exr(30000, 20000)) == cv::Size(30000, 20000));
  CHECK(read_image_size(hostile::jp2(30000, 20000)) == cv::Size(30000, 20000));
  CHECK(read_image_size(text("#?RGBE\n\n+X 300 -Y 200\n")) == cv::Size(300, 200));
  // OS/2 1.x BITMAPCOREHEADER: 16-bit sides.
  std::vector<std::uint8_t> core(26 + 3, 0);
  core[0] = 'B';
  core[1] = 'M';
  hostile::put_little_endian(core, 14, 12, 4);
  hostile::put_little_endian(core, 18, 60000, 2);
  hostile::put_little_endian(core, 20, 50000, 2);
  CHECK(read_image_size(core) == cv::Size(60000, 50000));
  // Sides beyond int saturate, and stay over any limit.
  CHECK(read_image_size(hostile::tiff(4'000'000'000u, 1)) == cv::Size(INT_MAX, 1));
  CHECK(read_image_size(hostile::ppm(99'999'999'999'999'999, 2)) == cv::Size(INT_MAX, 2));
}

TEST_CASE("header: other formats and refused headers are left to OpenCV",
          "[inputs][limits][header]") {
  CHECK_FALSE(read_image_size({}));
  CHECK_FALSE(read_image_size(text("this is not a picture\n")));
  CHECK_FALSE(read_image_size(text("P7\nWIDTH 30000\nENDHDR\nHEIGHT 30000\n")));
  CHECK_FALSE(read_image_size(text("PF\n30000\n")));
  CHECK_FALSE(read_image_size(text("#?RADIANCE\n-Y 30000 +X 30000\n")));  // no blank line
  CHECK_FALSE(read_image_size(text("#?RADIANCE\n\n-Y 30000 -Y 30000\n")));
  auto no_window = hostile::exr(300, 300);
  const std::string data_window = "dataWindow";
  std::search(no_window.begin(), no_window.end(), data_window.begin(), data_window.end())[0] = 'x';
  CHECK_FALSE(read_image_size(no_window));
  auto cut_exr = hostile::exr(300, 300);
  cut_exr.resize(40);  // inside the attributes, before dataWindow
  CHECK_FALSE(read_image_size(cut_exr));
  auto cut_jp2 = hostile::jp2(300, 300);
  cut_jp2.resize(60);  // before the codestream
  CHECK_FALSE(read_image_size(cut_jp2));
  CHECK_FALSE(read_image_size(text("P6\n# no size\n")));
  CHECK_FALSE(read_image_size(text("P6 30000")));
  CHECK_FALSE(read_image_size(hostile::bmp(-30000, 30000)));
  CHECK_FALSE(read_image_size(hostile::bmp(30000, 0)));

  auto bad_crc = hostile::png(30000, 30000);
  bad_crc[20] ^= 1;  // libpng checks IHDR's CRC: a bit flipped after it was computed
  CHECK_FALSE(read_image_size(bad_crc));
  auto cut_png = hostile::png(30000, 30000);
  cut_png.resize(20);  // inside IHDR
  CHECK_FALSE(read_image_size(cut_png));
  auto cut_jpeg = hostile::jpeg(65000, 65000);
  cut_jpeg.resize(40);  // before the frame header
  CHECK_FALSE(read_image_size(cut_jpeg));
  auto cut_webp = hostile::webp(100, 100);
  cut_webp.resize(24);
  CHECK_FALSE(read_image_size(cut_webp));
  auto bad_tiff = hostile::tiff(30000, 30000);
  hostile::put_little_endian(bad_tiff, 4, 0x7FFFFFF0, 4);  // first directory past the end
  CHECK_FALSE(read_image_size(bad_tiff));
}

TEST_CASE("header: the libraries print nothing, even on broken headers",
          "[inputs][limits][header]") {
  auto bad_tiff = hostile::tiff(300, 300);
  hostile::put_little_endian(bad_tiff, 4, 0x7FFFFFF0, 4);
  auto bad_crc = hostile::png(300, 300);
  bad_crc[20] ^= 1;
  auto cut_jpeg = hostile::jpeg(300, 300);
  cut_jpeg.resize(cut_jpeg.size() / 3);  // libjpeg warns about premature end of data
  auto no_sof = encode(synthetic_image(), ".jpg");
  no_sof.resize(30);
  const std::string printed = printed_during([&] {
    for (const auto* bytes : {&bad_tiff, &bad_crc, &cut_jpeg, &no_sof}) read_image_size(*bytes);
  });
  CHECK(printed.empty());
}
