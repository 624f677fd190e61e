// Bigram-Backcopy: see task_internal.h.
#include <algorithm>
#include <map>
#include <string>

#include "core/tasks/task_internal.h"

namespace attnlab::task_detail {

namespace {
constexpr double kSuccessorP[3] = {0.6, 0.25, 0.1};  // the rest, 0.05, is spread over every other symbol
}

BackcopyTask::BackcopyTask(const TaskConfig& config) : SequenceTask(config) {
  const int S = config_.symbols, G = config_.triggers;
  // The language depends on the config only: a student's seed picks the text, not the grammar.
  Rng rng(0xB16A3CC0u ^ (static_cast<uint64_t>(S) << 20) ^ (static_cast<uint64_t>(G) << 40));
  successors_.resize(static_cast<size_t>(S) * 3);
  std::vector<int> order;
  for (int s = 0; s < S; ++s) {
    draw_distinct(S - G, 3, &rng, &order);  // three distinct non-trigger symbols
    for (int k = 0; k < 3; ++k) successors_[static_cast<size_t>(s) * 3 + k] = kFirstSymbol + G + order[k];
  }
  // Chance: the share of the most frequent next token in each group, over a
  // long stream drawn with a fixed seed (the best guess without context).
  std::vector<int> tokens(20000);
  Rng sample(0xC4A2CEu);
  generate(tokens.data(), static_cast<int>(tokens.size()), &sample);
  std::map<int, int> counts[2];
  int totals[2] = {0, 0};
  for (size_t t = 1; t + 1 < tokens.size(); ++t) {
    const int g = is_trigger(tokens[t]) ? 1 : 0;
    ++counts[g][tokens[t + 1]];
    ++totals[g];
  }
  for (int g = 0; g < 2; ++g) {
    int best = 0;
    for (const auto& [token, n] : counts[g]) best = std::max(best, n);
    chance_[g] = totals[g] > 0 ? static_cast<double>(best) / totals[g] : 0.0;
  }
}

int BackcopyTask::next_of(int token, Rng* rng) const {
  const int S = config_.symbols, G = config_.triggers;
  const double u = rng->uniform();
  if (token >= kFirstSymbol + G && token < kFirstSymbol + S) {
    const int* succ = &successors_[static_cast<size_t>(token - kFirstSymbol) * 3];
    if (u < kSuccessorP[0]) return succ[0];
    if (u < kSuccessorP[0] + kSuccessorP[1]) return succ[1];
    if (u < kSuccessorP[0] + kSuccessorP[1] + kSuccessorP[2]) return succ[2];
  }
  return kFirstSymbol + G + rng->below(S - G);  // BOS, or the spread-out rest
}

void BackcopyTask::generate(int* tokens, int length, Rng* rng) const {
  if (length <= 0) return;
  tokens[0] = kBos;
  if (length > 1) tokens[1] = next_of(kBos, rng);
  for (int t = 2; t < length; ++t) {
    if (is_trigger(tokens[t - 1])) tokens[t] = tokens[t - 2];  // the backcopy
    else if (rng->uniform() < config_.trigger_rate) tokens[t] = kFirstSymbol + rng->below(config_.triggers);
    else tokens[t] = next_of(tokens[t - 1], rng);
  }
}

std::string BackcopyTask::token_name(int id) const {
  if (id == kBos) return "BOS";
  if (is_trigger(id)) return "T" + std::to_string(id - kFirstSymbol);
  if (id >= kFirstSymbol && id < kFirstSymbol + config_.symbols) return symbol_name(id - kFirstSymbol);
  return "invalid " + std::to_string(id);
}

void BackcopyTask::draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const {
  const int T = config_.length;
  generate(tokens, T, rng);
  for (int t = 0; t < T; ++t) {
    targets[t] = t + 1 < T ? tokens[t + 1] : -1;
    groups[t] = t + 1 < T && is_trigger(tokens[t]) ? 1 : 0;
  }
}

void BackcopyTask::sample_stream(std::vector<int>* tokens, int length, Rng* rng) const {
  tokens->assign(length > 0 ? length : 0, 0);
  generate(tokens->data(), length, rng);
}

}  // namespace attnlab::task_detail
