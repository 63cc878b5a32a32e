// The size an image file declares in its header, read without decoding a pixel: --max-pixels
// refuses a huge image before its pixels are allocated.
#pragma once

#include <cstdint>
#include <opencv2/core/types.hpp>
#include <optional>
#include <span>

namespace mtcnn::cli {

// Width and height as declared by the header of a JPEG, PNG, WebP, TIFF (its first page, the one
// cv::imdecode reads), BMP, PNM (P1-P6), Sun raster, PAM, PFM, Radiance HDR, OpenEXR or JPEG 2000
// file, recognised by its signature, not by its name. JPEG, PNG, WebP and TIFF are read by their
// own libraries (libjpeg-turbo, libpng, libwebp, libtiff); the others by a few lines here
// (opencv_format_headers.hpp). nullopt for other formats and for a header its library refuses:
// cv::imdecode then decides. A side over INT_MAX (TIFF allows up to 2^32 - 1)
// saturates at INT_MAX.
std::optional<cv::Size> read_image_size(std::span<const std::uint8_t> bytes);

}  // namespace mtcnn::cli
