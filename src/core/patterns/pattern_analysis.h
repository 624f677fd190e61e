// What an attention pattern (an AttentionMask) lets information do across
// layers, and what it costs: the numbers behind idea 3 of the course, "a
// sliding window loses long-range links; global tokens restore them, at a
// cost that grows with n (2w + 1 + g), not n^2".
//
// Information flow: in one layer, query i reads key j when mask.visible(i, j).
// So position i holds position s's information after layer l if some j that
// held it after layer l - 1 is visible to i; at layer 0 only s holds it.
// Every position sees itself, so the set only grows. The layers it takes to
// reach i are the shortest-path distance from s to i in the graph with an
// edge j -> i for every visible pair; information_layers() finds them all with
// one breadth-first search that walks the mask's structure (ranges of
// readers) instead of its N^2 pairs: O(N) for any window, globals, sinks and
// registers (plus the designated global positions).
//
// Every function requires mask.validate(N) to be empty and positions in [0, N).
#pragma once

#include <vector>

#include "core/kernels/attention_mask.h"

namespace attnlab {

constexpr int kUnreachable = -1;  // information never gets there, however many layers

// [N]: the number of layers after which position `source`'s information has
// reached each position (0 at the source itself), or kUnreachable.
std::vector<int> information_layers(const AttentionMask& mask, int N, int source);

// The minimum number of layers after which information from position a
// reaches position b, or kUnreachable (e.g. backwards in a causal model).
// Exact: no cap on the number of layers.
int reach_layers(const AttentionMask& mask, int N, int a, int b);

// Positions [begin, end).
struct PositionRange {
  int begin = 0, end = 0;
  bool operator==(const PositionRange& o) const { return begin == o.begin && end == o.end; }
};

// Which positions hold the source's information after each layer, as sorted,
// disjoint, non-adjacent ranges (a window makes one range per layer).
struct ReceptiveField {
  int source = 0;
  int N = 0;
  std::vector<std::vector<PositionRange>> layers;  // [L + 1]; layers[0] = {source}

  int num_layers() const { return static_cast<int>(layers.size()) - 1; }
  bool holds(int layer, int position) const;  // binary search
  int count(int layer) const;                 // positions holding it after `layer`
};

// Layers 0..L. O(N + L * ranges) after one information_layers().
ReceptiveField receptive_field(const AttentionMask& mask, int N, int source, int L);
// The same from information_layers()'s result, when the caller has it already.
ReceptiveField receptive_field_from_layers(const std::vector<int>& layers_to, int source, int L);

// The cost of one head's attention over one sequence of length N, against
// full attention over the same N positions (N^2 pairs bidirectional,
// N (N + 1) / 2 causal).
struct PatternCost {
  int N = 0;
  long long pairs = 0;       // query-key pairs scored: mask.pairs(N)
  long long full_pairs = 0;  // the same for full attention
  double share = 0;          // pairs / full_pairs
  double flops = 0;          // one forward pass: 4 head_dim per pair (attention_forward_flops)
  double full_flops = 0;
};

// Equals mask.pairs(N), counted in O(N log G) (G designated globals) whatever
// the window and the number of always keys: each query's ordinary range is
// counted with a prefix sum, not walked, and its always keys by kind, so a
// curve up to N = 8192 of full attention stays fast.
long long pairs_scored(const AttentionMask& mask, int N);

PatternCost pattern_cost(const AttentionMask& mask, int N, int head_dim);
// One PatternCost per length, e.g. lengths 64, 128, ..., 8192.
std::vector<PatternCost> pattern_cost_curve(const AttentionMask& mask, const std::vector<int>& lengths,
                                            int head_dim);

}  // namespace attnlab
