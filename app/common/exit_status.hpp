// Process exit codes of the mtcnn tool and the error that maps to "usage or set-up problem".
#pragma once

#include <stdexcept>

namespace mtcnn::cli {

enum ExitStatus : int {
  kExitOk = 0,          // every input was processed
  kExitSomeFailed = 1,  // the batch ran, but at least one input has an error record
  kExitSetupError = 2,  // bad flags, no inputs, missing models, unwritable output
};

// A problem that stops the run before (or instead of) processing images: the message is shown
// to the user as is, so it should say what is wrong and how to fix it.
class SetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace mtcnn::cli
