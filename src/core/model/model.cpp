// The transformer: parameter layout and initialization, forward, backward,
// AdamW. Each backward step quotes the forward line it differentiates.
//
// Index
//   - layout         the parameter arena and its named views
//   - init           initialization
//   - activations    the activation arena
//   - forward
//   - backward
//   - update         AdamW, gradient clipping, finiteness checks
//   - reconfigure    changing the attention variant mid-run
//   - costs          memory and FLOP estimates
//   - profile        where a step's time goes (benchmarks only)
#include "core/model/model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "core/kernels/adamw.h"
#include "core/kernels/crossentropy.h"
#include "core/kernels/embedding.h"
#include "core/kernels/finite.h"
#include "core/kernels/gelu.h"
#include "core/kernels/layernorm.h"
#include "core/kernels/linear.h"
#include "core/kernels/residual.h"
#include "core/kernels/rope.h"

namespace attnlab {
namespace {

AttentionSpec make_spec(const ModelConfig& m, int length) {
  AttentionSpec s;
  s.heads = m.heads;
  s.head_dim = m.width / m.heads;
  s.mask.causal = m.causal;
  s.mask.window = m.window;
  s.mask.extra_globals = m.globals;
  s.mask.registers = m.registers;
  s.mask.sinks = std::min(m.sinks, length);
  s.scale = m.logit_scale / std::sqrt(static_cast<float>(s.head_dim));
  s.softmax1 = m.softmax1;
  s.sink_logit = m.sink_logit;
  s.softcap = m.softcap;
  s.qk_norm = m.qk_norm;
  return s;
}

}  // namespace

// ---- layout ----------------------------------------------------------------------

Model::Model(const ModelConfig& config, int vocab, int length)
    : config_(config), spec_(make_spec(config, length)), vocab_(vocab), length_(length),
      prefix_(config.globals + config.registers) {
  build_layout();
}

void Model::build_layout() {
  const int C = config_.width, V = vocab_, T = length_, P = prefix_, H = config_.heads;
  tensors_.clear();
  size_t offset = 0;
  auto add = [&](const std::string& name, std::vector<int> shape, bool decay) {
    size_t size = 1;
    for (int d : shape) size *= static_cast<size_t>(d);
    tensors_.push_back({name, offset, size, std::move(shape), decay});
    offset += size;
  };
  add("wte", {V, C}, true);
  if (config_.positions == "learned") add("wpe", {T, C}, true);
  if (P > 0) add("wprefix", {P, C}, false);
  for (int l = 0; l < config_.layers; ++l) {
    const std::string h = "h" + std::to_string(l) + ".";
    add(h + "ln1.w", {C}, false);
    add(h + "ln1.b", {C}, false);
    add(h + "attn.qkv.w", {C, 3 * C}, true);
    add(h + "attn.qkv.b", {3 * C}, false);
    add(h + "attn.proj.w", {C, C}, true);
    add(h + "attn.proj.b", {C}, false);
    if (config_.sink_logit) add(h + "attn.sink", {H}, false);
    add(h + "ln2.w", {C}, false);
    add(h + "ln2.b", {C}, false);
    add(h + "mlp.fc.w", {C, 4 * C}, true);
    add(h + "mlp.fc.b", {4 * C}, false);
    add(h + "mlp.proj.w", {4 * C, C}, true);
    add(h + "mlp.proj.b", {C}, false);
  }
  add("lnf.w", {C}, false);
  add("lnf.b", {C}, false);
  add("head.w", {C, V}, true);
  add("head.b", {V}, false);
  param_arena_.assign(offset, 0.0f);
  grad_arena_.assign(offset, 0.0f);
  m_arena_.assign(offset, 0.0f);
  v_arena_.assign(offset, 0.0f);
  params_ = views(param_arena_.data());
  grads_ = views(grad_arena_.data());
  rope_positions_.assign(seq(), -1);
  for (int t = 0; t < T; ++t) rope_positions_[P + t] = t;
  max_logit_.assign(static_cast<size_t>(config_.layers) * H, 0.0f);
  acts_batch_ = 0;  // the activation arena is re-sized on the next forward
}

ParamViews Model::views(float* base) const {
  auto at = [&](const std::string& name) -> float* {
    for (const TensorInfo& t : tensors_)
      if (t.name == name) return base + t.offset;
    return nullptr;
  };
  ParamViews v{};
  v.wte = at("wte");
  v.wpe = at("wpe");
  v.wprefix = at("wprefix");
  for (int l = 0; l < config_.layers; ++l) {
    const std::string h = "h" + std::to_string(l) + ".";
    v.layers.push_back({at(h + "ln1.w"), at(h + "ln1.b"), at(h + "attn.qkv.w"), at(h + "attn.qkv.b"),
                        at(h + "attn.proj.w"), at(h + "attn.proj.b"), at(h + "attn.sink"), at(h + "ln2.w"),
                        at(h + "ln2.b"), at(h + "mlp.fc.w"), at(h + "mlp.fc.b"), at(h + "mlp.proj.w"),
                        at(h + "mlp.proj.b")});
  }
  v.lnfw = at("lnf.w");
  v.lnfb = at("lnf.b");
  v.headw = at("head.w");
  v.headb = at("head.b");
  return v;
}

// ---- init --------------------------------------------------------------------------
//
// Matrices ~ N(0, 1/sqrt(fan_in)), so every pre-activation starts with about
// unit variance; the two projections back into the residual stream are
// further scaled by 1/sqrt(2 L). W_q and W_k are scaled by model.qk_init
// (> 1 starts the attention logits large, hence peaky). Embeddings and the
// learned prefix tokens ~ N(0, 0.5); biases 0; layer-norm gains 1; sink logits 0.

void Model::init_tensor(const TensorInfo& t, Rng* rng) {
  float* p = param_arena_.data() + t.offset;
  const int C = config_.width;
  const double depth = 1.0 / std::sqrt(2.0 * config_.layers);
  auto normal = [&](double std, size_t from, size_t count, size_t stride, size_t width) {
    // fills `count` rows of `width` starting at column `from` in rows of `stride`
    for (size_t r = 0; r < count; ++r)
      for (size_t c = 0; c < width; ++c) p[r * stride + from + c] = static_cast<float>(std * rng->normal());
  };
  const std::string& n = t.name;
  auto ends = [&](const char* s) { return n.size() >= std::strlen(s) && n.compare(n.size() - std::strlen(s), std::string::npos, s) == 0; };
  if (n == "wte" || n == "wpe" || n == "wprefix") {
    normal(0.5, 0, 1, 0, t.size);
  } else if (ends("ln1.w") || ends("ln2.w") || n == "lnf.w") {
    std::fill(p, p + t.size, 1.0f);
  } else if (ends("attn.qkv.w")) {  // [C, 3C]: columns q | k | v
    const double s = 1.0 / std::sqrt(static_cast<double>(C));
    for (int r = 0; r < C; ++r)
      for (int c = 0; c < 3 * C; ++c)
        p[static_cast<size_t>(r) * 3 * C + c] =
            static_cast<float>((c < 2 * C ? s * config_.qk_init : s) * rng->normal());
  } else if (ends("attn.proj.w")) {
    normal(depth / std::sqrt(static_cast<double>(C)), 0, 1, 0, t.size);
  } else if (ends("mlp.fc.w")) {
    normal(1.0 / std::sqrt(static_cast<double>(C)), 0, 1, 0, t.size);
  } else if (ends("mlp.proj.w")) {
    normal(depth / std::sqrt(4.0 * C), 0, 1, 0, t.size);
  } else if (n == "head.w") {
    normal(0.5 / std::sqrt(static_cast<double>(C)), 0, 1, 0, t.size);
  } else {
    std::fill(p, p + t.size, 0.0f);  // biases, sink logits
  }
}

void Model::init(Rng* rng) {
  for (const TensorInfo& t : tensors_) init_tensor(t, rng);
  std::fill(m_arena_.begin(), m_arena_.end(), 0.0f);
  std::fill(v_arena_.begin(), v_arena_.end(), 0.0f);
}

// ---- activations -------------------------------------------------------------------

void Model::ensure_acts(int B) {
  if (B <= acts_batch_) return;
  const size_t N = seq(), T = length_, C = config_.width, H = config_.heads, V = vocab_, L = config_.layers;
  const size_t BN = static_cast<size_t>(B) * N;
  const size_t per_layer = BN * (C * 22 + 4) + static_cast<size_t>(B) * H * N;
  act_arena_.assign(BN * C + L * per_layer + BN * (C + 2) + static_cast<size_t>(B) * T * (2 * V + 1), 0.0f);
  float* p = act_arena_.data();
  auto take = [&](size_t n) {
    float* r = p;
    p += n;
    return r;
  };
  encoded_ = take(BN * C);
  layer_acts_.resize(L);
  for (LayerActs& a : layer_acts_) {
    a.ln1 = take(BN * C);
    a.ln1_mean = take(BN);
    a.ln1_rstd = take(BN);
    a.qkv = take(BN * 3 * C);
    a.atty = take(BN * C);
    a.lse = take(static_cast<size_t>(B) * H * N);
    a.attproj = take(BN * C);
    a.res2 = take(BN * C);
    a.ln2 = take(BN * C);
    a.ln2_mean = take(BN);
    a.ln2_rstd = take(BN);
    a.fch = take(BN * 4 * C);
    a.fch_gelu = take(BN * 4 * C);
    a.fch_tanh = take(BN * 4 * C);
    a.fcproj = take(BN * C);
    a.res3 = take(BN * C);
  }
  lnf_ = take(BN * C);
  lnf_mean_ = take(BN);
  lnf_rstd_ = take(BN);
  logits_ = take(static_cast<size_t>(B) * T * V);
  probs_ = take(static_cast<size_t>(B) * T * V);
  losses_ = take(static_cast<size_t>(B) * T);

  grad_act_arena_.assign(BN * C * 3 + BN * 3 * C + BN * 8 * C + static_cast<size_t>(B) * T * (V + 1), 0.0f);
  p = grad_act_arena_.data();
  dres_ = take(BN * C);
  dln_ = take(BN * C);
  datty_ = take(BN * C);
  dqkv_ = take(BN * 3 * C);
  dfch_ = take(BN * 4 * C);
  dfch_gelu_ = take(BN * 4 * C);
  dlogits_ = take(static_cast<size_t>(B) * T * V);
  dlosses_ = take(static_cast<size_t>(B) * T);
  acts_batch_ = B;
}

// ---- forward -----------------------------------------------------------------------

float Model::forward(const int* tokens, const int* targets, int B) {
  ensure_acts(B);
  const int N = seq(), T = length_, P = prefix_, C = config_.width, V = vocab_, H = config_.heads;
  const ParamViews& w = params_;
  last_tokens_ = tokens;
  last_targets_ = targets;
  last_B_ = B;
  lap_start();

  // encoded = [wprefix | wte[tokens] + wpe]
  for (int b = 0; b < B; ++b) {
    float* x = encoded_ + static_cast<size_t>(b) * N * C;
    if (P > 0) std::copy(w.wprefix, w.wprefix + static_cast<size_t>(P) * C, x);
    encoder_forward(x + static_cast<size_t>(P) * C, tokens + static_cast<size_t>(b) * T, w.wte, w.wpe, 1, T, C);
  }
  lap(OpProfile::Embedding);

  const int BN = B * N;
  for (int l = 0; l < config_.layers; ++l) {
    const LayerParams& lp = w.layers[l];
    LayerActs& a = layer_acts_[l];
    const float* residual = l == 0 ? encoded_ : layer_acts_[l - 1].res3;
    layernorm_forward(a.ln1, a.ln1_mean, a.ln1_rstd, residual, lp.ln1w, lp.ln1b, BN, C);
    lap(OpProfile::LayerNorm);
    linear_forward(a.qkv, a.ln1, lp.qkvw, lp.qkvb, BN, C, 3 * C);
    lap(OpProfile::Linear);
    if (config_.positions == "rope") rope_forward(a.qkv, rope_positions_.data(), kRopeBase, B, N, H, C / H);
    lap(OpProfile::Rope);
    attention_forward(a.atty, a.lse, &max_logit_[static_cast<size_t>(l) * H], &attention_work_, a.qkv, lp.sink,
                      spec_, B, N);
    lap(OpProfile::Attention);
    linear_forward(a.attproj, a.atty, lp.projw, lp.projb, BN, C, C);
    lap(OpProfile::Linear);
    residual_forward(a.res2, residual, a.attproj, BN * C);
    lap(OpProfile::Residual);
    layernorm_forward(a.ln2, a.ln2_mean, a.ln2_rstd, a.res2, lp.ln2w, lp.ln2b, BN, C);
    lap(OpProfile::LayerNorm);
    linear_forward(a.fch, a.ln2, lp.fcw, lp.fcb, BN, C, 4 * C);
    lap(OpProfile::Linear);
    gelu_forward(a.fch_gelu, a.fch_tanh, a.fch, BN * 4 * C);
    lap(OpProfile::Gelu);
    linear_forward(a.fcproj, a.fch_gelu, lp.fc2w, lp.fc2b, BN, 4 * C, C);
    lap(OpProfile::Linear);
    residual_forward(a.res3, a.res2, a.fcproj, BN * C);
    lap(OpProfile::Residual);
  }
  layernorm_forward(lnf_, lnf_mean_, lnf_rstd_, layer_acts_.back().res3, w.lnfw, w.lnfb, BN, C);
  lap(OpProfile::LayerNorm);
  // The head reads only the token rows of each sequence.
  for (int b = 0; b < B; ++b)
    linear_forward(logits_ + static_cast<size_t>(b) * T * V, lnf_ + (static_cast<size_t>(b) * N + P) * C, w.headw,
                   w.headb, T, C, V);
  lap(OpProfile::Linear);
  crossentropy_forward(losses_, probs_, logits_, targets, B * T, V);
  double sum = 0.0;
  num_targets_ = 0;
  for (int i = 0; i < B * T; ++i)
    if (targets[i] != kIgnoreTarget) {
      sum += losses_[i];
      ++num_targets_;
    }
  lap(OpProfile::Loss);
  return num_targets_ > 0 ? static_cast<float>(sum / num_targets_) : 0.0f;
}

void Model::zero_grad() {
  lap_start();
  std::fill(grad_arena_.begin(), grad_arena_.end(), 0.0f);
  lap(OpProfile::Other);
}

// ---- backward ----------------------------------------------------------------------

void Model::backward() {
  const int B = last_B_, N = seq(), T = length_, P = prefix_, C = config_.width, V = vocab_, H = config_.heads;
  const int BN = B * N;
  const ParamViews& w = params_;
  const ParamViews& g = grads_;
  const int* targets = last_targets_;
  lap_start();

  // loss = mean over the targets of losses  ->  dlosses = 1 / count at each target
  for (int i = 0; i < B * T; ++i)
    dlosses_[i] = targets[i] != kIgnoreTarget && num_targets_ > 0 ? 1.0f / num_targets_ : 0.0f;
  std::fill(dlogits_, dlogits_ + static_cast<size_t>(B) * T * V, 0.0f);
  crossentropy_backward(dlogits_, dlosses_, probs_, targets, B * T, V);
  lap(OpProfile::Loss);
  // logits_b = head(lnf_b[P:])
  std::fill(dln_, dln_ + static_cast<size_t>(BN) * C, 0.0f);
  for (int b = 0; b < B; ++b)
    linear_backward(dln_ + (static_cast<size_t>(b) * N + P) * C, g.headw, g.headb,
                    dlogits_ + static_cast<size_t>(b) * T * V, lnf_ + (static_cast<size_t>(b) * N + P) * C, w.headw,
                    T, C, V);
  lap(OpProfile::Linear);
  // lnf = layernorm(res3[L-1])
  std::fill(dres_, dres_ + static_cast<size_t>(BN) * C, 0.0f);
  layernorm_backward(dres_, g.lnfw, g.lnfb, dln_, layer_acts_.back().res3, w.lnfw, lnf_mean_, lnf_rstd_, BN, C);
  lap(OpProfile::LayerNorm);

  for (int l = config_.layers - 1; l >= 0; --l) {
    const LayerParams& lp = w.layers[l];
    const LayerParams& lg = g.layers[l];
    LayerActs& a = layer_acts_[l];
    const float* residual = l == 0 ? encoded_ : layer_acts_[l - 1].res3;
    // res3 = res2 + fcproj: dres (= d res3) is the gradient of both terms;
    // the ln2 branch then adds into dres, which becomes d res2.
    // fcproj = fc2(fch_gelu)
    std::fill(dfch_gelu_, dfch_gelu_ + static_cast<size_t>(BN) * 4 * C, 0.0f);
    linear_backward(dfch_gelu_, lg.fc2w, lg.fc2b, dres_, a.fch_gelu, lp.fc2w, BN, 4 * C, C);
    lap(OpProfile::Linear);
    // fch_gelu = gelu(fch)
    std::fill(dfch_, dfch_ + static_cast<size_t>(BN) * 4 * C, 0.0f);
    gelu_backward(dfch_, a.fch, a.fch_tanh, dfch_gelu_, BN * 4 * C);
    lap(OpProfile::Gelu);
    // fch = fc(ln2)
    std::fill(dln_, dln_ + static_cast<size_t>(BN) * C, 0.0f);
    linear_backward(dln_, lg.fcw, lg.fcb, dfch_, a.ln2, lp.fcw, BN, C, 4 * C);
    lap(OpProfile::Linear);
    // ln2 = layernorm(res2)
    layernorm_backward(dres_, lg.ln2w, lg.ln2b, dln_, a.res2, lp.ln2w, a.ln2_mean, a.ln2_rstd, BN, C);
    lap(OpProfile::LayerNorm);
    // res2 = residual + attproj: as above, dres is now d res2 = d attproj.
    // attproj = proj(atty)
    std::fill(datty_, datty_ + static_cast<size_t>(BN) * C, 0.0f);
    linear_backward(datty_, lg.projw, lg.projb, dres_, a.atty, lp.projw, BN, C, C);
    lap(OpProfile::Linear);
    // atty = attention(qkv)
    std::fill(dqkv_, dqkv_ + static_cast<size_t>(BN) * 3 * C, 0.0f);
    attention_backward(dqkv_, lg.sink, &attention_work_, datty_, a.atty, a.lse, a.qkv, lp.sink, spec_, B, N);
    lap(OpProfile::Attention);
    // qkv = rope(qkv_raw)
    if (config_.positions == "rope") rope_backward(dqkv_, rope_positions_.data(), kRopeBase, B, N, H, C / H);
    lap(OpProfile::Rope);
    // qkv_raw = qkv_linear(ln1)
    std::fill(dln_, dln_ + static_cast<size_t>(BN) * C, 0.0f);
    linear_backward(dln_, lg.qkvw, lg.qkvb, dqkv_, a.ln1, lp.qkvw, BN, C, 3 * C);
    lap(OpProfile::Linear);
    // ln1 = layernorm(residual): dres becomes d residual
    layernorm_backward(dres_, lg.ln1w, lg.ln1b, dln_, residual, lp.ln1w, a.ln1_mean, a.ln1_rstd, BN, C);
    lap(OpProfile::LayerNorm);
  }
  // encoded = [wprefix | wte[tokens] + wpe]
  for (int b = 0; b < B; ++b) {
    const float* d = dres_ + static_cast<size_t>(b) * N * C;
    if (P > 0)
      for (size_t i = 0; i < static_cast<size_t>(P) * C; ++i) g.wprefix[i] += d[i];
    encoder_backward(g.wte, g.wpe, d + static_cast<size_t>(P) * C, last_tokens_ + static_cast<size_t>(b) * T, 1, T, C);
  }
  lap(OpProfile::Embedding);
}

// ---- update --------------------------------------------------------------------------

void Model::update(float lr, const TrainConfig& train, int step) {
  lap_start();
  for (const TensorInfo& t : tensors_)
    adamw_update(param_arena_.data() + t.offset, m_arena_.data() + t.offset, v_arena_.data() + t.offset,
                 grad_arena_.data() + t.offset, lr, train.beta1, train.beta2, 1e-8f,
                 t.decay ? train.weight_decay : 0.0f, step, t.size);
  lap(OpProfile::AdamW);
}

float Model::clip_grad_norm(float max_norm) {
  lap_start();
  double ss = 0.0;
  for (float x : grad_arena_) ss += static_cast<double>(x) * x;
  const float norm = static_cast<float>(std::sqrt(ss));
  if (max_norm > 0.0f && norm > max_norm && std::isfinite(norm)) {
    const float s = max_norm / norm;
    for (float& x : grad_arena_) x *= s;
  }
  lap(OpProfile::Clip);
  return norm;
}

std::string Model::first_nonfinite_grad() const {
  for (const TensorInfo& t : tensors_)
    if (!all_finite(grad_arena_.data() + t.offset, t.size)) return t.name;
  return "";
}

std::string Model::first_nonfinite_param() const {
  for (const TensorInfo& t : tensors_)
    if (!all_finite(param_arena_.data() + t.offset, t.size)) return t.name;
  return "";
}

// ---- reconfigure ------------------------------------------------------------------------

void Model::reconfigure(const ModelConfig& config, Rng* rng) {
  const std::vector<TensorInfo> old_tensors = tensors_;
  const std::vector<float> old_p = param_arena_, old_m = m_arena_, old_v = v_arena_;
  config_ = config;
  spec_ = make_spec(config, length_);
  prefix_ = config.globals + config.registers;
  build_layout();
  for (const TensorInfo& t : tensors_) {
    const TensorInfo* old = nullptr;
    for (const TensorInfo& o : old_tensors)
      if (o.name == t.name) old = &o;
    init_tensor(t, rng);  // always drawn, so the stream does not depend on what is kept
    if (!old) continue;
    // Keep what overlaps (wprefix keeps its first rows when the prefix grows or shrinks).
    const size_t keep = std::min(old->size, t.size);
    std::copy_n(old_p.data() + old->offset, keep, param_arena_.data() + t.offset);
    std::copy_n(old_m.data() + old->offset, keep, m_arena_.data() + t.offset);
    std::copy_n(old_v.data() + old->offset, keep, v_arena_.data() + t.offset);
  }
}

// ---- costs --------------------------------------------------------------------------------

double Model::estimate_bytes(const RunConfig& c, int batch) {
  const double C = c.model.width, L = c.model.layers, H = c.model.heads;
  const double T = c.task.length, N = T + c.model.globals + c.model.registers;
  const double V = 2.0 * (c.task.symbols + c.task.topics + c.task.items) + 8;  // a bound on every task's vocab
  const double params = V * C * 2 + T * C + N * C + L * (12 * C * C + 13 * C + H) + 2 * C + V;
  const double acts = batch * (N * C + L * (N * (22 * C + 4) + H * N) + N * (C + 2) + T * (2 * V + 1));
  const double grad_acts = batch * (N * C * 3 + N * 3 * C + N * 8 * C + T * (V + 1));
  const double attention_scratch = (N + 16) * C * 2 + 64.0 * (N + 64) * 3 + N * C * 6;
  return 4.0 * (4 * params + acts + grad_acts + attention_scratch);
}

double Model::step_flops(int batch) const {
  const double C = config_.width, N = seq(), T = length_, V = vocab_, L = config_.layers;
  // Matmuls: 2 FLOPs per multiply-add; forward + backward = 3x forward.
  const double matmul = 2.0 * N * (C * 3 * C + C * C + 2 * C * 4 * C) * L + 2.0 * T * C * V;
  const double attention = attention_forward_flops(spec_, 1, static_cast<int>(N)) * L;  // forward
  return batch * (3.0 * matmul + 3.0 * attention);
}

// ---- profile -------------------------------------------------------------------------------

const char* OpProfile::name(int op) {
  static const char* const kNames[kOps] = {"embedding", "layernorm", "linear", "attention", "rope", "gelu",
                                           "residual",  "loss",      "clip",   "adamw",     "other"};
  return op >= 0 && op < kOps ? kNames[op] : "?";
}

double OpProfile::total() const {
  double t = 0;
  for (double m : ms) t += m;
  return t;
}

namespace {
double profile_clock_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

void Model::lap_start() {
  if (profile_) lap_ms_ = profile_clock_ms();
}

void Model::lap(OpProfile::Op op) {
  if (!profile_) return;
  const double now = profile_clock_ms();
  profile_->ms[op] += now - lap_ms_;
  lap_ms_ = now;
}

}  // namespace attnlab
