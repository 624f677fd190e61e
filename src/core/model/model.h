// A tiny pre-LN transformer built from the core's kernels (llm.c style).
//
//   x = [learned prefix tokens (globals, registers) | wte[token] (+ wpe[t])]   [B, N, C], N = P + T
//   per block:  x += proj(attention(rope(qkv(ln1(x)))));  x += fc2(gelu(fc1(ln2(x))))
//   logits = head(lnf(x)) on the T token rows;  loss = cross-entropy at the targets
//
// All parameters live in one arena (params), with the same layout for their
// gradients and AdamW's two moments; named views point into it. Activations
// live in a second arena sized for the largest batch seen. The training step
// is four plain calls: forward, zero_grad, backward, update.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/training/config.h"
#include "core/kernels/attention.h"
#include "core/base/rng.h"

namespace attnlab {

// One named tensor in the parameter arena.
struct TensorInfo {
  std::string name;
  size_t offset = 0, size = 0;
  std::vector<int> shape;
  bool decay = false;  // weight decay applies (matrices)
};

struct LayerParams {
  float* ln1w;   // [C]
  float* ln1b;   // [C]
  float* qkvw;   // [C, 3C]
  float* qkvb;   // [3C]
  float* projw;  // [C, C]
  float* projb;  // [C]
  float* sink;   // [H] learnable sink logits (null unless model.sink_logit)
  float* ln2w;   // [C]
  float* ln2b;   // [C]
  float* fcw;    // [C, 4C]
  float* fcb;    // [4C]
  float* fc2w;   // [4C, C]
  float* fc2b;   // [C]
};

struct ParamViews {
  float* wte;      // [V, C] token embeddings
  float* wpe;      // [T, C] learned positions (null with rope)
  float* wprefix;  // [P, C] learned global and register tokens (null if P = 0)
  std::vector<LayerParams> layers;
  float* lnfw;     // [C]
  float* lnfb;     // [C]
  float* headw;    // [C, V]
  float* headb;    // [V]
};

struct LayerActs {
  float* ln1;       // [B, N, C]
  float* ln1_mean;  // [B, N]
  float* ln1_rstd;  // [B, N]
  float* qkv;       // [B, N, 3C] (q and k rotated with rope)
  float* atty;      // [B, N, C]
  float* lse;       // [B, H, N]
  float* attproj;   // [B, N, C]
  float* res2;      // [B, N, C]
  float* ln2;       // [B, N, C]
  float* ln2_mean;  // [B, N]
  float* ln2_rstd;  // [B, N]
  float* fch;       // [B, N, 4C]
  float* fch_gelu;  // [B, N, 4C]
  float* fch_tanh;  // [B, N, 4C] GELU's tanh, for its backward
  float* fcproj;    // [B, N, C]
  float* res3;      // [B, N, C] the block's output
};

// Where a training step's time goes, for the benchmarks (bench_core): each
// kind of op's milliseconds, summed over calls. The app and the tests leave
// it off (Model::set_profile(nullptr), the default): then an op costs one
// pointer test and no clock read.
struct OpProfile {
  enum Op { Embedding, LayerNorm, Linear, Attention, Rope, Gelu, Residual, Loss, Clip, AdamW, Other, kOps };
  static const char* name(int op);
  double ms[kOps] = {};
  double total() const;
};

class Model {
 public:
  static constexpr float kRopeBase = 10000.0f;

  Model(const ModelConfig& config, int vocab, int length);

  // Parameters ~ the initialization described in model.cpp, from rng.
  void init(Rng* rng);

  // loss: mean cross-entropy over the targets != -1. tokens, targets: [B, T].
  float forward(const int* tokens, const int* targets, int B);
  void zero_grad();
  void backward();
  // One AdamW step (step counts from 1).
  void update(float lr, const TrainConfig& train, int step);

  // Global L2 norm of the gradients; clips them to max_norm when max_norm > 0.
  float clip_grad_norm(float max_norm);
  // The first tensor whose gradient (or parameter) is not finite, or "".
  std::string first_nonfinite_grad() const;
  std::string first_nonfinite_param() const;

  // Changes the attention variant mid-run. Parameters that exist in both
  // configurations are kept; new ones (more global tokens, sink logits) start
  // from their initialization; optimizer moments of new ones start at 0.
  void reconfigure(const ModelConfig& config, Rng* rng);

  const ModelConfig& config() const { return config_; }
  const AttentionSpec& spec() const { return spec_; }
  int prefix() const { return prefix_; }   // P
  int length() const { return length_; }   // T
  int seq() const { return prefix_ + length_; }  // N
  int vocab() const { return vocab_; }
  int last_batch() const { return acts_batch_; }

  // After forward(): the activations of the last batch.
  const LayerActs& layer_acts(int l) const { return layer_acts_[l]; }
  const float* logits() const { return logits_; }   // [B, T, V]
  const float* probs() const { return probs_; }     // [B, T, V]
  const float* losses() const { return losses_; }   // [B, T]
  const float* max_logit(int l) const { return &max_logit_[static_cast<size_t>(l) * config_.heads]; }  // [H]
  const float* sink_logits(int l) const { return params_.layers[l].sink; }

  // The arenas, for saving, restoring and tests.
  std::vector<float>& param_data() { return param_arena_; }
  const std::vector<float>& param_data() const { return param_arena_; }
  std::vector<float>& grad_data() { return grad_arena_; }
  std::vector<float>& adam_m() { return m_arena_; }
  std::vector<float>& adam_v() { return v_arena_; }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const ParamViews& params() const { return params_; }
  const ParamViews& grads() const { return grads_; }

  // Parameter count, and an estimate of a run's memory: parameters, gradients,
  // AdamW moments, activations for `batch` sequences and their gradients.
  size_t num_params() const { return param_arena_.size(); }
  static double estimate_bytes(const RunConfig& config, int batch);
  // FLOPs of one training step (forward + backward) on `batch` sequences.
  double step_flops(int batch) const;

  // Times every op of forward, backward, clip_grad_norm and update into
  // profile (not owned; null: off).
  void set_profile(OpProfile* profile) { profile_ = profile; }

 private:
  void build_layout();
  ParamViews views(float* base) const;
  void ensure_acts(int B);
  void init_tensor(const TensorInfo& t, Rng* rng);

  ModelConfig config_;
  AttentionSpec spec_;
  int vocab_, length_, prefix_;
  std::vector<TensorInfo> tensors_;
  std::vector<float> param_arena_, grad_arena_, m_arena_, v_arena_;
  ParamViews params_{}, grads_{};
  std::vector<int> rope_positions_;  // [N]: -1 for prefix rows, t for token t

  // Activations (and one layer's worth of activation gradients).
  int acts_batch_ = 0;
  std::vector<float> act_arena_;
  float* encoded_ = nullptr;  // [B, N, C]
  std::vector<LayerActs> layer_acts_;
  float *lnf_ = nullptr, *lnf_mean_ = nullptr, *lnf_rstd_ = nullptr;  // [B,N,C], [B,N], [B,N]
  float *logits_ = nullptr, *probs_ = nullptr, *losses_ = nullptr;    // [B,T,V], [B,T,V], [B,T]
  std::vector<float> max_logit_;                                      // [L, H]
  AttentionWorkspace attention_work_;  // the attention kernels' scratch (a model runs on one thread)
  OpProfile* profile_ = nullptr;
  double lap_ms_ = 0;  // the clock at the previous lap (profiling only)
  void lap_start();
  void lap(OpProfile::Op op);  // adds the time since the previous lap (or lap_start) to op
  std::vector<float> grad_act_arena_;
  float *dres_ = nullptr, *dln_ = nullptr, *dqkv_ = nullptr, *datty_ = nullptr;  // [B,N,C] / [B,N,3C]
  float *dfch_ = nullptr, *dfch_gelu_ = nullptr, *dlogits_ = nullptr, *dlosses_ = nullptr;
  const int* last_tokens_ = nullptr;   // the forward's inputs, for backward
  const int* last_targets_ = nullptr;
  int last_B_ = 0;
  int num_targets_ = 0;
};

}  // namespace attnlab
