// Input expansion for `mtcnn detect`: which files a set of paths stands for, and in which order.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "inputs/input_list.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using cli_test::TempDir;
using cli_test::write_text;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> paths_of(const std::vector<InputFile>& inputs) {
  std::vector<std::string> paths;
  for (const auto& input : inputs) paths.push_back(input.path.string());
  return paths;
}

std::vector<std::string> mirrors_of(const std::vector<InputFile>& inputs) {
  std::vector<std::string> paths;
  for (const auto& input : inputs) paths.push_back(input.mirror_path.string());
  return paths;
}

// Builds a small photo tree; returns its root.
fs::path make_tree(const TempDir& tmp) {
  const fs::path root = tmp / "photos";
  for (const char* name : {"b.jpg", "a.JPEG", "sub/c.Png", "sub/deeper/d.tif", "sub/e.WEBP",
                           "f.bmp", "g.TIFF", "h.pgm", "i.ppm", "notes.txt", "raw.cr2", "noext",
                           ".hidden.jpg", ".cache/j.jpg", "sub/.k.png"}) {
    write_text(root / name, "x");
  }
  return root;
}

}  // namespace

TEST_CASE("cli: image extensions are recognised in any letter case", "[cli][inputs]") {
  for (const char* name : {"a.jpg", "a.JPG", "a.jpeg", "a.JpEg", "a.png", "a.bmp", "a.tif",
                           "a.tiff", "a.webp", "a.pgm", "a.ppm", "dir.v2/a.PPM"}) {
    INFO(name);
    CHECK(has_image_extension(name));
  }
  for (const char* name : {"a.gif", "a.txt", "jpg", "a.jpg.bak", "a", ".jpg", "dir.jpg/a"}) {
    INFO(name);
    CHECK_FALSE(has_image_extension(name));
  }
}

TEST_CASE("cli: a directory is walked recursively, images only, sorted", "[cli][inputs]") {
  TempDir tmp;
  const fs::path root = make_tree(tmp);
  const auto inputs = expand_inputs({root.string()});

  const std::vector<std::string> expected_mirrors{
      "a.JPEG",           "b.jpg",     "f.bmp", "g.TIFF", "h.pgm", "i.ppm", "sub/c.Png",
      "sub/deeper/d.tif", "sub/e.WEBP"};
  CHECK(mirrors_of(inputs) == expected_mirrors);
  for (const auto& input : inputs) {
    CHECK(input.path == root / input.mirror_path);
    CHECK_FALSE(input.error.has_value());
  }
}

TEST_CASE("cli: hidden entries are skipped unless asked for", "[cli][inputs]") {
  TempDir tmp;
  const fs::path root = make_tree(tmp);
  const auto mirrors = mirrors_of(expand_inputs({root.string()}, {.include_hidden = true}));
  for (const char* hidden : {".hidden.jpg", ".cache/j.jpg", "sub/.k.png"}) {
    INFO(hidden);
    CHECK(std::count(mirrors.begin(), mirrors.end(), hidden) == 1);
  }
  CHECK(mirrors.size() == 12);
}

TEST_CASE("cli: named files are kept whatever their extension or existence", "[cli][inputs]") {
  TempDir tmp;
  write_text(tmp / "notes.txt", "x");
  const std::string missing = (tmp / "missing.jpg").string();
  const auto inputs = expand_inputs({(tmp / "notes.txt").string(), missing});
  REQUIRE(inputs.size() == 2);
  CHECK(inputs[0].path == fs::path(missing));
  CHECK(inputs[0].mirror_path == "missing.jpg");
  CHECK(inputs[1].path == tmp / "notes.txt");
  CHECK(inputs[1].mirror_path == "notes.txt");
  // Errors for such paths come from decoding, not from the expansion.
  CHECK_FALSE(inputs[0].error.has_value());
}

TEST_CASE("cli: a named file keeps its relative path as its output name", "[cli][inputs]") {
  // So that `find . -name '*.jpg' | mtcnn detect --files-from - --crops out` keeps the folders
  // apart; paths that leave the working folder keep their file name only.
  CHECK(mirror_of_named_file("photos/2019/a.jpg") == "photos/2019/a.jpg");
  CHECK(mirror_of_named_file("a.jpg") == "a.jpg");
  CHECK(mirror_of_named_file("/data/photos/a.jpg") == "a.jpg");
  CHECK(mirror_of_named_file("../photos/a.jpg") == "a.jpg");
  CHECK(mirror_of_named_file("photos/../../a.jpg") == "a.jpg");
}

TEST_CASE("cli: the order does not depend on the argument order", "[cli][inputs]") {
  TempDir tmp;
  const fs::path root = make_tree(tmp);
  write_text(tmp / "z.jpg", "x");
  write_text(tmp / "0.jpg", "x");
  const auto forward =
      expand_inputs({(tmp / "0.jpg").string(), root.string(), (tmp / "z.jpg").string()});
  const auto backward =
      expand_inputs({(tmp / "z.jpg").string(), root.string(), (tmp / "0.jpg").string()});
  CHECK(paths_of(forward) == paths_of(backward));
  CHECK(std::is_sorted(forward.begin(), forward.end(),
                       [](const auto& a, const auto& b) { return a.path < b.path; }));
  CHECK(forward.front().path == tmp / "0.jpg");
  CHECK(forward.back().path == tmp / "z.jpg");
}

TEST_CASE("cli: sorting compares path components, keeping directories together", "[cli][inputs]") {
  TempDir tmp;
  for (const char* name : {"a.jpg", "a b.jpg", "a/z.jpg", "a0.jpg"}) write_text(tmp / name, "x");
  const auto inputs = expand_inputs({tmp.path().string()});
  CHECK(mirrors_of(inputs) == std::vector<std::string>{"a/z.jpg", "a b.jpg", "a.jpg", "a0.jpg"});
}

TEST_CASE("cli: duplicates are removed and the first occurrence wins", "[cli][inputs]") {
  TempDir tmp;
  const fs::path root = make_tree(tmp);
  const std::string inside = (root / "sub" / "c.Png").string();
  // The directory first: the file keeps its place in the mirrored tree.
  auto inputs = expand_inputs({root.string(), inside, root.string() + "/"});
  CHECK(inputs.size() == 9);
  auto found = std::find_if(inputs.begin(), inputs.end(),
                            [&](const auto& input) { return input.path == inside; });
  REQUIRE(found != inputs.end());
  CHECK(found->mirror_path == "sub/c.Png");
  // The file first: it is a named file.
  inputs = expand_inputs({inside, root.string()});
  found = std::find_if(inputs.begin(), inputs.end(),
                       [&](const auto& input) { return input.path == inside; });
  REQUIRE(found != inputs.end());
  CHECK(found->mirror_path == "c.Png");
}

TEST_CASE("cli: paths are lexically normalised and relative ones stay relative", "[cli][inputs]") {
  TempDir tmp;
  write_text(tmp / "in" / "x.jpg", "x");
  const fs::path previous = fs::current_path();
  fs::current_path(tmp.path());
  const auto from_dot = expand_inputs({"."});
  const auto named = expand_inputs({"./in//x.jpg", "in/x.jpg", "in/../in/x.jpg"});
  const auto trailing = expand_inputs({"in/"});
  fs::current_path(previous);

  CHECK(paths_of(from_dot) == std::vector<std::string>{"in/x.jpg"});
  CHECK(mirrors_of(from_dot) == std::vector<std::string>{"in/x.jpg"});
  CHECK(paths_of(named) == std::vector<std::string>{"in/x.jpg"});
  CHECK(paths_of(trailing) == std::vector<std::string>{"in/x.jpg"});
  CHECK(mirrors_of(trailing) == std::vector<std::string>{"x.jpg"});
}

TEST_CASE("cli: links to files are kept, links to directories are not followed", "[cli][inputs]") {
  TempDir tmp;
  write_text(tmp / "elsewhere" / "y.jpg", "x");
  write_text(tmp / "in" / "x.jpg", "x");
  fs::create_directory_symlink(tmp / "elsewhere", tmp / "in" / "linked-dir");
  fs::create_symlink(tmp / "elsewhere" / "y.jpg", tmp / "in" / "linked.jpg");
  fs::create_directory_symlink(tmp / "in", tmp / "in" / "loop");
  const auto inputs = expand_inputs({(tmp / "in").string()});
  CHECK(mirrors_of(inputs) == std::vector<std::string>{"linked.jpg", "x.jpg"});
  // Named explicitly, a link to a directory is walked.
  CHECK(mirrors_of(expand_inputs({(tmp / "in" / "linked-dir").string()})) ==
        std::vector<std::string>{"y.jpg"});
}

TEST_CASE("cli: a directory that cannot be listed becomes an error input", "[cli][inputs]") {
  if (::geteuid() == 0) {
    WARN("skipped: running as root, permissions are not enforced");
    return;
  }
  TempDir tmp;
  write_text(tmp / "in" / "locked" / "x.jpg", "x");
  write_text(tmp / "in" / "ok.jpg", "x");
  fs::permissions(tmp / "in" / "locked", fs::perms::none);
  const auto inputs = expand_inputs({(tmp / "in").string()});
  fs::permissions(tmp / "in" / "locked", fs::perms::owner_all);
  REQUIRE(inputs.size() == 2);
  CHECK(inputs[0].path == tmp / "in" / "locked");
  CHECK(inputs[0].error == ErrorCode::kUnreadable);
  CHECK(inputs[1].path == tmp / "in" / "ok.jpg");
}

TEST_CASE("cli: --files-from lists are read one path per line", "[cli][inputs]") {
  std::istringstream list("a.jpg\r\n\nwith space.jpg\n  leading.jpg\nlast.jpg");
  CHECK(read_path_list(list) ==
        std::vector<std::string>{"a.jpg", "with space.jpg", "  leading.jpg", "last.jpg"});
  std::istringstream empty("");
  CHECK(read_path_list(empty).empty());
  // Lines of spaces or tabs only are blank lines, not names.
  std::istringstream spaces("   \n\t\n \t \r\nb.jpg\n");
  CHECK(read_path_list(spaces) == std::vector<std::string>{"b.jpg"});
}

TEST_CASE("cli: an empty directory expands to nothing", "[cli][inputs]") {
  TempDir tmp;
  fs::create_directories(tmp / "empty" / "nested");
  CHECK(expand_inputs({(tmp / "empty").string()}).empty());
}
