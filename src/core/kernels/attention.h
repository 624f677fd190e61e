// Masked multi-head attention, forward and backward, for every variant the
// course compares:
//   - full causal / bidirectional, sliding window, global tokens (extra or
//     designated), sink positions, registers: the AttentionMask;
//   - logit scale (temperature), softmax1 (an implicit key with logit 0 and a
//     zero value), a learnable per-head sink logit (the same with a learned
//     score: a key bias), logit soft-capping cap*tanh(s/cap), QK-norm.
// They combine freely, except softmax1 with a learnable sink logit (softmax1
// is that sink with its logit fixed at 0).
//
// Per head h, query i, visible keys j:
//   q, k <- q / rms(q), k / rms(k)           if qk_norm  (rms = sqrt(mean(x^2) + 1e-6))
//   r_ij = scale * q_i . k_j
//   s_ij = cap * tanh(r_ij / cap)             if softcap > 0, else r_ij
//   p_ij = exp(s_ij) / (z + sum_j exp(s_ij))  z = exp(sink_h) with a sink logit, 1 for softmax1, else 0
//   out_i = sum_j p_ij v_j
// The forward pass keeps only lse_i = log(z + sum_j exp(s_ij)) per row; the
// backward pass and attention_row_weights() recompute p from it, so memory
// stays O(n) per head even at n = 8192, and asking for weights never slows
// the forward pass.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/kernels/attention_mask.h"

namespace attnlab {

struct AttentionSpec {
  int heads = 1;
  int head_dim = 16;
  AttentionMask mask;
  float scale = 0.0f;       // logits = scale * q.k; 0 means 1 / sqrt(head_dim)
  bool softmax1 = false;    // implicit key with logit 0 and zero value
  bool sink_logit = false;  // learnable per-head sink logit (params [heads])
  float softcap = 0.0f;     // > 0: s = softcap * tanh(s / softcap)
  bool qk_norm = false;     // RMS-normalize q and k per head

  int channels() const { return heads * head_dim; }
  float logit_scale() const;
  // Empty if usable for sequences of length N; otherwise one message per problem.
  std::vector<std::string> validate(int N) const;
};

// Scratch memory attention_forward and attention_backward reuse from call to
// call (keys transposed, blocks of scores, the rows of global tokens): grown
// to the largest shape seen, never shrunk, holding nothing between calls that
// a result depends on. The caller owns one per thread (the model keeps one),
// as llm.c and ggml pass their workspaces. A copy starts empty.
struct AttentionWorkspace {
  AttentionWorkspace();
  AttentionWorkspace(const AttentionWorkspace&);
  AttentionWorkspace& operator=(const AttentionWorkspace&);
  ~AttentionWorkspace();
  struct Buffers;  // attention.cpp
  std::unique_ptr<Buffers> buffers;
};

// FLOPs of one forward pass: 4 * head_dim per scored pair (q.k and p.v), all heads.
double attention_forward_flops(const AttentionSpec& spec, int B, int N);

// out:        [B, N, C]     C = heads * head_dim; head h in columns [h*d, (h+1)*d)
// lse:        [B, H, N]     log of each row's softmax denominator (kept for backward)
// max_logit:  [H] or null   the largest logit s_ij scored in each head (over the batch)
// qkv:        [B, N, 3C]    q in [0, C), k in [C, 2C), v in [2C, 3C)
// sink_logit: [H]           required when spec.sink_logit, else ignored (may be null)
// work:                     scratch (see AttentionWorkspace)
void attention_forward(float* out, float* lse, float* max_logit, AttentionWorkspace* work, const float* qkv,
                       const float* sink_logit, const AttentionSpec& spec, int B, int N);

// dqkv:        [B, N, 3C]  += gradient
// dsink_logit: [H]         += gradient (when spec.sink_logit; may be null otherwise)
// work:                    scratch (see AttentionWorkspace)
// dout:        [B, N, C];  out, lse, qkv, sink_logit as produced/used by the forward
void attention_backward(float* dqkv, float* dsink_logit, AttentionWorkspace* work, const float* dout,
                        const float* out, const float* lse, const float* qkv, const float* sink_logit,
                        const AttentionSpec& spec, int B, int N);

// The attention weights of one row (query i of sequence b, head h), recomputed
// from the forward's qkv and lse. weights: [N]; masked keys get exactly 0.
// Returns the weight that went to the implicit softmax1 / sink-logit key.
float attention_row_weights(float* weights, const float* qkv, const float* lse,
                            const float* sink_logit, const AttentionSpec& spec, int N, int b,
                            int h, int i);

}  // namespace attnlab
