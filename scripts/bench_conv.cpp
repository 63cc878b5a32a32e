// Side-by-side timings of the convolution paths (fp32 against bf16), per MTCNN layer shape and
// for the whole detector, one thread, runs interleaved, medians; the machine is shared, so only
// the ratios of one sitting mean something (docs/performance.md).
//
//   bench_conv layers [ROUNDS]
//   bench_conv detector MODEL_DIR ROUNDS PHOTO...
//
// Not installed; built with `cmake --build BUILD --target bench_conv`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "direct_conv.hpp"
#include "mtcnn/detector.hpp"

using namespace mtcnn::detail;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds_of(const std::function<void()>& f) {
  const auto start = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Layer {
  const char* name;
  int batch, channels, height, width, out_channels, k;
};

int layers(int rounds) {
  const Layer shapes[] = {
      {"P-Net conv1 3->10, 384x288", 1, 3, 384, 288, 10, 3},
      {"P-Net conv2 10->16, 191x143", 1, 10, 191, 143, 16, 3},
      {"P-Net conv3 16->32, 189x141", 1, 16, 189, 141, 32, 3},
      {"P-Net conv4-1 32->2 1x1, 187x139", 1, 32, 187, 139, 2, 1},
      {"P-Net conv4-2 32->4 1x1, 187x139", 1, 32, 187, 139, 4, 1},
      {"R-Net conv1 3->28, 24x24, x32", 32, 3, 24, 24, 28, 3},
      {"R-Net conv2 28->48, 11x11, x32", 32, 28, 11, 11, 48, 3},
      {"R-Net conv3 48->64 k2, 4x4, x32", 32, 48, 4, 4, 64, 2},
      {"O-Net conv1 3->32, 48x48, x8", 8, 3, 48, 48, 32, 3},
      {"O-Net conv2 32->64, 23x23, x8", 8, 32, 23, 23, 64, 3},
      {"O-Net conv3 64->64, 10x10, x8", 8, 64, 10, 10, 64, 3},
      {"O-Net conv4 64->128 k2, 4x4, x8", 8, 64, 4, 4, 128, 2},
  };
  const bool bf16 = conv_isa_supported(ConvIsa::kAvx512Bf16);
  std::printf("bf16 %s; medians of %d interleaved rounds, ms per layer call (whole batch)\n",
              bf16 ? "available" : "NOT available", rounds);
  std::printf(
      "| layer | fp32 (auto) | bf16 positions | bf16 channels | bf16 (precision kBf16) | "
      "ratio fp32/bf16 |\n|---|---|---|---|---|---|\n");
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (const Layer& l : shapes) {
    const size_t in_image = static_cast<size_t>(l.channels) * l.height * l.width;
    const size_t out_image =
        static_cast<size_t>(l.out_channels) * (l.height - l.k + 1) * (l.width - l.k + 1);
    std::vector<float> in(in_image * l.batch), out(out_image * l.batch);
    std::vector<float> w(static_cast<size_t>(l.out_channels) * l.channels * l.k * l.k);
    std::vector<float> bias(l.out_channels), slopes(l.out_channels);
    for (auto* v : {&in, &w, &bias, &slopes})
      for (float& x : *v) x = dist(rng);
    const PackedConv layer =
        pack_conv(w.data(), bias.data(), slopes.data(), l.out_channels, l.channels, l.k);
    // Enough repetitions for about 20 ms per measurement.
    const auto run = [&](const std::function<void(const float*, float*)>& conv) {
      return [&, conv] {
        for (int n = 0; n < l.batch; ++n)
          conv(in.data() + n * in_image, out.data() + n * out_image);
      };
    };
    std::vector<std::function<void()>> variants = {
        run([&](const float* i, float* o) {
          conv2d_prelu(i, l.height, l.width, layer, o, ConvPrecision::kFp32);
        }),
    };
    if (bf16) {
      variants.push_back(run([&](const float* i, float* o) {
        conv2d_prelu_isa(ConvIsa::kAvx512Bf16, ConvScheme::kPositions, i, l.height, l.width, layer,
                         o);
      }));
      variants.push_back(run([&](const float* i, float* o) {
        conv2d_prelu_isa(ConvIsa::kAvx512Bf16, ConvScheme::kChannels, i, l.height, l.width, layer,
                         o);
      }));
      variants.push_back(run([&](const float* i, float* o) {
        conv2d_prelu(i, l.height, l.width, layer, o, ConvPrecision::kBf16);
      }));
    }
    const double once = seconds_of(variants[0]);
    const int reps = std::max(1, static_cast<int>(0.02 / std::max(once, 1e-7)));
    std::vector<std::vector<double>> times(variants.size());
    for (int r = 0; r < rounds; ++r) {
      for (size_t v = 0; v < variants.size(); ++v) {
        times[v].push_back(seconds_of([&] {
                             for (int i = 0; i < reps; ++i) variants[v]();
                           }) /
                           reps * 1e3);
      }
    }
    std::printf("| %s | %.4f", l.name, median(times[0]));
    for (size_t v = 1; v < variants.size(); ++v) std::printf(" | %.4f", median(times[v]));
    if (bf16) std::printf(" | x%.2f", median(times[0]) / median(times[3]));
    std::printf(" |\n");
  }
  return 0;
}

int detector(const std::string& models, int rounds, const std::vector<std::string>& paths) {
  std::vector<cv::Mat> photos;
  for (const std::string& p : paths) {
    cv::Mat m = cv::imread(p, cv::IMREAD_COLOR);
    if (m.empty()) {
      std::fprintf(stderr, "cannot read %s\n", p.c_str());
      return 2;
    }
    photos.push_back(m);
  }
  mtcnn::Options fp32_options, bf16_options;
  bf16_options.precision = mtcnn::Precision::kBf16;
  mtcnn::Detector fp32(models, fp32_options), bf16(models, bf16_options);
  std::printf("bf16 %s; %zu photos, %d rounds interleaved, one thread\n",
              mtcnn::precision_supported(mtcnn::Precision::kBf16) ? "available" : "NOT available",
              photos.size(), rounds);
  std::vector<double> t_fp32, t_bf16, ratio;
  std::vector<std::vector<mtcnn::Face>> faces_fp32(photos.size()), faces_bf16(photos.size());
  struct Stages {
    double pnet = 0, rnet = 0, onet = 0;
  };
  std::vector<Stages> s_fp32, s_bf16;
  const auto pass = [&](mtcnn::Detector& d, std::vector<std::vector<mtcnn::Face>>& faces,
                        std::vector<Stages>& stages) {
    Stages st;
    const double t = seconds_of([&] {
      for (size_t i = 0; i < photos.size(); ++i) {
        faces[i] = d.detect(photos[i]);
        st.pnet += d.last_times().pnet_ms;
        st.rnet += d.last_times().rnet_ms;
        st.onet += d.last_times().onet_ms;
      }
    });
    stages.push_back(st);
    return t;
  };
  pass(fp32, faces_fp32, s_fp32);  // warm-up: Nets shaped, pages touched
  pass(bf16, faces_bf16, s_bf16);
  s_fp32.clear();
  s_bf16.clear();
  for (int r = 0; r < rounds; ++r) {
    // Alternate which goes first.
    double a = 0, b = 0;
    if (r % 2 == 0) {
      a = pass(fp32, faces_fp32, s_fp32);
      b = pass(bf16, faces_bf16, s_bf16);
    } else {
      b = pass(bf16, faces_bf16, s_bf16);
      a = pass(fp32, faces_fp32, s_fp32);
    }
    t_fp32.push_back(a);
    t_bf16.push_back(b);
    ratio.push_back(a / b);
    std::printf("round %d: fp32 %.3f s, bf16 %.3f s, x%.3f\n", r, a, b, a / b);
  }
  const auto stage_median = [](const std::vector<Stages>& v, double Stages::*m) {
    std::vector<double> x;
    for (const Stages& s : v) x.push_back(s.*m);
    return median(x);
  };
  std::printf(
      "median: fp32 %.3f s, bf16 %.3f s; fp32/bf16 of medians x%.3f, median of paired "
      "ratios x%.3f\n",
      median(t_fp32), median(t_bf16), median(t_fp32) / median(t_bf16), median(ratio));
  for (auto [name, m] : {std::pair{"P-Net", &Stages::pnet}, std::pair{"R-Net", &Stages::rnet},
                         std::pair{"O-Net", &Stages::onet}}) {
    std::printf("  %s: fp32 %.1f ms, bf16 %.1f ms, x%.3f\n", name, stage_median(s_fp32, m),
                stage_median(s_bf16, m), stage_median(s_fp32, m) / stage_median(s_bf16, m));
  }
  // How far bf16 moves the faces: count, and for each fp32 face the best-overlapping bf16 one.
  size_t n_fp32 = 0, n_bf16 = 0, matched = 0, photos_differ = 0;
  double worst_score = 0, sum_iou = 0, min_iou = 1;
  for (size_t i = 0; i < photos.size(); ++i) {
    n_fp32 += faces_fp32[i].size();
    n_bf16 += faces_bf16[i].size();
    if (faces_fp32[i].size() != faces_bf16[i].size()) ++photos_differ;
    for (const mtcnn::Face& f : faces_fp32[i]) {
      double best = 0;
      const mtcnn::Face* match = nullptr;
      for (const mtcnn::Face& g : faces_bf16[i]) {
        const double inter = (f.box & g.box).area();
        const double iou = inter / (f.box.area() + g.box.area() - inter);
        if (iou > best) best = iou, match = &g;
      }
      if (match != nullptr && best >= 0.5) {
        ++matched;
        sum_iou += best;
        min_iou = std::min(min_iou, best);
        worst_score = std::max(worst_score, static_cast<double>(std::abs(f.score - match->score)));
      }
    }
  }
  std::printf(
      "faces: fp32 %zu, bf16 %zu, fp32 faces matched at IoU >= 0.5: %zu (mean IoU %.4f, "
      "min %.4f, largest score difference %.2g); photos with another face count: %zu\n",
      n_fp32, n_bf16, matched, matched ? sum_iou / matched : 0.0, min_iou, worst_score,
      photos_differ);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "layers") return layers(argc > 2 ? std::atoi(argv[2]) : 11);
  if (mode == "detector" && argc > 4) {
    return detector(argv[2], std::atoi(argv[3]), std::vector<std::string>(argv + 4, argv + argc));
  }
  std::fprintf(stderr,
               "usage: bench_conv layers [ROUNDS]\n"
               "       bench_conv detector MODEL_DIR ROUNDS PHOTO...\n");
  return 2;
}
