// Our side of bench/peers/peers.mjs and bench/peers/train_step.mjs, exported
// to JavaScript so that node can time it in the same process as the peers
// (onnxruntime-web, tfjs-backend-wasm), on the same data:
//   - the attention forward of the core (peers.mjs);
//   - one full training step of attnlab::Model (train_step.mjs);
//   - the machine's ceiling for wasm SIMD128 arithmetic (peers.mjs).
#include <emscripten.h>

#include <memory>
#include <vector>

#include "core/training/config.h"
#include "core/kernels/attention.h"
#include "core/model/model.h"
#include "core/base/rng.h"
#include "core/kernels/simd.h"

namespace {

attnlab::AttentionSpec g_spec;
int g_N = 0;
std::vector<float> g_qkv, g_out, g_lse;
attnlab::AttentionWorkspace g_work;

// train_step.mjs
std::unique_ptr<attnlab::Model> g_model;
attnlab::TrainConfig g_train;
std::vector<int> g_tokens, g_targets;
int g_batch = 0, g_step = 0;

}  // namespace

extern "C" {

// Allocates qkv [N, 3C] (filled by JS through attention_qkv()), out [N, C].
EMSCRIPTEN_KEEPALIVE void attention_setup(int heads, int n, int d, int causal) {
  g_spec = attnlab::AttentionSpec{};
  g_spec.heads = heads;
  g_spec.head_dim = d;
  g_spec.mask.causal = causal != 0;
  g_N = n;
  g_qkv.assign(static_cast<size_t>(n) * 3 * heads * d, 0.0f);
  g_out.assign(static_cast<size_t>(n) * heads * d, 0.0f);
  g_lse.assign(static_cast<size_t>(heads) * n, 0.0f);
}

EMSCRIPTEN_KEEPALIVE float* attention_qkv() { return g_qkv.data(); }
EMSCRIPTEN_KEEPALIVE float* attention_out() { return g_out.data(); }

EMSCRIPTEN_KEEPALIVE void attention_run() {
  attnlab::attention_forward(g_out.data(), g_lse.data(), nullptr, &g_work, g_qkv.data(), nullptr, g_spec, 1, g_N);
}

// ---- the ceiling (peers.mjs) -------------------------------------------------
//
// No kernel can multiply and add faster than this loop: 12 independent chains
// (enough to cover the latency), no memory traffic. One call is `rounds` x 12 x 8
// FLOPs. In the plain build a multiply-add is a multiply then an add, two
// instructions for 8 FLOPs on 4 floats; in the fused build (simd::fma,
// core/kernels/simd.h) it is one f32x4.relaxed_madd, so its ceiling is higher.
EMSCRIPTEN_KEEPALIVE float simd_peak_run(int rounds) {
  using B = attnlab::simd::batch;
  constexpr int kChains = 12;
  B acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = B(0.001f * static_cast<float>(c));
  const B scale(0.9999f), shift(0.0001f);
  for (int r = 0; r < rounds; ++r)
    for (int c = 0; c < kChains; ++c) acc[c] = attnlab::simd::fma(acc[c], scale, shift);
  B sum(0.0f);
  for (int c = 0; c < kChains; ++c) sum += acc[c];
  return xsimd::reduce_add(sum);  // used, so the loop is not optimized away
}

EMSCRIPTEN_KEEPALIVE double simd_peak_flops(int rounds) { return 12.0 * 8.0 * rounds; }

// ---- one training step (train_step.mjs) -------------------------------------------
//
// A pre-LN transformer with learned positions and causal full attention (no
// prefix tokens, no attention variants), initialized from Rng(seed), and one
// fixed batch: tokens [B, T] uniform in [0, V), targets[t] = tokens[t + 1]
// (the last one a fresh draw), so every position has a target. The optimizer
// is AdamW with the TrainConfig defaults (beta1 0.9, beta2 0.95, eps 1e-8),
// a constant lr and the given weight decay on the matrices.
EMSCRIPTEN_KEEPALIVE void train_setup(int layers, int width, int heads, int length, int vocab, int batch,
                                      float lr, float weight_decay, int seed) {
  attnlab::ModelConfig mc;
  mc.layers = layers;
  mc.width = width;
  mc.heads = heads;
  mc.positions = "learned";
  mc.causal = true;
  g_model = std::make_unique<attnlab::Model>(mc, vocab, length);
  attnlab::Rng rng(static_cast<uint64_t>(seed));
  attnlab::Rng init_rng = rng.fork(1), data_rng = rng.fork(2);
  g_model->init(&init_rng);
  g_train = attnlab::TrainConfig{};
  g_train.lr = lr;
  g_train.weight_decay = weight_decay;
  g_batch = batch;
  g_step = 0;
  g_tokens.assign(static_cast<size_t>(batch) * length, 0);
  g_targets.assign(static_cast<size_t>(batch) * length, 0);
  for (int b = 0; b < batch; ++b) {
    int* tok = &g_tokens[static_cast<size_t>(b) * length];
    int* tgt = &g_targets[static_cast<size_t>(b) * length];
    for (int t = 0; t < length; ++t) tok[t] = data_rng.below(vocab);
    for (int t = 0; t + 1 < length; ++t) tgt[t] = tok[t + 1];
    tgt[length - 1] = data_rng.below(vocab);
  }
}

// Exactly the four calls of Run::step (src/core/training/run.cpp); returns the loss.
// (Run::step also clips the gradient norm between backward and update: that
// is train_clip() below, timed on its own by train_step.mjs.)
EMSCRIPTEN_KEEPALIVE float train_step() {
  const float loss = g_model->forward(g_tokens.data(), g_targets.data(), g_batch);
  g_model->zero_grad();
  g_model->backward();
  g_model->update(g_train.lr, g_train, ++g_step);
  return loss;
}

EMSCRIPTEN_KEEPALIVE float train_clip(float max_norm) { return g_model->clip_grad_norm(max_norm); }

EMSCRIPTEN_KEEPALIVE double train_step_flops() { return g_model->step_flops(g_batch); }
EMSCRIPTEN_KEEPALIVE int train_num_params() { return static_cast<int>(g_model->num_params()); }
EMSCRIPTEN_KEEPALIVE const int* train_tokens() { return g_tokens.data(); }
EMSCRIPTEN_KEEPALIVE const int* train_targets() { return g_targets.data(); }

// The parameters, so that the peer can start from the same weights: the
// number of tensors, and each one's name, offset (in floats) and size.
EMSCRIPTEN_KEEPALIVE float* train_params() { return g_model->param_data().data(); }
EMSCRIPTEN_KEEPALIVE int train_num_tensors() { return static_cast<int>(g_model->tensors().size()); }
EMSCRIPTEN_KEEPALIVE const char* train_tensor_name(int i) { return g_model->tensors()[i].name.c_str(); }
EMSCRIPTEN_KEEPALIVE int train_tensor_offset(int i) { return static_cast<int>(g_model->tensors()[i].offset); }
EMSCRIPTEN_KEEPALIVE int train_tensor_size(int i) { return static_cast<int>(g_model->tensors()[i].size); }

}  // extern "C"
