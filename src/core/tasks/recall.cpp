// Recall: reproduce the K facts of the introduction at the end of the
// sequence. Every fact is a separate target, so the task gives a dense
// learning signal (the membership task gives one bit per sequence), and its
// difficulty grows with K: through a window, the facts reach the end only via
// the global tokens, whose g vectors of width C must hold all K of them.
#include <string>

#include "core/tasks/task_internal.h"

namespace attnlab::task_detail {

std::string RecallTask::token_name(int id) const {
  if (id == kBos) return "BOS";
  if (id == kRecall) return "RECALL";
  if (id == kSlot) return "SLOT";
  if (id >= kFirstSymbol && id < kFirstSymbol + config_.symbols) return symbol_name(id - kFirstSymbol);
  return "invalid " + std::to_string(id);
}

std::vector<int> RecallTask::probe_positions() const {
  std::vector<int> slots;
  for (int i = 0; i < config_.set_size; ++i) slots.push_back(config_.length - config_.set_size + i);
  return slots;
}

void RecallTask::draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const {
  const int T = config_.length, K = config_.set_size;
  tokens[0] = kBos;
  for (int t = 1; t < T - K - 1; ++t) tokens[t] = symbol_token(rng->below(config_.symbols));  // facts, then filler
  tokens[T - K - 1] = kRecall;
  for (int t = 0; t < T; ++t) targets[t] = -1, groups[t] = 0;
  for (int i = 0; i < K; ++i) {
    tokens[T - K + i] = kSlot;
    targets[T - K + i] = tokens[1 + i];
  }
}

}  // namespace attnlab::task_detail
