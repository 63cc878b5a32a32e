# Libraries whose Debian -dev package ships a pkg-config file but no CMake package (libwebp,
# libexif): found directly, so that pkg-config is not one more build dependency.
#
#   mtcnn_plain_library(TARGET HEADER LIBRARY PACKAGE)
#
# makes the imported target TARGET (global, so any folder may link it) from the first directory
# holding HEADER and the library named LIBRARY, or stops with the Debian PACKAGE to install.
function(mtcnn_plain_library target header library package)
  find_path(${target}_INCLUDE_DIR ${header})
  find_library(${target}_LIBRARY ${library})
  if(NOT ${target}_INCLUDE_DIR OR NOT ${target}_LIBRARY)
    message(FATAL_ERROR "lib${library} not found: install ${package} (scripts/setup.sh does)")
  endif()
  add_library(${target} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${${target}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${target}_INCLUDE_DIR}")
endfunction()
