// Stream: a language of noise and recurring bindings, for the attention-sink
// lesson (StreamingLLM). A document draws `bindings` key -> value pairs
// (distinct keys, arbitrary values, all symbols). After BOS, each step emits
// either a bound key and then its value (probability bind_rate) or one
// uniformly random symbol ("noise"). The token after noise, or after a value,
// is unpredictable from the context, so many queries have nothing useful to
// attend to: the situation in which a model learns to park attention on the
// first token, and then collapses when a rolling cache evicts it.
//
// Targets: the next token at every position t < T-1. Group 1 ("bound value")
// holds the positions whose next token is the value of a key whose binding
// (key and value) already appeared earlier in the sequence: predictable by
// looking back. Group 0 ("next token") holds all the others; the overall
// next-token accuracy is the two groups together.
//
// chance(g) = 1 / symbols for both groups, exactly before the split: every
// part of the generator (distinct keys, values, noise) is uniform over the
// alphabet, so the process is invariant under any permutation of the symbols
// and every target is marginally uniform; the best guess without context (a
// constant) is right 1 / symbols of the time. The hash-based split selects
// sequences by their tokens, which breaks that symmetry only by sampling noise.
#include <string>

#include "core/tasks/task_internal.h"

namespace attnlab::task_detail {

void generate_stream(const StreamSpec& spec, int length, Rng* rng, int* tokens, StreamRole* roles) {
  if (length <= 0) return;
  const int S = spec.symbols, n = spec.bindings;
  std::vector<int> keys;  // keys[0, n): the bound keys (symbol indices)
  draw_distinct(S, n, rng, &keys);
  std::vector<int> values(n);
  for (int& v : values) v = rng->below(S);
  std::vector<char> seen(n, 0);  // binding i's key and value have appeared
  auto set_role = [&](int t, StreamRole r) {
    if (roles) roles[t] = r;
  };

  tokens[0] = StreamTask::kBos;
  set_role(0, StreamRole::Bos);
  const double rate = spec.bind_rate;
  for (int t = 1; t < length;) {
    if (rng->uniform() < rate) {
      const int i = rng->below(n);
      tokens[t] = StreamTask::kFirstSymbol + keys[i];
      set_role(t, seen[i] ? StreamRole::RepeatKey : StreamRole::Key);
      if (t + 1 < length) {  // else truncated: the value falls off the end
        tokens[t + 1] = StreamTask::kFirstSymbol + values[i];
        set_role(t + 1, StreamRole::Value);
        seen[i] = 1;
      }
      t += 2;
    } else {
      tokens[t] = StreamTask::kFirstSymbol + rng->below(S);
      set_role(t, StreamRole::Noise);
      t += 1;
    }
  }
}

double StreamTask::chance(int group) const { return group == 0 || group == 1 ? 1.0 / config_.symbols : 0.0; }

std::string StreamTask::token_name(int id) const {
  if (id == kBos) return "BOS";
  if (id >= kFirstSymbol && id < kFirstSymbol + config_.symbols) return symbol_name(id - kFirstSymbol);
  return "invalid " + std::to_string(id);
}

void StreamTask::draw(int* tokens, int* targets, uint8_t* groups, Rng* rng) const {
  const int T = config_.length;
  std::vector<StreamRole> roles(T);
  generate_stream(spec(), T, rng, tokens, roles.data());
  for (int t = 0; t < T; ++t) {
    const bool has_next = t + 1 < T;
    targets[t] = has_next ? tokens[t + 1] : -1;
    groups[t] = has_next && roles[t] == StreamRole::RepeatKey ? 1 : 0;
  }
}

void StreamTask::sample_stream(std::vector<int>* tokens, int length, Rng* rng) const {
  tokens->assign(length > 0 ? length : 0, 0);
  generate_stream(spec(), length, rng, tokens->data(), nullptr);
}

}  // namespace attnlab::task_detail
