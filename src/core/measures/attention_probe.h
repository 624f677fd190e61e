// The course's attention measures, per layer and head, on a
// fixed probe batch: row entropy (raw and normalized), peak weight and the
// share of peaky rows, peak jump rate and drift since the last measurement,
// mass on special tokens and on the first token, the largest logit.
// Weights are recomputed from the model's last forward (attention_row_weights),
// so measuring never slows training down.
#pragma once

#include <vector>

#include "core/model/model.h"

namespace attnlab {

struct HeadMeasures {
  double entropy = 0;       // mean row entropy, nats
  double entropy_norm = 0;  // mean of entropy / ln(visible keys)
  double peak = 0;          // mean peak weight
  double peaky = 0;         // share of rows whose peak exceeds the threshold
  double jump = -1;         // share of rows whose argmax key changed since the last measurement (-1: none yet)
  double drift = -1;        // mean Jensen-Shannon divergence (bits) from the last measurement (-1: none yet)
  double special_mass = 0;  // mean mass on global / register / sink tokens and the softmax1 / sink-logit key
  double first_mass = 0;    // mean mass on position 0 (the first token of the sequence)
  double local_mass = 0;    // mean mass on ordinary tokens (1 - special_mass)
  double max_logit = 0;     // the largest attention logit on the probe batch
  // Jump and drift of the probed rows that have a target (active: the query must fetch something) and of
  // those that have none (idle: nothing to fetch), apart; -1 before a second measurement or with no such row.
  double jump_active = -1, drift_active = -1;
  double jump_idle = -1, drift_idle = -1;
};

// The mean of one measure over heads (and layers): NaN when there are no
// heads, or for jump and drift while they are "not yet" (-1, before a second
// measurement). The one definition the reports, the exercises and the plots use.
double head_mean(const std::vector<HeadMeasures>& heads, double HeadMeasures::*member);
// The measures that read -1 while "not yet" (jump and drift, of all, active and idle rows).
bool has_not_yet(double HeadMeasures::*member);
// The largest value of one measure over heads (the largest logit); NaN when there are no heads.
double head_max(const std::vector<HeadMeasures>& heads, double HeadMeasures::*member);

class AttentionProbe {
 public:
  // query_tokens: token indices (0..T-1) whose rows are measured.
  void set_queries(std::vector<int> query_tokens) { queries_ = std::move(query_tokens); reset(); }
  const std::vector<int>& queries() const { return queries_; }

  // After model.forward() on B probe sequences: one HeadMeasures per (layer, head),
  // index l * heads + h. Remembers the rows for the next jump and drift.
  // active: [B, T], 1 where the row must fetch something from another position
  // (a target that needs context: Task::needs_context), 0 where it is idle;
  // null counts every row idle.
  std::vector<HeadMeasures> measure(const Model& model, const uint8_t* active, int B, float peak_threshold);

  // Forget the previous rows (e.g. after the attention variant changed).
  void reset() { prev_argmax_.clear(); prev_rows_.clear(); }

  // For saving and restoring a run.
  std::vector<int>& prev_argmax() { return prev_argmax_; }
  std::vector<float>& prev_rows() { return prev_rows_; }

 private:
  std::vector<int> queries_;
  std::vector<int> prev_argmax_;  // [L, H, B, R]
  std::vector<float> prev_rows_;  // [L, H, B, R, N]
};

// Query token indices to measure: up to `max_rows` evenly spaced ones (always
// including the last token) plus the task's own query positions.
std::vector<int> choose_probe_queries(const std::vector<int>& task_queries, int T, int max_rows);

}  // namespace attnlab
