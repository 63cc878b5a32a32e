// The flags of aligned face crops (`mtcnn detect --crops`): where they go, which template, which
// faces, which file format.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <string>

namespace mtcnn::cli {

enum class CropTemplate {
  kArcFace,  // the five landmarks warped onto ArcFace's five points (rotation, scale, shift)
  kBox,      // the detection box made square, grown by the margin, resized (FaceNet's crop)
};

struct CropOptions {
  // A folder (crops mirror the input tree), or a tar shard pattern with a printf-style number
  // ("shards/faces-%06d.tar": WebDataset shards).
  std::optional<std::string> target;
  CropTemplate crop_template = CropTemplate::kArcFace;
  int size = 112;                 // the crop's side, in pixels
  double margin = 0;              // box template: the square grown by this fraction of its side
  double min_score = 0;           // faces scoring less get no crop
  double min_eye_distance = 0;    // faces whose eyes are closer (photo pixels) get no crop
  std::string format = "png";     // png or jpg
  int quality = 95;               // jpg quality
  std::size_t per_shard = 10000;  // samples per tar shard
};

void add_crop_options(CLI::App& command, CropOptions& options);

// Whether --crops names tar shards rather than a folder: it ends in ".tar" and holds a
// printf-style number ("%d", "%06d").
bool is_shard_pattern(const std::string& target);

}  // namespace mtcnn::cli
