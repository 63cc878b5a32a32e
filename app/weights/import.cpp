#include "weights/import.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "weights/caffe_model.hpp"
#include "weights/layout.hpp"
#include "weights/tflite_model.hpp"

namespace mtcnn::weights {

namespace {

enum class Kind { convolution, prelu, inner_product };

// One Caffe layer with weights and where its numbers sit in the .tflite file. Tensor names are
// relative to the net's prefix ("pnet/", ...). `flat_from` is the h x w x c feature map a fully
// connected layer flattens (0 x 0 x 0 when its input is already a vector).
struct LayerSpec {
  Kind kind;
  const char* caffe_name;
  const char* weights;
  const char* bias;  // nullptr for PReLU, whose only blob is the slope
  std::array<std::size_t, 3> flat_from{0, 0, 0};
};

struct NetSpec {
  const char* tflite_file;
  const char* caffemodel_file;
  const char* net_name;  // as in the matching .prototxt
  const char* prefix;
  std::vector<LayerSpec> layers;
};

// Layer names follow weights/det{1,2,3}.prototxt, which OpenCV matches to the blobs by name.
const std::vector<NetSpec>& net_specs() {
  using enum Kind;
  static const std::vector<NetSpec> specs = {
      {"pnet.tflite",
       "det1.caffemodel",
       "PNet",
       "pnet/",
       {
           {convolution, "conv1", "conv1/weights/read", "conv1/Conv2D_bias"},
           {prelu, "PReLU1", "PReLU1/alpha/read", nullptr},
           {convolution, "conv2", "conv2/weights/read", "conv2/Conv2D_bias"},
           {prelu, "PReLU2", "PReLU2/alpha/read", nullptr},
           {convolution, "conv3", "conv3/weights/read", "conv3/Conv2D_bias"},
           {prelu, "PReLU3", "PReLU3/alpha/read", nullptr},
           {convolution, "conv4-1", "conv4-1/weights/read", "conv4-1/Conv2D_bias"},
           {convolution, "conv4-2", "conv4-2/weights/read", "conv4-2/Conv2D_bias"},
       }},
      {"rnet.tflite",
       "det2.caffemodel",
       "RNet",
       "rnet/",
       {
           {convolution, "conv1", "conv1/weights/read", "conv1/Conv2D_bias"},
           {prelu, "prelu1", "prelu1/alpha/read", nullptr},
           {convolution, "conv2", "conv2/weights/read", "conv2/Conv2D_bias"},
           {prelu, "prelu2", "prelu2/alpha/read", nullptr},
           {convolution, "conv3", "conv3/weights/read", "conv3/Conv2D_bias"},
           {prelu, "prelu3", "prelu3/alpha/read", nullptr},
           // conv3's output is 64 channels of 3x3.
           {inner_product,
            "conv4",
            "conv4/weights/read/transpose",
            "conv4/conv4/MatMul_bias",
            {3, 3, 64}},
           {prelu, "prelu4", "prelu4/alpha/read", nullptr},
           {inner_product, "conv5-1", "conv5-1/weights/read/transpose",
            "conv5-1/conv5-1/MatMul_bias"},
           {inner_product, "conv5-2", "conv5-2/weights/read/transpose",
            "conv5-2/conv5-2/MatMul_bias"},
       }},
      {"onet.tflite",
       "det3.caffemodel",
       "ONet",
       "onet/",
       {
           {convolution, "conv1", "conv1/weights/read", "conv1/Conv2D_bias"},
           {prelu, "prelu1", "prelu1/alpha/read", nullptr},
           {convolution, "conv2", "conv2/weights/read", "conv2/Conv2D_bias"},
           {prelu, "prelu2", "prelu2/alpha/read", nullptr},
           {convolution, "conv3", "conv3/weights/read", "conv3/Conv2D_bias"},
           {prelu, "prelu3", "prelu3/alpha/read", nullptr},
           {convolution, "conv4", "conv4/weights/read", "conv4/Conv2D_bias"},
           {prelu, "prelu4", "prelu4/alpha/read", nullptr},
           // conv4's output is 128 channels of 3x3.
           {inner_product,
            "conv5",
            "conv5/weights/read/transpose",
            "conv5/conv5/MatMul_bias",
            {3, 3, 128}},
           {prelu, "prelu5", "prelu5/alpha/read", nullptr},
           {inner_product, "conv6-1", "conv6-1/weights/read/transpose",
            "conv6-1/conv6-1/MatMul_bias"},
           {inner_product, "conv6-2", "conv6-2/weights/read/transpose",
            "conv6-2/conv6-2/MatMul_bias"},
           {inner_product, "conv6-3", "conv6-3/weights/read/transpose",
            "conv6-3/conv6-3/MatMul_bias"},
       }},
  };
  return specs;
}

std::string describe(const std::vector<std::int32_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i != 0) out += ',';
    out += std::to_string(shape[i]);
  }
  out += ']';
  return out;
}

// Looks a weight tensor up and checks it has constant data of the expected rank.
const TfliteTensor& weight_tensor(const TfliteModel& model, const std::string& name,
                                  std::size_t rank) {
  const TfliteTensor& tensor = model.tensor(name);
  if (tensor.type != kTfliteFloat32 || tensor.data.empty()) {
    throw std::runtime_error(model.origin + ": tensor '" + name + "' holds no float32 constants");
  }
  if (tensor.shape.size() != rank) {
    throw std::runtime_error(model.origin + ": tensor '" + name + "' has shape " +
                             describe(tensor.shape) + ", expected " + std::to_string(rank) +
                             " dimensions");
  }
  return tensor;
}

std::size_t dim(const TfliteTensor& tensor, std::size_t i) {
  return static_cast<std::size_t>(tensor.shape[i]);
}

CaffeBlob vector_blob(const TfliteModel& model, const std::string& name,
                      std::size_t expected_size) {
  const TfliteTensor& tensor = weight_tensor(model, name, 1);
  if (dim(tensor, 0) != expected_size) {
    throw std::runtime_error(model.origin + ": tensor '" + name + "' has " +
                             std::to_string(dim(tensor, 0)) + " values, the layer needs " +
                             std::to_string(expected_size));
  }
  return {{static_cast<std::int64_t>(expected_size)}, tensor.data};
}

CaffeLayer convert_layer(const TfliteModel& model, const std::string& prefix,
                         const LayerSpec& spec) {
  CaffeLayer layer{spec.caffe_name, {}, {}};
  const std::string weights_name = prefix + spec.weights;
  switch (spec.kind) {
    case Kind::convolution: {
      layer.type = "Convolution";
      const TfliteTensor& w = weight_tensor(model, weights_name, 4);  // [O, kh, kw, I]
      const std::size_t out = dim(w, 0), kh = dim(w, 1), kw = dim(w, 2), in = dim(w, 3);
      layer.blobs.push_back({{static_cast<std::int64_t>(out), static_cast<std::int64_t>(in),
                              static_cast<std::int64_t>(kh), static_cast<std::int64_t>(kw)},
                             ohwi_to_oihw(w.data, out, kh, kw, in)});
      layer.blobs.push_back(vector_blob(model, prefix + spec.bias, out));
      break;
    }
    case Kind::inner_product: {
      layer.type = "InnerProduct";
      const TfliteTensor& w = weight_tensor(model, weights_name, 2);  // [out, in]
      const std::size_t out = dim(w, 0), in = dim(w, 1);
      const auto [h, wd, c] = spec.flat_from;
      std::vector<float> data = w.data;
      if (c != 0) {
        if (in != h * wd * c) {
          throw std::runtime_error(model.origin + ": tensor '" + weights_name + "' has " +
                                   std::to_string(in) + " inputs, expected " +
                                   std::to_string(h * wd * c));
        }
        data = fc_hwc_to_chw(w.data, out, h, wd, c);
      }
      layer.blobs.push_back(
          {{static_cast<std::int64_t>(out), static_cast<std::int64_t>(in)}, std::move(data)});
      layer.blobs.push_back(vector_blob(model, prefix + spec.bias, out));
      break;
    }
    case Kind::prelu: {
      layer.type = "PReLU";
      const TfliteTensor& slope = weight_tensor(model, weights_name, 1);
      layer.blobs.push_back(vector_blob(model, weights_name, dim(slope, 0)));
      break;
    }
  }
  return layer;
}

CaffeModel convert_net(const TfliteModel& model, const NetSpec& spec) {
  CaffeModel caffe;
  caffe.name = spec.net_name;
  for (const auto& layer : spec.layers)
    caffe.layers.push_back(convert_layer(model, spec.prefix, layer));
  return caffe;
}

}  // namespace

void import_tflite_weights(const std::filesystem::path& tflite_dir,
                           const std::filesystem::path& out_dir) {
  // Convert all three nets before writing any, so a bad input never leaves a mixed set behind.
  std::vector<std::pair<std::filesystem::path, CaffeModel>> outputs;
  for (const NetSpec& spec : net_specs()) {
    const TfliteModel model = read_tflite(tflite_dir / spec.tflite_file);
    outputs.emplace_back(out_dir / spec.caffemodel_file, convert_net(model, spec));
  }
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error)
    throw std::runtime_error(out_dir.string() + ": cannot create directory: " + error.message());
  for (const auto& [path, model] : outputs) write_caffemodel(model, path);
}

}  // namespace mtcnn::weights
