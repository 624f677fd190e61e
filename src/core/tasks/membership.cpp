// Membership: "was this item listed in the introduction?". Replaces key->value
// recall, which a first probe found too hard at this model size, while still
// needing the start of the sequence; a fixed-size global memory fills up as
// set_size grows.
#include <string>

#include "core/tasks/task_internal.h"

namespace attnlab::task_detail {

std::string MembershipTask::token_name(int id) const {
  if (id == kBos) return "BOS";
  if (id == kQuery) return "QUERY";
  if (id == kYes) return "YES";
  if (id == kNo) return "NO";
  if (is_item(id)) return "item " + std::to_string(id - kFirstItem);
  if (is_symbol(id)) return symbol_name(id - symbol_token(0));
  return "invalid " + std::to_string(id);
}

void MembershipTask::draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const {
  const int T = config_.length, K = config_.set_size, n = config_.items;
  // order[0, K): the listed items; order[K, n): the others.
  std::vector<int> order;
  draw_distinct(n, K, rng, &order);
  tokens[0] = kBos;
  for (int i = 0; i < K; ++i) tokens[1 + i] = item_token(order[i]);
  for (int t = K + 1; t < T - 2; ++t) tokens[t] = symbol_token(rng->below(config_.symbols));
  tokens[T - 2] = kQuery;
  // One fair draw decides the answer, so YES and NO are exactly balanced
  // before the split; then a uniform listed or unlisted item.
  const bool listed = rng->below(2) == 0;
  const int query = listed ? order[rng->below(K)] : order[K + rng->below(n - K)];
  tokens[T - 1] = item_token(query);
  for (int t = 0; t < T; ++t) targets[t] = -1, groups[t] = 0;
  targets[T - 1] = listed ? kYes : kNo;
}

}  // namespace attnlab::task_detail
