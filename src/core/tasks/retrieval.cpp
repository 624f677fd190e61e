// Retrieval: a key near the start (the document's "introduction"), symbols in
// between, and a query at the end that asks for the key. A sliding window
// shorter than the distance cannot see the key; a global token can carry it.
#include <string>

#include "core/tasks/task_internal.h"

namespace attnlab::task_detail {

double RetrievalTask::chance(int group) const { return group == 0 ? 1.0 / config_.topics : 0.0; }

std::string RetrievalTask::token_name(int id) const {
  if (id == kBos) return "BOS";
  if (id == kQuery) return "QUERY";
  if (is_key(id)) return "key " + std::to_string(id - kFirstKey);
  if (is_symbol(id)) return symbol_name(id - symbol_token(0));
  return "invalid " + std::to_string(id);
}

void RetrievalTask::draw_layout(int* tokens, Rng* rng) const {
  const int T = config_.length;
  tokens[0] = kBos;
  tokens[config_.key_position] = key_token(rng->below(config_.topics));
  for (int t = 1; t < T - 1; ++t)
    if (t != config_.key_position) tokens[t] = symbol_token(rng->below(config_.symbols));
  tokens[T - 1] = kQuery;
}

void RetrievalTask::draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const {
  const int T = config_.length;
  draw_layout(tokens, rng);
  for (int t = 0; t < T; ++t) targets[t] = -1, groups[t] = 0;
  targets[T - 1] = tokens[config_.key_position];
}

}  // namespace attnlab::task_detail
