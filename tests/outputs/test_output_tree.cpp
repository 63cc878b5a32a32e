// Output folders never harm the inputs: set-up refusals, names that depend on the input only,
// writes that never replace an input, and walks that skip mtcnn's own folders.
#include <catch2/catch.hpp>

#include "common/exit_status.hpp"
#include "inputs/input_list.hpp"
#include "outputs/output_tree.hpp"
#include "support/cli_support.hpp"

using namespace mtcnn::cli;
using namespace cli_test;

namespace {

const OutputNaming kSameName = [](const fs::path& mirror) { return mirror; };

// Runs f with tmp as the working directory, so relative paths read as a user types them.
template <typename F>
void in_directory(const fs::path& dir, F f) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  try {
    f();
  } catch (...) {
    fs::current_path(before);
    throw;
  }
  fs::current_path(before);
}

}  // namespace

TEST_CASE("cli: an output folder may not be or lie inside an input folder", "[cli][outputs]") {
  TempDir tmp;
  write_text(tmp / "photos" / "a.jpg", "x");
  write_text(tmp / "loose.jpg", "x");
  in_directory(tmp.path(), [] {
    const std::vector<std::string> given{"photos"};
    CHECK_THROWS_AS(check_output_folder_outside_inputs("photos", given, "--annotate"), SetupError);
    CHECK_THROWS_AS(check_output_folder_outside_inputs("photos/", given, "--annotate"), SetupError);
    CHECK_THROWS_AS(check_output_folder_outside_inputs("./x/../photos", given, "--annotate"),
                    SetupError);
    CHECK_THROWS_AS(check_output_folder_outside_inputs("photos/new/deeper", given, "--annotate"),
                    SetupError);
    CHECK_NOTHROW(check_output_folder_outside_inputs("photos-annotated", given, "--annotate"));
    CHECK_NOTHROW(check_output_folder_outside_inputs("out", given, "--annotate"));

    // A file named on its own keeps its relative path below the output folder: "." would put
    // each copy on its input.
    CHECK_THROWS_WITH(check_output_folder_outside_inputs(".", {"loose.jpg"}, "--annotate"),
                      Catch::Contains("loose.jpg") && Catch::Contains("replaced"));
    CHECK_THROWS_AS(check_output_folder_outside_inputs("./", {"photos/a.jpg"}, "--crops"),
                    SetupError);
    CHECK_NOTHROW(check_output_folder_outside_inputs("photos", {"photos/a.jpg"}, "--annotate"));
    CHECK_NOTHROW(check_output_folder_outside_inputs("out", {"photos/a.jpg"}, "--annotate"));
  });
  // An absolute path keeps only its file name: its own folder is refused.
  const std::string absolute = (tmp / "photos" / "a.jpg").string();
  CHECK_THROWS_AS(check_output_folder_outside_inputs(tmp / "photos", {absolute}, "--annotate"),
                  SetupError);
  CHECK_NOTHROW(check_output_folder_outside_inputs(tmp / "out", {absolute}, "--annotate"));
}

TEST_CASE("cli: a symbolic link to an input folder is refused as an output", "[cli][outputs]") {
  TempDir tmp;
  write_text(tmp / "photos" / "a.jpg", "x");
  fs::create_directory_symlink(tmp / "photos", tmp / "alias");
  CHECK_THROWS_AS(
      check_output_folder_outside_inputs(tmp / "alias", {(tmp / "photos").string()}, "--annotate"),
      SetupError);
}

TEST_CASE("cli: two inputs bound for the same output file are refused up front", "[cli][outputs]") {
  TempDir tmp;
  write_text(tmp / "2019" / "IMG_1.jpg", "x");
  write_text(tmp / "2020" / "IMG_1.jpg", "x");
  write_text(tmp / "2020" / "IMG_2.jpg", "x");
  const auto clash = expand_inputs({(tmp / "2019").string(), (tmp / "2020").string()});
  CHECK_THROWS_WITH(
      check_distinct_output_names(clash, kSameName, "out", "--annotate"),
      Catch::Contains("2019/IMG_1.jpg and ") && Catch::Contains("2020/IMG_1.jpg -> out/IMG_1.jpg"));
  // The same files from their common parent keep their folders: no clash.
  CHECK_NOTHROW(check_distinct_output_names(expand_inputs({tmp.path().string()}), kSameName, "out",
                                            "--annotate"));
}

TEST_CASE("cli: an output tree never writes over an input", "[cli][outputs]") {
  TempDir tmp;
  write_text(tmp / "photos" / "a.jpg", "the photo");
  fs::create_directory_symlink(tmp / "photos", tmp / "alias");
  const auto inputs = expand_inputs({(tmp / "photos" / "a.jpg").string()});
  // Through a link the folder check cannot see at set-up (it names no input folder).
  OutputTree tree(tmp / "alias", "--annotate", inputs);
  CHECK_THROWS_WITH(tree.write("a.jpg", std::vector<std::uint8_t>{'x'}),
                    Catch::Contains("is one of the inputs"));
  CHECK(read_text(tmp / "photos" / "a.jpg") == "the photo");
  tree.write("b.jpg", std::vector<std::uint8_t>{'x'});  // anything else is fine
  CHECK(read_text(tmp / "photos" / "b.jpg") == "x");
}

TEST_CASE("cli: walks skip the folders mtcnn writes into", "[cli][outputs]") {
  TempDir tmp;
  write_text(tmp / "photos" / "a.jpg", "x");
  const std::vector<InputFile> none;
  {
    OutputTree fresh(tmp / "photos" / "annotated", "--annotate", none);
    fresh.write("a.jpg", std::vector<std::uint8_t>{'x'});
  }
  CHECK(fs::exists(tmp / "photos" / "annotated" / kOutputFolderMarker));
  const auto walked = expand_inputs({(tmp / "photos").string()});
  REQUIRE(walked.size() == 1);
  CHECK(walked[0].path == tmp / "photos" / "a.jpg");

  // A folder that already holds files of the user's is not marked, so it stays walkable.
  write_text(tmp / "mine" / "own.jpg", "x");
  OutputTree shared(tmp / "mine", "--annotate", none);
  CHECK_FALSE(fs::exists(tmp / "mine" / kOutputFolderMarker));
}
