// FDDB's files: the fold lists and ellipse annotations under FDDB-folds/, the images under
// originalPics/, and the standard result file per fold (fold-NN-out.txt).
#pragma once

#include <filesystem>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "eval/ellipse_overlap.hpp"
#include "records/detection_file.hpp"

namespace mtcnn::cli {

struct FddbImage {
  std::string name;  // as in the fold list, e.g. 2002/08/11/big/img_591 (no extension)
  int fold = 0;
  std::vector<Ellipse> faces;
};

// A fold file that is malformed; the message says which file and line.
class FddbFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The images of one fold with their ellipses (FDDB-folds/FDDB-fold-NN-ellipseList.txt), in the
// fold's order. Returns nothing when the fold's files are absent. Throws FddbFormatError.
std::vector<FddbImage> read_fddb_fold(const std::filesystem::path& data_dir, int fold);
// The text of one ellipse list; `source` names it in error messages.
std::vector<FddbImage> parse_fddb_fold(std::istream& in, int fold, const std::string& source);

// originalPics/<name>.jpg under the data directory.
std::filesystem::path fddb_image_path(const std::filesystem::path& data_dir,
                                      const FddbImage& image);

// Parses "1-10", "3", "1,4,7" or "1-3,8" into fold numbers 1..10. Throws std::invalid_argument.
std::vector<int> parse_fold_list(const std::string& text);

// The standard result text of one fold: per image its name, the number of detections, then one
// "x y w h score" line each (left, top, width, height, as FDDB's evaluation code reads them).
std::string fddb_result_text(const std::vector<FddbImage>& images,
                             const std::vector<StoredRecord>& detections);

}  // namespace mtcnn::cli
