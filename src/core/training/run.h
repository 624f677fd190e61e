// A training run: the model, the task, the data, the optimizer state, and the
// history of measures. The app and the command-line runner drive it the same
// way: create, then step() until done(), optionally changing the attention
// variant (an intervention) in between; save() and load() capture all of it.
//
// Deterministic: the same config and seed give bit-identical runs on one
// build. Divergence (a non-finite loss, gradient or weight) stops the run at
// once, before the optimizer sees it, with a reason.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/measures/attention_probe.h"
#include "core/training/config.h"
#include "core/model/model.h"
#include "core/tasks/task.h"

namespace attnlab {

struct LogPoint {
  int step = 0;                     // training steps done
  double lr = 0;
  double train_loss = 0;            // the last training batch's loss
  double eval_loss = 0;             // mean over the fixed evaluation set
  std::vector<double> accuracy;     // per task group (group 0 is the main accuracy), on the evaluation set
  double grad_norm = 0;             // before clipping
  std::vector<HeadMeasures> heads;  // [L * H] on the probe batch
  std::vector<double> cosine;       // [L] over-smoothing of each block's output, on the probe batch
  long long pairs = 0;              // query-key pairs scored per head per sequence
  double step_flops = 0;            // FLOPs of one training step
  std::string event;                // interventions applied since the previous point
};

struct Divergence {
  int step = -1;     // the step that produced it (it was not applied)
  std::string what;  // what was not finite
  std::string advice;
};

class Run {
 public:
  // Null (and *errors filled, each naming the field) if the config is invalid.
  static std::unique_ptr<Run> create(const RunConfig& config, std::vector<std::string>* errors);

  // One training step: sample a batch, forward, zero_grad, backward, update;
  // then measure when the step is a multiple of train.log_every (or the last).
  // Does nothing once done().
  void step();
  bool done() const { return diverged() || step_ >= config_.train.steps; }
  bool diverged() const { return divergence_.step >= 0; }
  const Divergence& divergence() const { return divergence_; }
  int steps_done() const { return step_; }

  // Mid-run interventions: {"model": {"globals": 4}, "train": {"lr": 1e-3}}.
  // Allowed: the attention variant (window, globals, registers, sinks,
  // softmax1, sink_logit, logit_scale, softcap, qk_norm), the training
  // settings (lr, warmup, weight_decay, grad_clip, steps, log_every and the
  // thresholds). Returns false (with messages naming the field) and changes
  // nothing if any change is not allowed or not valid.
  bool apply(const nlohmann::json& changes, std::vector<std::string>* errors);
  // What apply would make of the config (into *next if not null), changing nothing.
  bool check_changes(const nlohmann::json& changes, RunConfig* next, std::vector<std::string>* errors) const;

  // Measure now (also done automatically every log_every steps).
  void log_now();

  const RunConfig& config() const { return config_; }
  const Model& model() const { return *model_; }
  Model& mutable_model() { return *model_; }
  const Task& task() const { return *task_; }
  const std::vector<LogPoint>& history() const { return history_; }
  // The first logged step at which the main accuracy reached train.converge_at, or -1.
  int converged_at() const;

  // The whole state, to a byte buffer and back (same build; a different
  // build restores it too, within floating-point tolerance).
  std::vector<uint8_t> save() const;
  static std::unique_ptr<Run> load(const std::vector<uint8_t>& bytes, std::vector<std::string>* errors);

  // The fixed evaluation set and probe batch.
  const TaskBatch& eval_set() const { return eval_; }
  const TaskBatch& probe_set() const { return probe_; }
  float learning_rate(int step) const;

 private:
  explicit Run(const RunConfig& config);
  void evaluate(LogPoint* point);

  RunConfig config_;
  std::unique_ptr<Task> task_;
  std::unique_ptr<Model> model_;
  Rng train_rng_, init_rng_;
  TaskBatch batch_, eval_, probe_;
  std::vector<uint8_t> probe_active_;  // [probe B, T] 1: the row's target needs context (AttentionProbe::measure)
  AttentionProbe probe_measures_;
  int step_ = 0;
  float last_loss_ = 0.0f, last_grad_norm_ = 0.0f;
  std::string pending_event_;
  std::vector<LogPoint> history_;
  Divergence divergence_;
};

}  // namespace attnlab
