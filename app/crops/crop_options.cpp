#include "crops/crop_options.hpp"

#include <regex>

namespace mtcnn::cli {

bool is_shard_pattern(const std::string& target) {
  static const std::regex pattern(R"(.*%0?[0-9]*d.*\.tar$)");
  return std::regex_match(target, pattern);
}

void add_crop_options(CLI::App& command, CropOptions& options) {
  command
      .add_option("--crops", options.target,
                  "Write an aligned crop of each face into DIR, mirroring the input tree "
                  "(DIR/<path>_<k>.png, k = the face's index in its record), or into WebDataset "
                  "tar shards when given a pattern such as shards/faces-%06d.tar")
      ->type_name("DIR|PATTERN");
  command
      .add_option_function<std::string>(
          "--crop-template",
          [&options](const std::string& name) {
            options.crop_template = name == "box" ? CropTemplate::kBox : CropTemplate::kArcFace;
          },
          "arcface: the landmarks warped onto ArcFace's five points; box: the detection box "
          "made square (FaceNet)")
      ->check(CLI::IsMember({"arcface", "box"}))
      ->type_name("NAME")
      ->default_str("arcface");
  command.add_option("--crop-size", options.size, "Side of the square crops, in pixels")
      ->check(CLI::Range(16, 4096))
      ->type_name("N")
      ->capture_default_str();
  command
      .add_option("--crop-margin", options.margin,
                  "Box template: grow the square by this fraction of its side (0.2: 10% on each "
                  "side)")
      ->check(CLI::Range(0.0, 4.0))
      ->type_name("F")
      ->capture_default_str();
  command.add_option("--crop-min-score", options.min_score, "Only crop faces scoring at least S")
      ->check(CLI::Range(0.0, 1.0))
      ->type_name("S")
      ->capture_default_str();
  command
      .add_option("--crop-min-size", options.min_eye_distance,
                  "Only crop faces whose eyes are at least PX pixels apart in the photo")
      ->check(CLI::NonNegativeNumber)
      ->type_name("PX")
      ->capture_default_str();
  command.add_option("--crop-format", options.format, "File format of the crops")
      ->check(CLI::IsMember({"png", "jpg"}))
      ->type_name("png|jpg")
      ->capture_default_str();
  command.add_option("--crop-quality", options.quality, "JPEG quality of jpg crops")
      ->check(CLI::Range(1, 100))
      ->type_name("Q")
      ->capture_default_str();
  command
      .add_option("--crops-per-shard", options.per_shard,
                  "Tar shards: crops per shard before the next one starts")
      ->check(CLI::Range(1, 100'000'000))
      ->type_name("N")
      ->capture_default_str();
}

}  // namespace mtcnn::cli
