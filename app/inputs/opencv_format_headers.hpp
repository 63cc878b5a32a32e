// The size declared by the headers of the formats cv::imdecode reads besides JPEG, PNG, WebP,
// TIFF, BMP and PNM: Sun raster, PAM, PFM, Radiance HDR, OpenEXR and JPEG 2000. Without them a
// 200-byte file of one of these formats declaring 30000 x 30000 pixels had OpenCV allocate
// 2.7 GB before finding the data missing (found making the seeds of
// tests/fuzz/fuzz_image_decoding.cc).
// A few lines each, from the formats' specifications; nothing is decoded.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "inputs/codec_headers.hpp"

namespace mtcnn::cli {

// Each recognises its format by its signature and returns nullopt for another format or a
// header it cannot read (cv::imdecode then decides, under OpenCV's own limit).
std::optional<DeclaredSize> read_sun_raster_size(std::span<const std::uint8_t> bytes);
std::optional<DeclaredSize> read_pam_size(std::span<const std::uint8_t> bytes);
std::optional<DeclaredSize> read_pfm_size(std::span<const std::uint8_t> bytes);
std::optional<DeclaredSize> read_hdr_size(std::span<const std::uint8_t> bytes);
std::optional<DeclaredSize> read_exr_size(std::span<const std::uint8_t> bytes);
std::optional<DeclaredSize> read_jpeg2000_size(std::span<const std::uint8_t> bytes);

}  // namespace mtcnn::cli
