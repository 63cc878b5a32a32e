# -DMTCNN_SANITIZE=address,undefined builds every target of the project (the detector library,
# the tool, the tests and the helpers) with those sanitizers; scripts/sanitize.sh runs the test
# suite in such a build (docs/fuzzing.md). The list goes to -fsanitize= as written, so any
# sanitizer the compiler knows can be named (thread, memory with Clang, ...). Empty: none.
set(MTCNN_SANITIZE "" CACHE STRING
    "Sanitizers for all targets, a list for -fsanitize= (e.g. address,undefined); empty: none")

if(MTCNN_SANITIZE)
  # Frame pointers make the reports' stack traces complete; without the recover flag UBSan only
  # prints and the test that ran into undefined behaviour would still pass.
  add_compile_options(-fsanitize=${MTCNN_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${MTCNN_SANITIZE})
  # GCC's instrumentation makes -Wmaybe-uninitialized fire inside libstdc++ (<regex>), and GCC's
  # manual advises against -Werror with sanitizers for that warning; the normal build keeps it.
  add_compile_options($<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endif()
