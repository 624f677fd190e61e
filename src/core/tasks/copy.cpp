// Copy and mixed: predict the token copy_offset places back, a purely local
// skill. Mixed adds the retrieval query at the end, so one model must keep
// local detail sharp while also reaching the start (the course's point (3):
// many global tokens dilute the local attention).
#include <string>

#include "core/tasks/task_internal.h"

namespace attnlab::task_detail {

std::string CopyTask::token_name(int id) const {
  if (id == kBos) return "BOS";
  if (id >= kFirstSymbol && id < kFirstSymbol + config_.symbols) return symbol_name(id - kFirstSymbol);
  return "invalid " + std::to_string(id);
}

void CopyTask::draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const {
  const int T = config_.length, offset = config_.copy_offset;
  tokens[0] = kBos;
  for (int t = 1; t < T; ++t) tokens[t] = symbol_token(rng->below(config_.symbols));
  for (int t = 0; t < T; ++t) {
    targets[t] = t - offset >= 1 ? tokens[t - offset] : -1;
    groups[t] = 0;
  }
}

double MixedTask::chance(int group) const {
  if (group == 0) return 1.0 / config_.topics;
  if (group == 1) return 1.0 / config_.symbols;
  return 0.0;
}

void MixedTask::draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const {
  const int T = config_.length, offset = config_.copy_offset;
  draw_layout(tokens, rng);
  for (int t = 0; t < T; ++t) targets[t] = -1, groups[t] = 0;
  for (int t = offset; t < T - 1; ++t)
    if (is_symbol(tokens[t - offset])) targets[t] = tokens[t - offset], groups[t] = 1;
  targets[T - 1] = tokens[config_.key_position];
  groups[T - 1] = 0;
}

}  // namespace attnlab::task_detail
