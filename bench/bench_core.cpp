// Benchmarks of the core's kernels, natively and in wasm (one thread):
//   node build/wasm/bench/bench_core.js      ./build/native/bench/bench_core
// For each case: milliseconds per call, GFLOP/s, the scalar reference's time
// measured in the same run, and the SIMD/scalar speed-up. The references
// (core/kernels/ref/) are compiled here with auto-vectorization off, so "scalar" is
// scalar. GFLOP/s count useful work only: 4*d FLOPs per scored query-key pair
// forward (q.k and p.v), 12*d forward+backward; 2*M*N*K for a matmul.
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/kernels/attention.h"
#include "core/kernels/matmul.h"
#include "core/kernels/ref/attention_ref.h"
#include "core/kernels/ref/matmul_ref.h"
#include "core/kernels/simd.h"
#include "core/lab/presets.h"
#include "core/model/model.h"
#include "core/tasks/task.h"
#include "core/training/config_schema.h"
#include "timer.h"

namespace attnlab {
namespace {

std::vector<float> random(size_t n, unsigned seed) {
  std::vector<float> v(n);
  unsigned x = seed * 2654435761u + 1;
  for (float& f : v) {
    x = x * 1664525u + 1013904223u;
    f = static_cast<float>((x >> 8) & 0xFFFF) / 32768.0f - 1.0f;
  }
  return v;
}

bool g_quick = false;        // --quick: fewer, shorter batches (a smoke run)
bool g_window_only = false;  // --window: only the window + globals scaling table
bool g_presets_only = false; // --presets: only the preset step table
bool g_linear_only = false;  // --linear: only the matmuls at the presets' linear shapes

void row(const char* name, double flops, double ms, double ref_ms) {
  std::printf("| %-44s | %9.3f | %7.1f | %10.2f | %6.1fx |\n", name, ms, flops / ms / 1e6, ref_ms, ref_ms / ms);
  std::fflush(stdout);
}

struct AttentionCase {
  AttentionSpec spec;
  int B, N;
  std::vector<float> qkv, out, lse, dout, dqkv;
  AttentionWorkspace work;
  AttentionCase(AttentionSpec s, int n) : spec(std::move(s)), B(1), N(n) {
    const size_t C = spec.channels();
    qkv = random(N * 3 * C, 1);
    out.resize(N * C);
    lse.resize(static_cast<size_t>(spec.heads) * N);
    dout = random(N * C, 2);
    dqkv.resize(qkv.size());
  }
  void forward() { attention_forward(out.data(), lse.data(), nullptr, &work, qkv.data(), nullptr, spec, B, N); }
  void backward() {
    attention_backward(dqkv.data(), nullptr, &work, dout.data(), out.data(), lse.data(), qkv.data(), nullptr, spec, B, N);
  }
  void ref_forward() { ref::attention_forward(out.data(), lse.data(), static_cast<float*>(nullptr), qkv.data(), static_cast<const float*>(nullptr), spec, B, N); }
  void ref_backward() {
    ref::attention_backward(dqkv.data(), static_cast<float*>(nullptr), dout.data(), out.data(), lse.data(), qkv.data(),
                            static_cast<const float*>(nullptr), spec, B, N);
  }
};

double t(std::function<void()> f, bool scalar = false) {
  if (g_quick) return bench::time_ms(f, 3, 10.0);
  return scalar ? bench::time_ms(f, 3, 100.0) : bench::time_ms(f, 7, 60.0);
}

// V8 does not tier a running wasm function up, and tiers a called one up only
// after a while: call every measured code path for a second first.
void warm_up() {
  AttentionSpec spec;
  spec.heads = 2;
  spec.head_dim = 64;
  spec.mask.window = 16;
  spec.mask.extra_globals = 2;
  AttentionSpec dense_spec;
  dense_spec.heads = 2;
  dense_spec.head_dim = 64;
  AttentionCase a(spec, 256), b(dense_spec, 256);
  const auto x = random(128 * 128, 7);
  std::vector<float> y(128 * 128);
  bench::time_ms([&] {
    a.forward(); a.backward(); b.forward(); b.backward(); a.ref_forward(); a.ref_backward();
    matmul_ab(y.data(), x.data(), x.data(), 128, 128, 128, false);
    matmul_abt(y.data(), x.data(), x.data(), 128, 128, 128, false);
    matmul_atb(y.data(), x.data(), x.data(), 128, 128, 128, true);
    ref::matmul_ab(y.data(), x.data(), x.data(), 128, 128, 128, false);
    ref::matmul_abt(y.data(), x.data(), x.data(), 128, 128, 128, false);
    ref::matmul_atb(y.data(), x.data(), x.data(), 128, 128, 128, true);
  }, 3, g_quick ? 300.0 : 1000.0);
}

void dense(int H, int N, int d, bool causal, bool with_backward) {
  AttentionSpec spec;
  spec.heads = H;
  spec.head_dim = d;
  spec.mask.causal = causal;
  AttentionCase c(spec, N);
  const double pairs = static_cast<double>(spec.mask.pairs(N)) * H;
  char name[96];
  std::snprintf(name, sizeof name, "attention %s %s %dx%dx%d", with_backward ? "fwd+bwd" : "fwd",
                causal ? "causal" : "bidir", H, N, d);
  if (!with_backward) {
    row(name, pairs * 4 * d, t([&] { c.forward(); }), t([&] { c.ref_forward(); }, true));
  } else {
    row(name, pairs * 12 * d, t([&] { c.forward(); c.backward(); }),
        t([&] { c.ref_forward(); c.ref_backward(); }, true));
  }
}

void window_globals(const std::vector<int>& ns, int H, int d) {
  std::printf("\nwindow 16 (bidirectional) + 4 extra global tokens, %d heads x d %d; time ratio to the previous n (linear = 2.00)\n\n", H, d);
  std::printf("| %-10s | %12s | %9s | %7s | %10s | %6s | %8s | %8s |\n", "n", "pairs", "fwd ms", "GFLOP/s", "scalar ms",
              "SIMD/x", "ratio", "fwd+bwd");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  double prev = 0, first = 0, prev_fb = 0;
  for (int n : ns) {
    AttentionSpec spec;
    spec.heads = H;
    spec.head_dim = d;
    spec.mask.causal = false;
    spec.mask.window = 16;
    spec.mask.extra_globals = 4;
    AttentionCase c(spec, n);
    const double pairs = static_cast<double>(spec.mask.pairs(n)) * H;
    const double ms = t([&] { c.forward(); });
    const double ref_ms = t([&] { c.ref_forward(); }, true);
    const double fb = t([&] { c.forward(); c.backward(); });
    char ratio[32] = "-", ratio_fb[32] = "-";
    if (prev > 0) std::snprintf(ratio, sizeof ratio, "%.2f", ms / prev);
    if (prev_fb > 0) std::snprintf(ratio_fb, sizeof ratio_fb, "%.2f", fb / prev_fb);
    std::printf("| %-10d | %12.0f | %9.3f | %7.1f | %10.2f | %5.1fx | %8s | %8s |\n", n, pairs, ms,
                pairs * 4 * d / ms / 1e6, ref_ms, ref_ms / ms, ratio, ratio_fb);
    std::fflush(stdout);
    if (first == 0) first = ms;
    prev = ms;
    prev_fb = fb;
  }
  const double growth = prev / first, linear = static_cast<double>(ns.back()) / ns.front();
  std::printf("\nfrom n = %d to %d: time x%.2f for n x%.0f, i.e. %.2fx linear (target <= 1.2x)\n", ns.front(),
              ns.back(), growth, linear, growth / linear);
}

void matmul(int M, int N, int K) {
  const auto a = random(static_cast<size_t>(M) * K, 3), b = random(static_cast<size_t>(K) * N, 4),
             bt = random(static_cast<size_t>(N) * K, 5), c = random(static_cast<size_t>(M) * N, 6);
  std::vector<float> out(static_cast<size_t>(M) * N), outk(static_cast<size_t>(K) * N);
  const double flops = 2.0 * M * N * K;
  char name[96];
  std::snprintf(name, sizeof name, "matmul A.B   %dx%dx%d", M, N, K);
  row(name, flops, t([&] { matmul_ab(out.data(), a.data(), b.data(), M, N, K, false); }),
      t([&] { ref::matmul_ab(out.data(), a.data(), b.data(), M, N, K, false); }, true));
  std::snprintf(name, sizeof name, "matmul A.B^T %dx%dx%d", M, N, K);
  row(name, flops, t([&] { matmul_abt(out.data(), a.data(), bt.data(), M, N, K, false); }),
      t([&] { ref::matmul_abt(out.data(), a.data(), bt.data(), M, N, K, false); }, true));
  std::snprintf(name, sizeof name, "matmul A^T.B %dx%dx%d (+=)", M, N, K);
  row(name, flops, t([&] { matmul_atb(outk.data(), a.data(), c.data(), M, N, K, true); }),
      t([&] { ref::matmul_atb(outk.data(), a.data(), c.data(), M, N, K, true); }, true));
}

// ---- one training step at every preset's shapes ----------------------------------------------

// The distinct models the presets train: each Training-lab preset's A and B,
// and each job's variants or sweep points (one per distinct shape).
std::vector<std::pair<std::string, nlohmann::json>> preset_models() {
  std::vector<std::pair<std::string, nlohmann::json>> out;
  std::vector<std::string> shapes;
  auto add = [&](const std::string& name, const nlohmann::json& config) {
    RunConfig c;
    std::vector<std::string> errors;
    config_update_from_json(&c, config, &errors);
    nlohmann::json key = config_to_json(c);
    key.erase("seed");
    key["train"].erase("steps");
    key["train"].erase("lr");
    for (const char* f : {"set_size", "eval_size", "topics", "eval_length", "trigger_rate", "bind_rate"}) key["task"].erase(f);
    if (std::find(shapes.begin(), shapes.end(), key.dump()) != shapes.end()) return;
    shapes.push_back(key.dump());
    out.push_back({name, config});
  };
  for (const Preset& p : presets()) {
    const nlohmann::json& s = p.scenario;
    if (p.view == "training") {
      add(p.id + " A", s["config"]);
      if (s.contains("b")) {
        nlohmann::json b = s["config"];
        b.merge_patch(s["b"]);
        add(p.id + " B", b);
      }
    } else if (s.contains("variants")) {
      for (const nlohmann::json& v : s["variants"]) {
        nlohmann::json c = s["base"];
        if (v.contains("changes")) c.merge_patch(v["changes"]);
        add(p.id + " " + v.value("label", std::string("?")), c);
      }
    } else if (s.contains("over")) {
      // The grid of the sweep's fields: every combination of their values.
      std::vector<nlohmann::json> points = {s["base"]};
      for (const nlohmann::json& o : s["over"]) {
        std::vector<nlohmann::json> next;
        const std::string field = o["field"], section = field.substr(0, field.find('.')),
                          name = field.substr(field.find('.') + 1);
        for (const nlohmann::json& pt : points)
          for (const nlohmann::json& v : o["values"]) {
            nlohmann::json c = pt;
            c[section][name] = v;
            next.push_back(c);
          }
        points = next;
      }
      for (const nlohmann::json& c : points) {
        std::string label = p.id;
        for (const nlohmann::json& o : s["over"]) {
          const std::string field = o["field"];
          label += " " + o.value("key", field) + "=" + c[field.substr(0, field.find('.'))][field.substr(field.find('.') + 1)].dump();
        }
        add(label, c);
      }
    }
  }
  return out;
}

void preset_steps() {
  std::printf("\nOne training step (forward, zero_grad, backward, clip, AdamW; the batch drawn once) of every preset's\n"
              "model; GFLOP/s from Model::step_flops; then the share of the step's time in each kind of op.\n\n");
  std::printf("| %-44s | %5s | %5s | %8s | %7s |", "model", "N", "batch", "step ms", "GFLOP/s");
  for (int op = 0; op < OpProfile::kOps; ++op) std::printf(" %s |", OpProfile::name(op));
  std::printf("\n|---|---|---|---|---|");
  for (int op = 0; op < OpProfile::kOps; ++op) std::printf("---|");
  std::printf("\n");
  for (const auto& [name, config] : preset_models()) {
    RunConfig c;
    std::vector<std::string> errors;
    config_update_from_json(&c, config, &errors);
    if (errors.empty()) errors = validate_config(c);
    if (!errors.empty()) {
      std::printf("| %-44s | %s |\n", name.c_str(), errors[0].c_str());
      continue;
    }
    auto task = make_task(c.task);
    Model model(c.model, task->vocab_size(), task->length());
    Rng rng(c.seed);
    model.init(&rng);
    TaskBatch batch;
    task->sample(&batch, c.train.batch, &rng, Split::Train);
    int step = 0;
    auto train_step = [&] {
      model.forward(batch.tokens.data(), batch.targets.data(), c.train.batch);
      model.zero_grad();
      model.backward();
      model.clip_grad_norm(c.train.grad_clip);
      model.update(c.train.lr, c.train, ++step);
    };
    const double ms = t(train_step);
    OpProfile profile;
    model.set_profile(&profile);
    const int reps = g_quick ? 3 : 10;
    for (int r = 0; r < reps; ++r) train_step();
    model.set_profile(nullptr);
    std::printf("| %-44s | %5d | %5d | %8.2f | %7.1f |", name.c_str(), model.seq(), c.train.batch, ms,
                model.step_flops(c.train.batch) / ms / 1e6);
    for (int op = 0; op < OpProfile::kOps; ++op) std::printf(" %4.1f%% |", 100.0 * profile.ms[op] / profile.total());
    std::printf("\n");
    std::fflush(stdout);
  }
}

}  // namespace
}  // namespace attnlab

int main(int argc, char** argv) {
  using namespace attnlab;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      g_quick = true;
    } else if (std::strcmp(argv[i], "--window") == 0) {
      g_window_only = true;
    } else if (std::strcmp(argv[i], "--presets") == 0) {
      g_presets_only = true;
    } else if (std::strcmp(argv[i], "--linear") == 0) {
      g_linear_only = true;
    } else {
      std::fprintf(stderr, "usage: bench_core [--quick] [--window | --presets | --linear]\n");
      return 2;
    }
  }
  std::printf("Attention Lab core benchmarks: %s, %s, one thread\n\n", simd::arch_name(),
#ifdef __EMSCRIPTEN__
              "wasm (node)"
#else
              "native"
#endif
  );
  warm_up();
  if (g_window_only) {
    window_globals({512, 1024, 2048, 4096, 8192}, 4, 64);
    return 0;
  }
  if (g_presets_only) {
    preset_steps();
    return 0;
  }
  std::printf("| %-44s | %9s | %7s | %10s | %7s |\n", "case", "SIMD ms", "GFLOP/s", "scalar ms", "SIMD/x");
  std::printf("|---|---|---|---|---|\n");
  if (g_linear_only) {
    matmul(4096, 96, 32);
    matmul(4096, 128, 32);
    matmul(4096, 32, 128);
    return 0;
  }
  for (bool bwd : {false, true}) {
    dense(8, 256, 64, true, bwd);
    dense(4, 512, 64, true, bwd);
    dense(1, 2048, 64, true, bwd);
  }
  dense(8, 256, 64, false, false);
  matmul(256, 128, 128);
  matmul(512, 512, 512);
  // The presets' linear layers: batch 16 x 256 tokens, width 32 (qkv 32 -> 96, fc 32 -> 128, fc2 128 -> 32).
  matmul(4096, 96, 32);
  matmul(4096, 128, 32);
  matmul(4096, 32, 128);
  if (g_quick)
    window_globals({512, 1024, 2048}, 4, 64);
  else
    window_globals({512, 1024, 2048, 4096, 8192}, 4, 64);
  preset_steps();
  return 0;
}
