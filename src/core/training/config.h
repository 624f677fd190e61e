// Everything that defines a run: the model, the task, the training. The same
// struct backs the command-line runner's flags, the JSON config files, and
// (later) the app's scenarios and URLs; core/training/config_schema.h describes and
// validates every field in one place.
#pragma once

#include <cstdint>
#include <string>

#include "core/tasks/task.h"

namespace attnlab {

struct ModelConfig {
  int layers = 2;
  int heads = 2;
  int width = 32;                      // C; head_dim = width / heads; MLP 4C
  std::string positions = "learned";   // learned | rope | none
  // The attention variant (core/kernels/attention.h)
  bool causal = false;
  int window = -1;                     // half-width w; -1 = full attention
  int globals = 0;                     // extra learned global tokens (see every token, seen by every token)
  int registers = 0;                   // extra learned register tokens (always visible)
  int sinks = 0;                       // the first k tokens are always visible (StreamingLLM)
  bool softmax1 = false;               // implicit key with logit 0 and zero value
  bool sink_logit = false;             // learnable per-head sink logit (a key bias with zero value)
  float logit_scale = 1.0f;            // logits = logit_scale * q.k / sqrt(head_dim) (1 / temperature)
  float softcap = 0.0f;                // > 0: logits = softcap * tanh(logits / softcap)
  bool qk_norm = false;                // RMS-normalize q and k per head
  float qk_init = 1.0f;                // multiplies the initial scale of W_q and W_k
};

struct TrainConfig {
  int steps = 600;
  int batch = 16;
  float lr = 3e-3f;
  int warmup = 50;                     // linear warm-up steps, then constant
  float weight_decay = 0.01f;          // AdamW, on matrices only
  float grad_clip = 1.0f;              // global gradient-norm clip; 0 = off
  float beta1 = 0.9f;
  float beta2 = 0.95f;
  int log_every = 10;                  // measures every this many steps
  int probe_batch = 4;                 // eval sequences the attention measures look at
  float peak_threshold = 0.9f;         // a row is peaky above this peak weight
  float sink_threshold = 0.3f;         // a head sinks when its first-token mass exceeds this (Gu et al.)
  float converge_at = 0.95f;           // "converged" when the main eval accuracy reaches this
};

struct RunConfig {
  uint64_t seed = 1;
  ModelConfig model;
  TaskConfig task;
  TrainConfig train;
};

}  // namespace attnlab
