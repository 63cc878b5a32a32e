# -DMTCNN_FUZZ=ON (Clang only) builds the libFuzzer harnesses of tests/fuzz/, one per parser of
# untrusted bytes; scripts/fuzz.sh builds and runs them (docs/fuzzing.md). All our code is then
# compiled with libFuzzer's coverage instrumentation and AddressSanitizer + UBSan, so a crash,
# an out-of-bounds access or undefined behaviour in any parser stops the fuzzer with its input.
option(MTCNN_FUZZ "Build the libFuzzer harnesses of tests/fuzz (needs Clang)" OFF)

if(MTCNN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MTCNN_FUZZ needs Clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++, as scripts/fuzz.sh does")
  endif()
  # The harnesses' own -fsanitize=fuzzer links libFuzzer's main; the rest is only instrumented.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
