// A structural check for JPEG files. libjpeg decodes a truncated JPEG "successfully" (it prints
// "Premature end of JPEG file" and fills the missing rows with grey), and faces would then be
// searched in half a photo without anyone noticing; this walk finds files that stop before
// their end-of-image marker.
#pragma once

#include <cstdint>
#include <span>

namespace mtcnn::cli {

enum class JpegStructure {
  kNotJpeg,    // does not start with a JPEG start-of-image marker
  kComplete,   // reached the end-of-image marker; trailing bytes after it are allowed
  kTruncated,  // the data ends inside a segment or inside the compressed data
  kMalformed,  // something unexpected; left to the decoder to judge
};

JpegStructure inspect_jpeg(std::span<const std::uint8_t> data);

}  // namespace mtcnn::cli
