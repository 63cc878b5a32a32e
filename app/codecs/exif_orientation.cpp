#include "codecs/exif_orientation.hpp"

#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>

#include <memory>

namespace mtcnn::cli {

int exif_orientation(std::span<const std::uint8_t> app1) {
  const std::unique_ptr<ExifData, void (*)(ExifData*)> exif(exif_data_new(), &exif_data_unref);
  if (!exif) return 1;
  // Read the tags as stored: by default libexif "fixes" the block to the specification (adding
  // entries, converting formats), which OpenCV does not.
  exif_data_unset_option(exif.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_load_data(exif.get(), app1.data(), static_cast<unsigned int>(app1.size()));
  const ExifEntry* entry = exif_content_get_entry(exif->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  // OpenCV takes the first two bytes of the value whatever its declared type (SHORT is right).
  if (entry == nullptr || entry->data == nullptr || entry->size < 2) return 1;
  return exif_get_short(entry->data, exif_data_get_byte_order(exif.get()));
}

void apply_exif_orientation(cv::Mat& image, int orientation) {
  // Rows and columns as the tag describes them (TIFF 6.0): 2 mirrored, 3 turned half way, 4
  // upside down, 5-8 with rows and columns swapped.
  switch (orientation) {
    case 2:
      cv::flip(image, image, 1);
      break;
    case 3:
      cv::flip(image, image, -1);
      break;
    case 4:
      cv::flip(image, image, 0);
      break;
    case 5:
      cv::transpose(image, image);
      break;
    case 6:
      cv::transpose(image, image);
      cv::flip(image, image, 1);
      break;
    case 7:
      cv::transpose(image, image);
      cv::flip(image, image, -1);
      break;
    case 8:
      cv::transpose(image, image);
      cv::flip(image, image, 0);
      break;
    default:
      break;
  }
}

}  // namespace mtcnn::cli
