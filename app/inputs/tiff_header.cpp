// TIFF: TIFFClientOpenExt over the bytes in memory reads the first directory (the page
// cv::imdecode decodes), whose ImageWidth and ImageLength tags give the size; no strip is read.
#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>

#include "inputs/codec_headers.hpp"

namespace mtcnn::cli {

namespace {

// A file's first directory is a few kilobytes; anything asking libtiff for more is hostile.
constexpr tmsize_t kMaxAllocation = tmsize_t{64} << 20;

struct MemoryFile {
  std::span<const std::uint8_t> bytes;
  std::uint64_t offset = 0;
};

MemoryFile& file_of(thandle_t handle) { return *static_cast<MemoryFile*>(handle); }

tmsize_t read_memory(thandle_t handle, void* out, tmsize_t size) {
  MemoryFile& file = file_of(handle);
  if (size < 0) return -1;
  const std::uint64_t left = file.offset < file.bytes.size() ? file.bytes.size() - file.offset : 0;
  const std::uint64_t count = std::min<std::uint64_t>(static_cast<std::uint64_t>(size), left);
  if (count > 0) std::memcpy(out, file.bytes.data() + file.offset, count);
  file.offset += count;
  return static_cast<tmsize_t>(count);
}

tmsize_t refuse_write(thandle_t, void*, tmsize_t) { return -1; }

toff_t seek_memory(thandle_t handle, toff_t offset, int whence) {
  MemoryFile& file = file_of(handle);
  std::uint64_t base = 0;
  if (whence == SEEK_CUR) base = file.offset;
  if (whence == SEEK_END) base = file.bytes.size();
  if (offset > UINT64_MAX - base) return static_cast<toff_t>(-1);
  file.offset = base + offset;  // past the end is allowed, as with lseek: reads then get 0 bytes
  return file.offset;
}

int close_nothing(thandle_t) { return 0; }
toff_t size_of(thandle_t handle) { return file_of(handle).bytes.size(); }
int map_nothing(thandle_t, void**, toff_t*) { return 0; }
void unmap_nothing(thandle_t, void*, toff_t) {}

// Returning 1 tells libtiff the message is handled, so its global handlers (stderr by default,
// or whatever OpenCV installed) are not called either.
int swallow(TIFF*, void*, const char*, const char*, va_list) { return 1; }

}  // namespace

std::optional<DeclaredSize> read_tiff_size(std::span<const std::uint8_t> bytes) {
  const std::unique_ptr<TIFFOpenOptions, void (*)(TIFFOpenOptions*)> options(TIFFOpenOptionsAlloc(),
                                                                             &TIFFOpenOptionsFree);
  if (!options) return std::nullopt;
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), &swallow, nullptr);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), &swallow, nullptr);
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), kMaxAllocation);

  MemoryFile file{bytes};
  // "r": read; "m": do not memory-map (there is no file to map).
  const std::unique_ptr<TIFF, void (*)(TIFF*)> tiff(
      TIFFClientOpenExt("memory", "rm", &file, &read_memory, &refuse_write, &seek_memory,
                        &close_nothing, &size_of, &map_nothing, &unmap_nothing, options.get()),
      &TIFFClose);
  if (!tiff) return std::nullopt;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  if (TIFFGetField(tiff.get(), TIFFTAG_IMAGEWIDTH, &width) != 1 ||
      TIFFGetField(tiff.get(), TIFFTAG_IMAGELENGTH, &height) != 1) {
    return std::nullopt;
  }
  return DeclaredSize{width, height};
}

}  // namespace mtcnn::cli
