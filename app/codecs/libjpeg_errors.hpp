// libjpeg's error handling as mtcnn uses it: an error jumps back to the caller's setjmp (libjpeg's
// error_exit must not return), keeping libjpeg's message; warnings ("premature end of data
// segment", ...) are never printed, so standard error stays the tool's.
#pragma once

#include <csetjmp>
// jpeglib.h uses FILE without including the header that declares it.
// clang-format off
#include <cstdio>
#include <jpeglib.h>
// clang-format on

namespace mtcnn::cli {

struct LibjpegErrors {
  jpeg_error_mgr manager;  // first, so that the pointer libjpeg holds is one to the whole
  std::jmp_buf escape;
  char message[JMSG_LENGTH_MAX];
};

// Sets up `errors` and returns the manager to put in info.err. The caller then does
// `if (setjmp(errors.escape) != 0) { jpeg_destroy_...(&info); ... }` with only plain C structs
// (and references to objects outside) in its frame, so that the jump skips no destructor.
inline jpeg_error_mgr* silent_libjpeg_errors(LibjpegErrors& errors) {
  jpeg_error_mgr* manager = jpeg_std_error(&errors.manager);
  errors.message[0] = '\0';
  manager->error_exit = [](j_common_ptr info) {
    auto* self = reinterpret_cast<LibjpegErrors*>(info->err);
    (*info->err->format_message)(info, self->message);
    std::longjmp(self->escape, 1);
  };
  manager->emit_message = [](j_common_ptr, int) {};
  manager->output_message = [](j_common_ptr) {};
  return manager;
}

}  // namespace mtcnn::cli
