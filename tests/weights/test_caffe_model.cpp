// The caffemodel writer and reader: bit-exact round trips, the wire details other writers use
// (unpacked floats, legacy 4-D blob dimensions), and clean errors on bad input.
#include <google/protobuf/unknown_field_set.h>
#include <unistd.h>

#include <bit>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "weights/caffe_model.hpp"

using namespace mtcnn::weights;

namespace {

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Compares float arrays by their bits, so -0.0 vs 0.0 and NaN payloads count.
bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

CaffeModel sample_model() {
  const float quiet_nan_with_payload = std::bit_cast<float>(0x7fc01234U);
  CaffeModel model;
  model.name = "Sample";
  model.layers.push_back(
      {"conv1",
       "Convolution",
       {{{2, 1, 1, 2}, {1.0f, -0.0f, std::numeric_limits<float>::denorm_min(), 3.25f}},
        {{2}, {quiet_nan_with_payload, -std::numeric_limits<float>::infinity()}}}});
  model.layers.push_back({"PReLU1", "PReLU", {{{2}, {0.25f, -0.5f}}}});
  model.layers.push_back({"pool1", "Pooling", {}});
  model.layers.push_back({"fc", "InnerProduct", {{{1, 3}, {7.0f, 8.0f, 9.0f}}, {{1}, {0.125f}}}});
  return model;
}

void require_equal(const CaffeModel& a, const CaffeModel& b) {
  REQUIRE(a.name == b.name);
  REQUIRE(a.layers.size() == b.layers.size());
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    INFO("layer " << a.layers[l].name);
    CHECK(a.layers[l].name == b.layers[l].name);
    CHECK(a.layers[l].type == b.layers[l].type);
    REQUIRE(a.layers[l].blobs.size() == b.layers[l].blobs.size());
    for (std::size_t i = 0; i < a.layers[l].blobs.size(); ++i) {
      CHECK(a.layers[l].blobs[i].shape == b.layers[l].blobs[i].shape);
      CHECK(same_bits(a.layers[l].blobs[i].data, b.layers[l].blobs[i].data));
    }
  }
}

std::string decode_error(const std::string& bytes, const std::string& origin) {
  try {
    decode_caffemodel(as_bytes(bytes), origin);
    return "";
  } catch (const std::runtime_error& error) {
    return error.what();
  }
}

std::filesystem::path fresh_temp_dir(const std::string& tag) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mtcnn-test-" + tag + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Protobuf fields written one by one with libprotobuf's schema-less writer, for wire forms
// encode_caffemodel never emits.
using Fields = google::protobuf::UnknownFieldSet;

std::string serialized(const Fields& fields) {
  std::string bytes;
  REQUIRE(fields.SerializeToString(&bytes));
  return bytes;
}

// A one-layer NetParameter around the given BlobProto bytes.
std::string one_layer_net(const std::string& blob) {
  Fields layer;
  layer.AddLengthDelimited(1, "l");
  layer.AddLengthDelimited(7, blob);
  Fields net;
  net.AddLengthDelimited(1, "N");
  net.AddLengthDelimited(100, serialized(layer));
  return serialized(net);
}

}  // namespace

TEST_CASE("caffemodel encode then decode gives back every bit", "[caffe]") {
  const CaffeModel model = sample_model();
  const std::string bytes = encode_caffemodel(model);
  require_equal(decode_caffemodel(as_bytes(bytes), "memory"), model);
}

TEST_CASE("caffemodel encoding follows the NetParameter wire layout", "[caffe]") {
  CaffeModel model;
  model.name = "N";
  model.layers.push_back({"p", "PReLU", {{{1}, {1.0f}}}});
  const std::string bytes = encode_caffemodel(model);
  // Hand-derived from caffe.proto: name (1), layer (100) {name (1), type (2), blobs (7)
  // {data (5) packed, shape (7) {dim (1) packed}}}.
  const std::string expected = std::string("\x0a\x01N", 3) +
                               std::string("\xa2\x06\x17", 3) +  // field 100, length 23
                               std::string("\x0a\x01p", 3) + std::string("\x12\x05PReLU", 7) +
                               std::string("\x3a\x0b", 2) +                  // field 7, length 11
                               std::string("\x2a\x04\x00\x00\x80\x3f", 6) +  // data: 1.0f
                               std::string("\x3a\x03\x0a\x01\x01", 5);       // shape: dim [1]
  CHECK(bytes == expected);
}

TEST_CASE("caffemodel file write then read, via a temporary name", "[caffe]") {
  const auto dir = fresh_temp_dir("caffe-file");
  const auto path = dir / "sample.caffemodel";
  write_caffemodel(sample_model(), path);
  require_equal(read_caffemodel(path), sample_model());

  // Overwriting replaces the file whole and leaves no temporary behind.
  CaffeModel smaller;
  smaller.name = "Smaller";
  write_caffemodel(smaller, path);
  CHECK(read_caffemodel(path).layers.empty());
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++entries;
  CHECK(entries == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("caffemodel reader finds layers by name", "[caffe]") {
  const CaffeModel model = sample_model();
  CHECK(model.layer("fc").blobs.size() == 2);
  CHECK(model.find("missing") == nullptr);
  CHECK_THROWS_WITH(model.layer("missing"),
                    Catch::Contains("missing") && Catch::Contains("Sample"));
}

TEST_CASE("caffemodel reader accepts unpacked floats and legacy 4-D dimensions", "[caffe]") {
  Fields blob;
  blob.AddVarint(1, 1);  // num
  blob.AddVarint(2, 2);  // channels
  blob.AddVarint(3, 1);  // height
  blob.AddVarint(4, 1);  // width
  // Two floats as separate fixed32 fields (tag 5<<3|5 = 0x2d), as non-packed writers do.
  const std::string unpacked =
      std::string("\x2d\x00\x00\x80\x3f", 5) + std::string("\x2d\x00\x00\x00\xc0", 5);
  const std::string bytes = one_layer_net(serialized(blob) + unpacked);
  const CaffeModel model = decode_caffemodel(as_bytes(bytes), "legacy");
  REQUIRE(model.layers.size() == 1);
  REQUIRE(model.layers[0].blobs.size() == 1);
  CHECK(model.layers[0].blobs[0].shape == std::vector<std::int64_t>{1, 2, 1, 1});
  CHECK(model.layers[0].blobs[0].data == std::vector<float>{1.0f, -2.0f});
}

TEST_CASE("caffemodel reader rejects malformed input with the origin in the message", "[caffe]") {
  SECTION("every truncation of an encoded model") {
    const std::string bytes = encode_caffemodel(sample_model());
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      // A cut that falls exactly between top-level fields is a valid, shorter message; any
      // other cut must be refused. Either way nothing but runtime_error may escape.
      try {
        const CaffeModel partial =
            decode_caffemodel(as_bytes(bytes.substr(0, size)), "cut.caffemodel");
        CHECK(partial.layers.size() < sample_model().layers.size());
      } catch (const std::runtime_error& error) {
        CHECK_THAT(error.what(), Catch::Contains("cut.caffemodel"));
      }
    }
  }
  // libprotobuf says only that the bytes do not parse, not why.
  SECTION("a length running past the end") {
    CHECK_THAT(decode_error(std::string("\xa2\x06\x7f\x0a", 4), "x.caffemodel"),
               Catch::Contains("x.caffemodel") && Catch::Contains("truncated"));
  }
  SECTION("a varint that never ends") {
    CHECK_THAT(decode_error(std::string(12, '\xff'), "x.caffemodel"),
               Catch::Contains("x.caffemodel") && Catch::Contains("malformed protobuf"));
  }
  SECTION("a group that never ends") {
    CHECK_THAT(decode_error(std::string("\x0b", 1), "x.caffemodel"),
               Catch::Contains("x.caffemodel") && Catch::Contains("malformed protobuf"));
  }
  SECTION("a blob that does not parse") {
    Fields layer;
    layer.AddLengthDelimited(7, "\xff");  // a blob cut inside its first tag
    Fields net;
    net.AddLengthDelimited(100, serialized(layer));
    CHECK_THAT(decode_error(serialized(net), "x.caffemodel"),
               Catch::Contains("x.caffemodel") && Catch::Contains("malformed protobuf"));
  }
  SECTION("blob data that does not fill its shape") {
    CaffeModel model;
    model.layers.push_back({"l", "InnerProduct", {{{2, 2}, {1, 2, 3}}}});
    CHECK_THAT(decode_error(encode_caffemodel(model), "x.caffemodel"),
               Catch::Contains("x.caffemodel") && Catch::Contains("3 floats") &&
                   Catch::Contains("needs 4"));
  }
  SECTION("a packed float array whose length is not a multiple of 4") {
    Fields blob;
    blob.AddLengthDelimited(5, "abc");
    CHECK_THAT(decode_error(one_layer_net(serialized(blob)), "x.caffemodel"),
               Catch::Contains("x.caffemodel") && Catch::Contains("malformed protobuf"));
  }
  SECTION("the pre-2015 V1 layers field") {
    Fields net;
    net.AddLengthDelimited(2, "");
    CHECK_THAT(decode_error(serialized(net), "old.caffemodel"),
               Catch::Contains("old.caffemodel") && Catch::Contains("V1"));
  }
  SECTION("a missing file") {
    CHECK_THROWS_WITH(read_caffemodel("/nonexistent/det1.caffemodel"),
                      Catch::Contains("/nonexistent/det1.caffemodel"));
  }
}

TEST_CASE("caffemodel writer reports an unwritable destination", "[caffe]") {
  CHECK_THROWS_WITH(write_caffemodel(sample_model(), "/nonexistent/dir/det1.caffemodel"),
                    Catch::Contains("/nonexistent/dir/det1.caffemodel"));
}
