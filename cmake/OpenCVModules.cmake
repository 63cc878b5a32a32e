# The four OpenCV modules the project uses: core, imgproc, imgcodecs, dnn. Sets OpenCV_LIBS (all
# four) and MTCNN_OPENCV_LINKED_LIBS (all but imgcodecs: what the tool and the library link).
#
# The tool does not link libopencv_imgcodecs: Debian's build of it pulls in about 120 more shared
# libraries (GDAL, HDF5, Poppler, ...), which cost 0.1 s at every start. It decodes JPEG with
# libjpeg-turbo and loads imgcodecs on first use for every other format and for writing images
# (app/codecs/). Tests and benchmark tools link all four.
#
# Debian ships OpenCVConfig.cmake (and opencv4.pc) only in libopencv-dev, which pulls in the
# development packages of every OpenCV module and what they need (VTK, GDAL, Qt, ffmpeg,
# GStreamer...). The module packages libopencv-{core,imgproc,imgcodecs,dnn}-dev hold all we use:
# each module's headers and its libopencv_<module>.so. So: OpenCV's own config file when it is
# installed, otherwise the four modules found directly.
find_package(OpenCV 4 QUIET COMPONENTS core imgproc imgcodecs dnn)
if(OpenCV_FOUND)
  message(STATUS "OpenCV ${OpenCV_VERSION}: OpenCVConfig.cmake")
  set(MTCNN_OPENCV_LINKED_LIBS opencv_core opencv_imgproc opencv_dnn)
  return()
endif()

find_path(MTCNN_OPENCV_INCLUDE_DIR opencv2/core/version.hpp PATH_SUFFIXES opencv4)
if(NOT MTCNN_OPENCV_INCLUDE_DIR)
  message(FATAL_ERROR "OpenCV 4 not found: install libopencv-core-dev libopencv-imgproc-dev "
                      "libopencv-imgcodecs-dev libopencv-dnn-dev (scripts/setup.sh does)")
endif()
file(STRINGS "${MTCNN_OPENCV_INCLUDE_DIR}/opencv2/core/version.hpp" _opencv_major
     REGEX "#define CV_VERSION_MAJOR[ \t]+[0-9]+")
string(REGEX MATCH "[0-9]+$" _opencv_major "${_opencv_major}")
if(NOT _opencv_major EQUAL 4)
  message(FATAL_ERROR "OpenCV 4 is needed, found major version '${_opencv_major}'")
endif()

set(OpenCV_LIBS "")
foreach(module core imgproc imgcodecs dnn)
  find_library(MTCNN_OPENCV_${module}_LIBRARY opencv_${module})
  if(NOT EXISTS "${MTCNN_OPENCV_INCLUDE_DIR}/opencv2/${module}.hpp" OR
     NOT MTCNN_OPENCV_${module}_LIBRARY)
    message(FATAL_ERROR "OpenCV module ${module} not found: install libopencv-${module}-dev")
  endif()
  add_library(mtcnn_opencv_${module} UNKNOWN IMPORTED)
  set_target_properties(mtcnn_opencv_${module} PROPERTIES
    IMPORTED_LOCATION "${MTCNN_OPENCV_${module}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${MTCNN_OPENCV_INCLUDE_DIR}")
  list(APPEND OpenCV_LIBS mtcnn_opencv_${module})
endforeach()
set(MTCNN_OPENCV_LINKED_LIBS mtcnn_opencv_core mtcnn_opencv_imgproc mtcnn_opencv_dnn)
message(STATUS "OpenCV 4: modules ${OpenCV_LIBS} found without OpenCVConfig.cmake")
