#include "codecs/opencv_codecs.hpp"

#include <dlfcn.h>

#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <type_traits>

namespace mtcnn::cli {

namespace {

// The functions used, by their linker names (the Itanium C++ ABI's, as `nm -D` shows them).
using Decode = cv::Mat (*)(cv::InputArray, int);
using Encode = bool (*)(const cv::String&, cv::InputArray, std::vector<uchar>&,
                        const std::vector<int>&);
using HasWriter = bool (*)(const cv::String&);
constexpr const char* kDecodeSymbol = "_ZN2cv8imdecodeERKNS_11_InputArrayEi";
constexpr const char* kEncodeSymbol =
    "_ZN2cv8imencodeERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERKNS_11_InputArrayERSt6"
    "vectorIhSaIhEERKSB_IiSaIiEE";
constexpr const char* kHasWriterSymbol =
    "_ZN2cv15haveImageWriterERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE";
// The declarations they name: these fail to compile if OpenCV's headers change the signatures
// (decltype does not evaluate, so nothing here links the library).
static_assert(std::is_same_v<decltype(static_cast<Decode>(&cv::imdecode)), Decode>);
static_assert(std::is_same_v<decltype(static_cast<Encode>(&cv::imencode)), Encode>);
static_assert(std::is_same_v<decltype(static_cast<HasWriter>(&cv::haveImageWriter)), HasWriter>);

struct Codecs {
  Decode decode = nullptr;
  Encode encode = nullptr;
  HasWriter has_writer = nullptr;
  std::string failure;  // why they could not be loaded
};

// libopencv_imgcodecs.so.<version> from the directory, and of the version, of the
// libopencv_core this process runs with.
std::string imgcodecs_library() {
  Dl_info core{};
  const void* core_function = reinterpret_cast<const void*>(&cv::getBuildInformation);
  if (dladdr(core_function, &core) != 0 && core.dli_fname != nullptr) {
    std::string path = core.dli_fname;
    const std::string core_name = "libopencv_core.so";
    if (const std::size_t at = path.rfind(core_name); at != std::string::npos) {
      return path.replace(at, core_name.size(), "libopencv_imgcodecs.so");
    }
  }
  // OpenCV's library version is major and two-digit minor: 4.6 is .so.406.
  return "libopencv_imgcodecs.so." + std::to_string(CV_VERSION_MAJOR * 100 + CV_VERSION_MINOR);
}

Codecs load() {
  Codecs codecs;
  const std::string library = imgcodecs_library();
  // Lazy binding, as for the libraries loaded at start: its 120 dependencies are mostly never
  // called.
  void* handle = dlopen(library.c_str(), RTLD_LAZY | RTLD_LOCAL);  // never closed
  if (handle == nullptr) {
    codecs.failure = "cannot load OpenCV's image codecs: " + std::string(dlerror());
    return codecs;
  }
  codecs.decode = reinterpret_cast<Decode>(dlsym(handle, kDecodeSymbol));
  codecs.encode = reinterpret_cast<Encode>(dlsym(handle, kEncodeSymbol));
  codecs.has_writer = reinterpret_cast<HasWriter>(dlsym(handle, kHasWriterSymbol));
  if (!codecs.decode || !codecs.encode || !codecs.has_writer) {
    codecs.failure = library + " lacks cv::imdecode, cv::imencode or cv::haveImageWriter";
  }
  return codecs;
}

std::once_flag loaded;

const Codecs& codecs() {
  static Codecs instance;
  std::call_once(loaded, [] { instance = load(); });
  if (!instance.failure.empty()) throw OpenCvCodecsUnavailable(instance.failure);
  return instance;
}

}  // namespace

cv::Mat opencv_decode(std::span<const std::uint8_t> bytes, int flags) {
  const cv::Mat wrapped(1, static_cast<int>(bytes.size()), CV_8U,
                        const_cast<std::uint8_t*>(bytes.data()));
  return codecs().decode(wrapped, flags);
}

bool opencv_encode(const std::string& extension, const cv::Mat& image,
                   std::vector<std::uint8_t>& bytes, const std::vector<int>& parameters) {
  return codecs().encode(extension, image, bytes, parameters);
}

bool opencv_can_encode(const std::string& extension) {
  return codecs().has_writer("x" + extension);
}

bool opencv_codecs_loaded() {
  void* handle = dlopen(imgcodecs_library().c_str(), RTLD_LAZY | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  dlclose(handle);  // RTLD_NOLOAD counted one more reference
  return true;
}

}  // namespace mtcnn::cli
