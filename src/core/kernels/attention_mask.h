// Which keys each query may see, described by a few numbers instead of an
// n x n matrix. Attention kernels score only the pairs the mask allows, so a
// window of half-width w with g global tokens costs O(n (2w + 1 + g) d).
//
// The sequence of length N is laid out as
//   [ E extra global tokens | R register tokens | ordinary tokens ... ]
//     positions [0, E)        [E, P)              [P, N),  P = E + R
// and the first `sinks` ordinary tokens, [P, P + sinks), are sink positions.
//
// The rule, checked in this order (visible(i, j): may query i see key j?):
//   1. every query sees the global tokens (extra ones and designated positions);
//   2. a global token sees every key (in a causal model too: use them for
//      tasks scored at the end of the sequence, not for next-token prediction);
//   3. every query sees the register tokens, except that in a causal model a
//      register only sees the registers before it;
//   4. a register sees ordinary tokens only in a bidirectional model;
//   5. between ordinary tokens: causal hides the future (j > i);
//   6. the sink positions are visible to every ordinary query (StreamingLLM);
//   7. a window of half-width w keeps |i - j| <= w (w < 0: no window).
#pragma once

#include <string>
#include <vector>

namespace attnlab {

struct AttentionMask {
  bool causal = true;
  int window = -1;          // half-width w; -1 = no window (full attention)
  int extra_globals = 0;    // E learned global tokens at [0, E)
  int registers = 0;        // R learned register tokens at [E, E + R)
  int sinks = 0;            // the first k ordinary tokens are always visible
  std::vector<int> global_positions;  // designated global tokens: positions in [E + R, N)

  int prefix() const { return extra_globals + registers; }
  bool is_global(int i) const;
  bool is_register(int i) const { return i >= extra_globals && i < prefix(); }

  bool visible(int i, int j) const;

  // How the kernels enumerate keys: the "always" keys (extra globals,
  // registers, sinks, designated globals; sorted) plus, for an ordinary query
  // i, one contiguous range [lo, hi) of ordinary keys (some of which may be
  // always keys too; those are scored once, as always keys).
  std::vector<int> always_keys(int N) const;
  void ordinary_range(int i, int N, int* lo, int* hi) const;
  // True for queries that see every key (global tokens; registers in a
  // bidirectional model).
  bool reads_all(int i) const;

  // The exact number of (query, key) pairs scored for a sequence of length N
  // (one head, one sequence; the implicit softmax1 / sink-logit column is not a key).
  long long pairs(int N) const;
  // What full attention of the same causality scores over the same N
  // positions: N^2 bidirectional, N (N + 1) / 2 causal.
  long long full_pairs(int N) const;

  // Empty if the mask is usable for length N; otherwise one message per problem.
  std::vector<std::string> validate(int N) const;
};

}  // namespace attnlab
